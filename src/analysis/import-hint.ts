/**
 * A guess, from the text of import statements alone, at how much of a program a change reaches:
 * the changed modules and every module importing them, transitively. Used before anything is
 * parsed, to choose how a focused analysis loads modules (a slice of most of the program is
 * analysed whole, and then decoding bodies lazily only costs). Only a hint: it misses dependencies
 * the real slice sees (attribute chains through packages, by-name method calls) and imports
 * continued with a backslash; results never depend on it.
 */
import { absoluteImportModule } from '../ir/imports.js';

export interface HintFile {
  moduleName: string;
  isPackage: boolean;
  /** The source; only import lines are read (bytes are read as Latin-1: module names are ASCII). */
  source: string | Uint8Array;
}

const IMPORT = /^[ \t]*import[ \t]+([^\n#;]+)/gm;
const FROM_IMPORT = /^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(?:\(([^)]*)\)|([^\n#;]*))/gm;

/** Share of the files the textual import closure of `changed` (module names) covers. */
export function importClosureShare(files: readonly HintFile[], changed: Iterable<string>): number {
  if (files.length === 0) return 0;
  const names = new Set(files.map((f) => f.moduleName));
  const dependents = new Map<string, Set<string>>();
  const addEdge = (from: string, dotted: string): void => {
    // `a.b.c` depends on a, a.b and a.b.c where they are modules of the program.
    let at = -1;
    do {
      at = dotted.indexOf('.', at + 1);
      const prefix = at < 0 ? dotted : dotted.slice(0, at);
      if (prefix !== from && names.has(prefix)) {
        let set = dependents.get(prefix);
        if (!set) dependents.set(prefix, (set = new Set()));
        set.add(from);
      }
    } while (at >= 0);
  };
  for (const f of files) {
    const text = typeof f.source === 'string' ? f.source : Buffer.from(f.source.buffer, f.source.byteOffset, f.source.byteLength).toString('latin1');
    if (!text.includes('import')) continue;
    for (const m of text.matchAll(IMPORT)) {
      for (const part of m[1]!.split(',')) {
        const name = part.trim().split(/\s+/)[0];
        if (name) addEdge(f.moduleName, name);
      }
    }
    for (const m of text.matchAll(FROM_IMPORT)) {
      const mod = absoluteImportModule({ name: f.moduleName, isPackage: f.isPackage }, { level: m[1]!.length, module: m[2]! });
      if (mod) addEdge(f.moduleName, mod);
      for (const part of (m[3] ?? m[4]!).replace(/#[^\n]*/g, '').split(',')) {
        const member = part.trim().split(/\s+/)[0];
        if (member && member !== '*') addEdge(f.moduleName, mod ? `${mod}.${member}` : member);
      }
    }
  }
  const seen = new Set([...changed].filter((c) => names.has(c)));
  const stack = [...seen];
  while (stack.length) {
    for (const d of dependents.get(stack.pop()!) ?? []) {
      if (seen.has(d)) continue;
      seen.add(d);
      stack.push(d);
    }
  }
  return seen.size / files.length;
}
