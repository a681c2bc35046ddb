import type { Expr, ModuleIR, Stmt } from '../../src/ir/types.js';
import { parsePython } from '../../src/lang/python/lower.js';

export function lower(src: string, opts?: { maxDepth?: number }): ModuleIR {
  return parsePython(src, 'pkg/mod.py', opts).module;
}

/** Drops spans (and the function header span) so shapes can be compared with deepEqual. */
export function shape<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (k, v) => (k === 'span' || k === 'headerSpan' ? undefined : typeof v === 'bigint' ? `${v}n` : v)),
  ) as T;
}

export function firstStmt(src: string): Stmt {
  const body = lower(src).body;
  if (body.length === 0) throw new Error('no statements');
  return body[0];
}

/** The value of the first statement, which must be an assignment or expression statement. */
export function valueOf(src: string): Expr {
  const s = firstStmt(src);
  if (s.k === 'assign' || s.k === 'expr') return s.value;
  throw new Error(`not an assignment/expression: ${s.k}`);
}

export const name = (id: string) => ({ k: 'name', id });
export const cst = (value: unknown) => ({ k: 'const', value });
