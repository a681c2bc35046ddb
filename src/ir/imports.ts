import type { ImportBinding, ModuleIR } from './types.js';

/** Absolute module path of an import, given the importing module. */
export function absoluteImportModule(from: Pick<ModuleIR, 'name' | 'isPackage'> & Partial<ModuleIR>, b: Pick<ImportBinding, 'level' | 'module'> & Partial<ImportBinding>): string {
  if (b.level === 0) return b.module;
  const parts = from.name.split('.');
  // A package's __init__ is itself the package: one dot means "this package".
  const keep = from.isPackage ? parts.length - (b.level - 1) : parts.length - b.level;
  const base = parts.slice(0, Math.max(0, keep)).join('.');
  return [base, b.module].filter(Boolean).join('.');
}
