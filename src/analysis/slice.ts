/**
 * The part of a program a change can affect, for `redline review`.
 *
 * A finding the change introduces has its sink or an evidence step in a changed module, so it is
 * found while analysing a unit of a module that depends (transitively) on a changed module: the
 * changed modules and their dependents ("upstream"). Analysing those needs the summaries of
 * everything they depend on ("downstream"). Everything else cannot produce or alter such a finding
 * and is skipped — a one-file change in a large repository analyses its neighbourhood, not the
 * whole program.
 *
 * A module depends on another when a name in it resolves into that module (imports, attribute
 * chains through packages, re-exports, star imports, base classes) or when a call by method name on
 * an unknown receiver may reach a method defined there (the engine's by-name resolution).
 */
import type { Expr, ModuleIR, Stmt } from '../ir/types.js';
import { absoluteImportModule, type Program } from './program.js';
import { forEachChildExpr, forEachStmtChild } from './rule-context.js';

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
  const visitExpr = (e: Expr): void => {
    if (e.k === 'name' || e.k === 'attr') {
      const q = program.resolveExprName(m, e);
      if (q) addQname(q);
    }
    if (e.k === 'call' && e.fn.k === 'attr') {
      const cands = program.methodsByName.get(e.fn.name);
      if (cands && cands.length <= MAX_BY_NAME_CANDIDATES) for (const c of cands) out.add(program.functions.get(c)!.module.name);
    }
    forEachChildExpr(e, visitExpr, (body) => visitStmts(body));
  };
  const visitStmts = (stmts: Stmt[]): void => {
    for (const s of stmts) {
      if (s.k === 'import') {
        for (const b of s.bindings) {
          const mod = absoluteImportModule(m, b);
          addQname(mod);
          if (b.member !== undefined && b.member !== '*') addQname(`${mod}.${b.member}`);
        }
      } else if (s.k === 'funcdef') {
        s.fn.decorators.forEach(visitExpr);
        for (const p of s.fn.params) {
          if (p.default) visitExpr(p.default);
          if (p.annotation) visitExpr(p.annotation);
        }
        if (s.fn.returns) visitExpr(s.fn.returns);
        visitStmts(s.fn.body);
        continue;
      } else if (s.k === 'classdef') {
        s.cls.bases.forEach(visitExpr);
        s.cls.decorators.forEach(visitExpr);
        for (const k of s.cls.keywords) visitExpr(k.value);
        visitStmts(s.cls.body);
        continue;
      }
      forEachStmtChild(s, visitExpr, visitStmts);
    }
  };
  visitStmts(m.body);
  for (const star of program.scopes.get(m.name)?.starImports ?? []) addQname(star);
  out.delete(m.name);
  return out;
}

/**
 * Modules to analyse so that every finding touching `changed` is found exactly as a whole-program
 * analysis would find it: the changed modules, every module depending on them, and everything those
 * depend on.
 */
export function changeSlice(program: Program, changed: Iterable<string>, deps = moduleDependencies(program)): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const [m, ds] of deps) {
    for (const d of ds) {
      const list = dependents.get(d);
      if (list) list.push(m);
      else dependents.set(d, [m]);
    }
  }
  const upstream = closure([...changed].filter((c) => program.modules.has(c)), (m) => dependents.get(m) ?? []);
  return closure([...upstream], (m) => deps.get(m) ?? []);
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
