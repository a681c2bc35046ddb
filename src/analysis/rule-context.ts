/** The RuleContext pattern rules see: a module, name resolution, constants, a walker, and reporting. */
import type { ConstValue, Expr, ModuleIR, Stmt } from '../ir/types.js';
import type { NodeKind, PatternReport, RuleContext, ScopeInfo, Visit } from '../rules/types.js';
import type { Program } from './program.js';
import { foldBinop, foldUnop, UNKNOWN } from './taint/consts.js';

export interface RuleContextOptions {
  program: Program;
  module: ModuleIR;
  isTestFile: boolean;
  report: (r: PatternReport) => void;
  taintKindsAt?: (expr: Expr) => string[];
}

export function isTestPath(file: string): boolean {
  return /(^|\/)(tests?|testing)\//.test(file) || /(^|\/)(test_[^/]*|[^/]*_tests?|conftest)\.py$/.test(file);
}

export function createRuleContext(o: RuleContextOptions): RuleContext {
  const { program, module } = o;
  // Function-local `import x as y` and simple constant assignments, gathered once per module.
  const moduleConsts = new Map<string, ConstValue>();
  for (const s of module.body) {
    if (s.k === 'assign' && !s.op && s.targets.length === 1 && s.targets[0]!.k === 'name' && s.value.k === 'const') {
      moduleConsts.set(s.targets[0]!.id, s.value.value);
    }
  }
  const reassigned = new Set<string>();
  let assignCount = new Map<string, number>();
  for (const s of module.body) if (s.k === 'assign') for (const t of s.targets) if (t.k === 'name') assignCount.set(t.id, (assignCount.get(t.id) ?? 0) + 1);
  for (const [n, c] of assignCount) if (c > 1) reassigned.add(n);
  assignCount = new Map();

  const localImports = new Map<string, string>();
  const collectLocalImports = (stmts: Stmt[]): void => {
    for (const s of stmts) {
      if (s.k === 'import') {
        for (const b of s.bindings) {
          if (b.local === '*' || program.lookupGlobal(module, b.local)) continue;
          localImports.set(b.local, b.member === undefined ? (b.aliased ? b.module : b.local) : `${b.module}.${b.member}`);
        }
      } else if (s.k === 'funcdef') collectLocalImports(s.fn.body);
      else if (s.k === 'classdef') collectLocalImports(s.cls.body);
      else if (s.k === 'if' || s.k === 'while' || s.k === 'for') {
        collectLocalImports(s.body);
        collectLocalImports(s.orelse);
      } else if (s.k === 'try') {
        collectLocalImports(s.body);
        for (const h of s.handlers) collectLocalImports(h.body);
        collectLocalImports(s.orelse);
        collectLocalImports(s.finalbody);
      } else if (s.k === 'with') collectLocalImports(s.body);
    }
  };
  collectLocalImports(module.body);

  // Resolution depends only on the identifier (names) or on the node (attribute chains): memoised.
  const nameQnames = new Map<string, string | null>();
  const attrQnames = new Map<Expr, string | null>();
  const resolveName = (e: Extract<Expr, { k: 'name' }>): string | null => {
    let q = nameQnames.get(e.id);
    if (q === undefined) {
      const raw = program.resolveExprName(module, e) ?? localImports.get(e.id);
      q = raw ? program.canonical(raw) : null;
      nameQnames.set(e.id, q);
    }
    return q;
  };
  const qualifiedName = (e: Expr): string | undefined => {
    if (e.k === 'name') return resolveName(e) ?? undefined;
    if (e.k !== 'attr') return undefined;
    let q = attrQnames.get(e);
    if (q === undefined) {
      const base = qualifiedName(e.obj);
      q = base ? `${base}.${e.name}` : null;
      attrQnames.set(e, q);
    }
    return q ?? undefined;
  };

  const constValue = (e: Expr, depth = 0): ConstValue | undefined => {
    if (depth > 20) return undefined;
    switch (e.k) {
      case 'const':
        return e.value;
      case 'name':
        return !reassigned.has(e.id) && moduleConsts.has(e.id) ? moduleConsts.get(e.id) : undefined;
      case 'unop': {
        const v = constValue(e.operand, depth + 1);
        if (v === undefined) return undefined;
        const f = foldUnop(e.op, v);
        return f === UNKNOWN ? undefined : f;
      }
      case 'binop': {
        const a = constValue(e.left, depth + 1);
        const b = constValue(e.right, depth + 1);
        if (a === undefined || b === undefined) return undefined;
        const f = foldBinop(e.op, a, b);
        return f === UNKNOWN ? undefined : f;
      }
      case 'template': {
        let s = '';
        for (const p of e.parts) {
          const v = constValue(p, depth + 1);
          if (v === undefined) return undefined;
          s += String(v);
        }
        return s;
      }
      default:
        return undefined;
    }
  };

  // Every rule looks at the same module: one walk records the visits in order, indexed by node kind.
  let index: WalkIndex | undefined;
  const walkIndex = (): WalkIndex => (index ??= indexWalk(module));
  const byKinds = new Map<string, readonly Visit[]>();
  const visitsOf = (kinds: readonly NodeKind[]): readonly Visit[] => {
    const key = kinds.join(',');
    let visits = byKinds.get(key);
    if (!visits) {
      visits = selectVisits(walkIndex(), kinds);
      byKinds.set(key, visits);
    }
    return visits;
  };
  const memos = new Map<object, unknown>();
  const memo = <T>(key: object, build: () => T): T => {
    if (memos.has(key)) return memos.get(key) as T;
    const value = build();
    memos.set(key, value);
    return value;
  };

  return {
    module,
    qualifiedName,
    constValue: (e) => constValue(e),
    walk: (visitor) => {
      const w = walkIndex();
      for (let i = 0; i < w.nodes.length; i++) visitor(visitAt(w, i));
    },
    visitsOf: (...kinds) => visitsOf(kinds) as never,
    memo,
    isTestFile: o.isTestFile,
    line: (n) => module.lines[n - 1] ?? '',
    report: o.report,
    taintKindsAt: o.taintKindsAt ?? (() => []),
  };
}

/** One walk of a module, as parallel arrays in walk order (a Visit object is made only when asked for). */
interface WalkIndex {
  nodes: Array<Expr | Stmt>;
  isStmt: boolean[];
  scopes: ScopeInfo[];
  /** Positions in the arrays of the nodes of each kind, ascending. */
  positions: Map<NodeKind, number[]>;
}

function visitAt(index: WalkIndex, i: number): Visit {
  return { node: index.nodes[i]!, isStmt: index.isStmt[i]!, scope: index.scopes[i]! };
}

function selectVisits(index: WalkIndex, kinds: readonly NodeKind[]): Visit[] {
  let positions: number[] | undefined;
  for (const k of kinds) {
    const p = index.positions.get(k);
    if (p) positions = positions ? mergeAscending(positions, p) : p;
  }
  if (!positions) return [];
  const out: Visit[] = new Array(positions.length);
  for (let i = 0; i < positions.length; i++) out[i] = visitAt(index, positions[i]!);
  return out;
}

function mergeAscending(a: number[], b: number[]): number[] {
  const out: number[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! < b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/** Walks a module once, recording each statement and expression with its scope, in source order. */
function indexWalk(module: ModuleIR): WalkIndex {
  const nodes: Array<Expr | Stmt> = [];
  const isStmt: boolean[] = [];
  const scopes: ScopeInfo[] = [];
  const positions = new Map<NodeKind, number[]>();
  const record = (node: Expr | Stmt, stmt: boolean, scope: ScopeInfo): void => {
    let list = positions.get(node.k);
    if (!list) positions.set(node.k, (list = []));
    list.push(nodes.length);
    nodes.push(node);
    isStmt.push(stmt);
    scopes.push(scope);
  };
  const visitExpr = (e: Expr, scope: ScopeInfo): void => {
    record(e, false, scope);
    forEachChildExpr(e, (c) => visitExpr(c, scope), (fnBody, name) => visitStmts(fnBody, { ...scope, qualname: `${scope.qualname}.${name}`, functionName: name }));
  };
  const visitStmts = (stmts: Stmt[], scope: ScopeInfo): void => {
    for (const s of stmts) {
      record(s, true, scope);
      switch (s.k) {
        case 'funcdef': {
          const inner: ScopeInfo = { qualname: `${scope.qualname}.${s.fn.name}`, functionName: s.fn.name, className: scope.className };
          for (const d of s.fn.decorators) visitExpr(d, scope);
          for (const p of s.fn.params) if (p.default) visitExpr(p.default, scope);
          visitStmts(s.fn.body, inner);
          break;
        }
        case 'classdef': {
          for (const d of s.cls.decorators) visitExpr(d, scope);
          for (const b of s.cls.bases) visitExpr(b, scope);
          for (const k of s.cls.keywords) visitExpr(k.value, scope);
          visitStmts(s.cls.body, { qualname: `${scope.qualname}.${s.cls.name}`, className: s.cls.name });
          break;
        }
        default:
          forEachStmtChild(s, (e) => visitExpr(e, scope), (b) => visitStmts(b, scope));
      }
    }
  };
  visitStmts(module.body, { qualname: module.name });
  return { nodes, isStmt, scopes, positions };
}

export function forEachChildExpr(e: Expr, onExpr: (c: Expr) => void, onFunctionBody?: (body: Stmt[], name: string) => void): void {
  switch (e.k) {
    case 'attr': onExpr(e.obj); break;
    case 'index': onExpr(e.obj); onExpr(e.index); break;
    case 'slice': onExpr(e.obj); if (e.lower) onExpr(e.lower); if (e.upper) onExpr(e.upper); if (e.step) onExpr(e.step); break;
    case 'call': onExpr(e.fn); for (const a of e.args) onExpr(a.value); break;
    case 'binop': onExpr(e.left); onExpr(e.right); break;
    case 'unop': onExpr(e.operand); break;
    case 'boolop': e.values.forEach(onExpr); break;
    case 'compare': e.operands.forEach(onExpr); break;
    case 'cond': onExpr(e.test); onExpr(e.body); onExpr(e.orelse); break;
    case 'template': e.parts.forEach(onExpr); break;
    case 'list': case 'tuple': case 'set': e.elts.forEach(onExpr); break;
    case 'dict': e.keys.forEach((k) => k && onExpr(k)); e.values.forEach(onExpr); break;
    case 'lambda': if (onFunctionBody) onFunctionBody(e.fn.body, '<lambda>'); break;
    case 'comp': for (const g of e.generators) { onExpr(g.iter); onExpr(g.target); g.conds.forEach(onExpr); } onExpr(e.elt); if (e.value) onExpr(e.value); break;
    case 'await': case 'star': onExpr(e.value); break;
    case 'yield': if (e.value) onExpr(e.value); break;
    case 'walrus': onExpr(e.value); break;
    case 'unknown': e.children.forEach(onExpr); break;
    default: break;
  }
}

export function forEachStmtChild(s: Stmt, onExpr: (e: Expr) => void, onBlock: (b: Stmt[]) => void): void {
  switch (s.k) {
    case 'assign': s.targets.forEach(onExpr); onExpr(s.value); break;
    case 'expr': onExpr(s.value); break;
    case 'return': if (s.value) onExpr(s.value); break;
    case 'if': case 'while': onExpr(s.test); onBlock(s.body); onBlock(s.orelse); break;
    case 'for': onExpr(s.target); onExpr(s.iter); onBlock(s.body); onBlock(s.orelse); break;
    case 'with': for (const i of s.items) { onExpr(i.ctx); if (i.target) onExpr(i.target); } onBlock(s.body); break;
    case 'try': onBlock(s.body); for (const h of s.handlers) { if (h.type) onExpr(h.type); onBlock(h.body); } onBlock(s.orelse); onBlock(s.finalbody); break;
    case 'raise': if (s.exc) onExpr(s.exc); if (s.cause) onExpr(s.cause); break;
    case 'assert': onExpr(s.test); if (s.msg) onExpr(s.msg); break;
    case 'match': onExpr(s.subject); for (const c of s.cases) { if (c.guard) onExpr(c.guard); onBlock(c.body); } break;
    case 'delete': s.targets.forEach(onExpr); break;
    default: break;
  }
}
