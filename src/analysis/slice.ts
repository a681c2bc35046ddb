/**
 * The part of a program a change can affect, for `redline review`.
 *
 * A finding the change introduces has its sink or an evidence step in a changed module, so it is
 * found while analysing a unit of a module that depends (transitively) on a changed module: the
 * changed modules and their dependents (the "roots"). Analysing those needs the summaries of what
 * they call and the globals they read, which the engine's demand mode computes as it goes — a
 * one-file change in a large repository analyses its neighbourhood, not the whole program.
 *
 * A module depends on another when a name in it resolves into that module (imports, attribute
 * chains through packages, re-exports, star imports, base classes) or when a call by method name on
 * an unknown receiver may reach a method defined there (the engine's by-name resolution).
 */
import { moduleRefs } from '../ir/facts.js';
import type { ModuleIR } from '../ir/types.js';
import type { Program } from './program.js';

/** Candidate limit of by-name method resolution; mirrors the interpreter's `programTargets`. */
const MAX_BY_NAME_CANDIDATES = 4;

/** Module name -> names of the program modules it depends on. */
export function moduleDependencies(program: Program): Map<string, Set<string>> {
  const deps = new Map<string, Set<string>>();
  for (const m of program.modules.values()) deps.set(m.name, dependenciesOf(program, m));
  return deps;
}

function dependenciesOf(program: Program, m: ModuleIR): Set<string> {
  const out = new Set<string>();
  const seenNames = new Set<string>();
  const addQname = (q: string): void => {
    if (seenNames.has(q)) return;
    seenNames.add(q);
    const sym = program.resolveSymbol(q);
    if (sym) out.add(sym.module.name);
    // Every package on the way resolves names too (re-exports in __init__).
    const parts = q.split('.');
    for (let i = 1; i <= parts.length; i++) {
      const mod = program.findModule(parts.slice(0, i).join('.'));
      if (mod) out.add(mod.name);
    }
  };
  for (const ref of moduleRefs(m)) {
    if (ref.k === 'import') addQname(ref.qname);
    else if (ref.k === 'name') {
      const q = program.resolveDotted(m, ref.chain);
      if (q) addQname(q);
    } else {
      // The interpreter resolves by name only on receivers of unknown type: not on a module-level
      // entity (a module, class or function: its qname is known).
      if (ref.receiver !== undefined && program.resolveDotted(m, ref.receiver) !== undefined) continue;
      const cands = program.methodsByName.get(ref.method);
      if (cands && cands.length <= MAX_BY_NAME_CANDIDATES) for (const c of cands) out.add(program.functions.get(c)!.module.name);
    }
  }
  for (const star of program.scopes.get(m.name)?.starImports ?? []) addQname(star);
  out.delete(m.name);
  return out;
}

/**
 * The modules whose findings a change can alter: the changed modules and every module depending on
 * them, transitively. Analysing these (the engine's demand mode pulls in what they need from the
 * rest) finds every finding touching the change exactly as a whole-program analysis would; the
 * findings of every other module are those of the unchanged program.
 */
export function changeRoots(program: Program, changed: Iterable<string>, deps = moduleDependencies(program)): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const [m, ds] of deps) {
    for (const d of ds) {
      const list = dependents.get(d);
      if (list) list.push(m);
      else dependents.set(d, [m]);
    }
  }
  return closure([...changed].filter((c) => program.modules.has(c)), (m) => dependents.get(m) ?? []);
}

function closure(start: string[], next: (m: string) => Iterable<string>): Set<string> {
  const seen = new Set(start);
  const stack = [...start];
  while (stack.length) {
    for (const n of next(stack.pop()!)) {
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(n);
    }
  }
  return seen;
}
