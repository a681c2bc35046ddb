/**
 * What the whole-program passes need to know of function bodies, gathered by one walk of each.
 *
 * The change slice (analysis/slice.ts) needs every module's references to other modules, and the
 * engine's callees-first order needs every unit's calls. Both used to walk every body of the
 * program; with these facts they read a few short lists instead, so a focused analysis (a review)
 * can leave the bodies of the modules it does not analyse unread — the module cache stores the
 * facts beside a module's outline and its bodies apart (cache/module-payload.ts).
 *
 * Facts are syntactic: names stay unresolved (`os.path.join`, not a symbol), because resolution
 * depends on the rest of the program; the passes resolve them against the program at hand.
 * Computed from a module's full IR on first use and remembered per object.
 */
import { resolvableByName } from '../analysis/taint/method-names.js';
import { absoluteImportModule } from './imports.js';
import type { Expr, FunctionDef, ModuleIR, Stmt } from './types.js';
import { forEachChildExpr, forEachStmtChild } from './walk.js';

/**
 * A module's reference to what may be another module, in the order a walk of the whole module
 * meets them, each once:
 * - `name`: a name or attribute chain (`os.path.join`), resolved in the module's scope;
 * - `import`: the absolute target of an import (the module, or `module.member`);
 * - `method`: a call `receiver.method(...)` that by-name resolution may send to program methods of
 *   that name; `receiver` is the receiver's chain when it may name a module-level entity (the call
 *   is then resolved through it instead), absent when it is a local or not a plain chain.
 */
export type ModuleRef = { k: 'name'; chain: string } | { k: 'import'; qname: string } | { k: 'method'; method: string; receiver?: string };

/** A call in a unit's body: the callee's chain ('' when not a plain chain), and for `x.m(...)` the method name and the receiver's name ('' when not a plain name). */
export type CallFact = readonly [chain: string, method: string, receiver: string];

/** A binding of a local name: the chain of the callable whose call result is bound, '' when bound to anything else. */
export type BindingFact = readonly [name: string, calleeChain: string];

/** What the engine's call graph needs of a function body (nested definitions and lambdas aside). */
export interface UnitFacts {
  /** Calls with a plain-chain or attribute callee, in walk order, each once. */
  calls: CallFact[];
  /** Every binding of a local name, in walk order (parameters aside). */
  bindings: BindingFact[];
  /** The body, nested functions included, has a `global` statement. */
  declaresGlobal: boolean;
}

const moduleRefMemo = new WeakMap<ModuleIR, ModuleRef[]>();
const unitMemo = new WeakMap<FunctionDef, UnitFacts>();

/** Records facts computed elsewhere (the module cache): `defs` and `units` are aligned. */
export function primeFacts(m: ModuleIR, refs: ModuleRef[], defs: readonly FunctionDef[], units: readonly UnitFacts[]): void {
  moduleRefMemo.set(m, refs);
  defs.forEach((d, i) => unitMemo.set(d, units[i]!));
}

/** Dotted text of a name or attribute chain (`a.b.c`), undefined for anything else. */
export function dottedChain(e: Expr): string | undefined {
  if (e.k === 'name') return e.id;
  if (e.k !== 'attr') return undefined;
  const base = dottedChain(e.obj);
  return base === undefined ? undefined : `${base}.${e.name}`;
}

function rootName(e: Expr): string | undefined {
  let cur = e;
  while (cur.k === 'attr') cur = cur.obj;
  return cur.k === 'name' ? cur.id : undefined;
}

/**
 * Functions whose bodies belong to a module's outline level: defined at module level (under any
 * compound statement) or in the body of a class defined there, in document order. Their bodies are
 * what the module cache can keep apart; everything else is inside one of them.
 */
export function outlineDefs(m: ModuleIR): FunctionDef[] {
  const out: FunctionDef[] = [];
  const visit = (stmts: readonly Stmt[]): void => {
    for (const s of stmts) {
      if (s.k === 'funcdef') out.push(s.fn);
      else if (s.k === 'classdef') visit(s.cls.body);
      else forEachStmtChild(s, noop, visit);
    }
  };
  visit(m.body);
  return out;
}

const noop = (): void => {};

/** The module's references (see ModuleRef), from a walk of everything including function bodies. */
export function moduleRefs(m: ModuleIR): ModuleRef[] {
  let refs = moduleRefMemo.get(m);
  if (!refs) moduleRefMemo.set(m, (refs = collectModuleRefs(m)));
  return refs;
}

function collectModuleRefs(m: ModuleIR): ModuleRef[] {
  const refs: ModuleRef[] = [];
  const seenNames = new Set<string>();
  const seenImports = new Set<string>();
  const seenMethods = new Set<string>();
  const addImport = (qname: string): void => {
    if (seenImports.has(qname)) return;
    seenImports.add(qname);
    refs.push({ k: 'import', qname });
  };
  /** The functions being walked, innermost last: their local names shadow module-level names. */
  const scopes: FunctionDef[] = [];
  const localsMemo = new Map<FunctionDef, Set<string>>();
  const isLocal = (name: string): boolean =>
    scopes.some((fn) => {
      let names = localsMemo.get(fn);
      if (!names) localsMemo.set(fn, (names = localNames(fn)));
      return names.has(name);
    });
  const parts: string[] = [];
  const visitExpr = (e: Expr): void => {
    if (e.k === 'name') {
      if (!seenNames.has(e.id)) {
        seenNames.add(e.id);
        refs.push({ k: 'name', chain: e.id });
      }
      return;
    }
    if (e.k === 'attr') {
      // A plain chain `a.b.c` and the chains inside it (`a.b`, `a`), longest first; nothing else
      // is inside a plain chain, so the walk stops there. A chain seen before came with its
      // prefixes, so it adds nothing.
      const whole = dottedChain(e);
      if (whole !== undefined && seenNames.has(whole)) return;
      parts.length = 0;
      let cur: Expr = e;
      while (cur.k === 'attr') {
        parts.push(cur.name);
        cur = cur.obj;
      }
      if (cur.k === 'name') {
        let chain = cur.id;
        const chains = [chain];
        for (let i = parts.length - 1; i >= 0; i--) chains.push((chain = `${chain}.${parts[i]}`));
        for (let i = chains.length - 1; i >= 0; i--) {
          const c = chains[i]!;
          if (seenNames.has(c)) continue;
          seenNames.add(c);
          refs.push({ k: 'name', chain: c });
        }
        return;
      }
    }
    if (e.k === 'call' && e.fn.k === 'attr' && resolvableByName(e.fn.name)) {
      const obj = e.fn.obj;
      const root = rootName(obj);
      // `self.m()`/`cls.m()` are typed by their class, never resolved by name.
      if (!(root !== undefined && (root === 'self' || root === 'cls') && obj.k === 'name')) {
        const receiver = root !== undefined && !isLocal(root) ? dottedChain(obj) : undefined;
        const key = receiver === undefined ? e.fn.name : `${e.fn.name} ${receiver}`;
        if (!seenMethods.has(key)) {
          seenMethods.add(key);
          refs.push(receiver === undefined ? { k: 'method', method: e.fn.name } : { k: 'method', method: e.fn.name, receiver });
        }
      }
    }
    forEachChildExpr(e, visitExpr, visitLambdaBody);
  };
  const visitLambdaBody = (body: Stmt[]): void => visitStmts(body);
  const visitFunction = (fn: FunctionDef): void => {
    fn.decorators.forEach(visitExpr);
    for (const p of fn.params) {
      if (p.default) visitExpr(p.default);
      if (p.annotation) visitExpr(p.annotation);
    }
    if (fn.returns) visitExpr(fn.returns);
    scopes.push(fn);
    visitStmts(fn.body);
    scopes.pop();
  };
  const visitStmts = (stmts: Stmt[]): void => {
    for (const s of stmts) {
      if (s.k === 'import') {
        for (const b of s.bindings) {
          const mod = absoluteImportModule(m, b);
          addImport(mod);
          if (b.member !== undefined && b.member !== '*') addImport(`${mod}.${b.member}`);
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
  return refs;
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

/** The unit facts of a function (see UnitFacts), from a walk of its body. */
export function unitFacts(def: FunctionDef): UnitFacts {
  let f = unitMemo.get(def);
  if (!f) unitMemo.set(def, (f = collectUnitFacts(def.body)));
  return f;
}

/** Calls and local bindings of a body, nested scopes aside; also used for module bodies (not remembered: they are part of every outline). */
export function collectUnitFacts(body: Stmt[]): UnitFacts {
  const calls: CallFact[] = [];
  const seenCalls = new Set<string>();
  const bindings: BindingFact[] = [];
  let hasGlobal = false;
  const note = (target: Expr, value: Expr | undefined): void => {
    if (target.k === 'name') {
      const callee = value?.k === 'call' ? dottedChain(value.fn) : undefined;
      bindings.push([target.id, callee ?? '']);
    } else if (target.k === 'tuple' || target.k === 'list') for (const t of target.elts) note(t, undefined);
    else if (target.k === 'star') note(target.value, undefined);
  };
  const poison = (name: string): void => {
    bindings.push([name, '']);
  };
  const visit = (stmts: Stmt[]): void => {
    for (const s of stmts) {
      switch (s.k) {
        case 'funcdef':
          poison(s.fn.name);
          hasGlobal ||= declaresGlobal(s.fn.body);
          continue;
        case 'classdef':
          poison(s.cls.name);
          hasGlobal ||= declaresGlobal(s.cls.body);
          continue;
        case 'import':
          for (const b of s.bindings) poison(b.local);
          continue;
        case 'global':
          hasGlobal = true;
          for (const n of s.names) poison(n);
          continue;
        case 'assign':
          for (const t of s.targets) note(t, s.op ? undefined : s.value);
          break;
        case 'for':
          note(s.target, undefined);
          break;
        case 'with':
          for (const i of s.items) if (i.target) note(i.target, undefined);
          break;
        case 'try':
          for (const h of s.handlers) if (h.name) poison(h.name);
          break;
        case 'match':
          for (const c of s.cases) for (const n of c.captures) poison(n);
          break;
        default:
          break;
      }
      forEachStmtChild(s, visitExpr, visit);
    }
  };
  // Lambda bodies are not entered (no body callback): their calls and walrus targets are the lambda's own.
  const visitExpr = (e: Expr): void => {
    if (e.k === 'call' && (e.fn.k === 'name' || e.fn.k === 'attr')) {
      const f = e.fn;
      const fact: CallFact = [dottedChain(f) ?? '', f.k === 'attr' ? f.name : '', f.k === 'attr' && f.obj.k === 'name' ? f.obj.id : ''];
      const key = `${fact[0]}\u0000${fact[1]}\u0000${fact[2]}`;
      if (!seenCalls.has(key)) {
        seenCalls.add(key);
        calls.push(fact);
      }
    }
    if (e.k === 'walrus') note({ k: 'name', id: e.target, span: e.span }, e.value);
    forEachChildExpr(e, visitExpr);
  };
  visit(body);
  return { calls, bindings, declaresGlobal: hasGlobal };
}

/** Whether a function body (nested functions included) has a `global` statement. */
function declaresGlobal(body: Stmt[]): boolean {
  let found = false;
  const visit = (stmts: Stmt[]): void => {
    for (const s of stmts) {
      if (found) return;
      if (s.k === 'global') found = true;
      else if (s.k === 'funcdef') visit(s.fn.body);
      else if (s.k === 'classdef') visit(s.cls.body);
      else forEachStmtChild(s, noop, visit);
    }
  };
  visit(body);
  return found;
}
