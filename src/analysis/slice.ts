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
import type { Expr, FunctionDef, ModuleIR, Stmt } from '../ir/types.js';
import { absoluteImportModule, type Program } from './program.js';
import { forEachChildExpr, forEachStmtChild } from './rule-context.js';
import { resolvableByName } from './taint/method-names.js';

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
  /** Names bound inside the function being walked (they shadow module-level names). */
  let locals: ReadonlySet<string> = new Set();
  const byNameCandidates = (call: Extract<Expr, { k: 'call' }>): readonly string[] => {
    if (call.fn.k !== 'attr' || !resolvableByName(call.fn.name)) return [];
    // The interpreter resolves by name only on receivers of unknown type: not on `self`/`cls` (typed
    // as their class) nor on a module-level entity (a module, class or function: its qname is known).
    const root = rootName(call.fn.obj);
    if (root !== undefined && !locals.has(root) && program.resolveExprName(m, call.fn.obj) !== undefined) return [];
    if (root !== undefined && (root === 'self' || root === 'cls') && call.fn.obj.k === 'name') return [];
    const cands = program.methodsByName.get(call.fn.name);
    return cands && cands.length <= MAX_BY_NAME_CANDIDATES ? cands : [];
  };
  const visitExpr = (e: Expr): void => {
    if (e.k === 'name' || e.k === 'attr') {
      const q = program.resolveExprName(m, e);
      if (q) addQname(q);
    }
    if (e.k === 'call') for (const c of byNameCandidates(e)) out.add(program.functions.get(c)!.module.name);
    forEachChildExpr(e, visitExpr, (body) => visitStmts(body));
  };
  const visitFunction = (fn: FunctionDef): void => {
    fn.decorators.forEach(visitExpr);
    for (const p of fn.params) {
      if (p.default) visitExpr(p.default);
      if (p.annotation) visitExpr(p.annotation);
    }
    if (fn.returns) visitExpr(fn.returns);
    const outer = locals;
    locals = new Set([...outer, ...localNames(fn)]);
    visitStmts(fn.body);
    locals = outer;
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
        visitFunction(s.fn);
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

function rootName(e: Expr): string | undefined {
  let cur = e;
  while (cur.k === 'attr') cur = cur.obj;
  return cur.k === 'name' ? cur.id : undefined;
}

/** Parameters and names assigned, iterated, imported or bound by `with` in a function body. */
function localNames(fn: FunctionDef): Set<string> {
  const names = new Set(fn.params.map((p) => p.name));
  const declaredGlobal: string[] = [];
  const bindTarget = (t: Expr): void => {
    if (t.k === 'name') names.add(t.id);
    else if (t.k === 'tuple' || t.k === 'list') t.elts.forEach(bindTarget);
    else if (t.k === 'star') bindTarget(t.value);
  };
  const visit = (stmts: Stmt[]): void => {
    for (const s of stmts) {
      if (s.k === 'assign') s.targets.forEach(bindTarget);
      else if (s.k === 'for') bindTarget(s.target);
      else if (s.k === 'with') {
        for (const i of s.items) if (i.target) bindTarget(i.target);
      } else if (s.k === 'import') {
        for (const b of s.bindings) names.add(b.local);
      } else if (s.k === 'funcdef') names.add(s.fn.name);
      else if (s.k === 'classdef') names.add(s.cls.name);
      else if (s.k === 'try') {
        for (const h of s.handlers) if (h.name) names.add(h.name);
      } else if (s.k === 'global') declaredGlobal.push(...s.names);
      if (s.k !== 'funcdef' && s.k !== 'classdef') forEachStmtChild(s, walrus, visit);
    }
  };
  const walrus = (e: Expr): void => {
    if (e.k === 'walrus') names.add(e.target);
    forEachChildExpr(e, walrus);
  };
  visit(fn.body);
  for (const g of declaredGlobal) names.delete(g);
  return names;
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
