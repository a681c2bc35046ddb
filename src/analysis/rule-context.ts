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

  // Every rule looks at the same module: one walk indexes the visits by node kind, in walk order.
  const index = new WalkIndex(module);
  let localImports: Map<string, string> | undefined;
  const localImport = (id: string): string | undefined => (localImports ??= collectLocalImports(program, module, index)).get(id);

  // Resolution depends only on the identifier (names) or on the node (attribute chains): memoised.
  const nameQnames = new Map<string, string | null>();
  const attrQnames = new Map<Expr, string | null>();
  const resolveName = (e: Extract<Expr, { k: 'name' }>): string | null => {
    let q = nameQnames.get(e.id);
    if (q === undefined) {
      const raw = program.resolveExprName(module, e) ?? localImport(e.id);
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

  const memos = new Map<object, unknown>();
  const memo = <T>(key: object, build: () => T): T => {
    const known = memos.get(key);
    if (known !== undefined || memos.has(key)) return known as T;
    const value = build();
    memos.set(key, value);
    return value;
  };

  return {
    module,
    qualifiedName,
    constValue: (e) => constValue(e),
    walk: (visitor) => walkModule(module, (node, isStmt, scope) => visitor({ node, isStmt, scope })),
    visitsOf: (...kinds) => index.visits(kinds) as never,
    nodesOf: (kind) => index.nodes(kind) as never,
    memo,
    isTestFile: o.isTestFile,
    line: (n) => module.lines[n - 1] ?? '',
    report: o.report,
    taintKindsAt: o.taintKindsAt ?? (() => []),
  };
}

/** Function-local `import x as y` (names the module scope does not bind), the last import of a name winning. */
function collectLocalImports(program: Program, module: ModuleIR, index: WalkIndex): Map<string, string> {
  const localImports = new Map<string, string>();
  const add = (s: Extract<Stmt, { k: 'import' }>): void => {
    for (const b of s.bindings) {
      if (b.local === '*' || program.lookupGlobal(module, b.local)) continue;
      localImports.set(b.local, b.member === undefined ? (b.aliased ? b.module : b.local) : `${b.module}.${b.member}`);
    }
  };
  // Imports inside `match` cases do not count. Without match statements, the walk's import
  // statements are exactly the ones counted, in the same order.
  if (index.nodes('match').length === 0) {
    for (const s of index.nodes('import')) add(s as Extract<Stmt, { k: 'import' }>);
    return localImports;
  }
  const collect = (stmts: Stmt[]): void => {
    for (const s of stmts) {
      if (s.k === 'import') add(s);
      else if (s.k === 'funcdef') collect(s.fn.body);
      else if (s.k === 'classdef') collect(s.cls.body);
      else if (s.k === 'if' || s.k === 'while' || s.k === 'for') {
        collect(s.body);
        collect(s.orelse);
      } else if (s.k === 'try') {
        collect(s.body);
        for (const h of s.handlers) collect(h.body);
        collect(s.orelse);
        collect(s.finalbody);
      } else if (s.k === 'with') collect(s.body);
    }
  };
  collect(module.body);
  return localImports;
}

export type WalkVisitor = (node: Expr | Stmt, isStmt: boolean, scope: ScopeInfo) => void;

/**
 * Visits every statement and expression of a module in source order, with its scope: the order of
 * `RuleContext.walk`, without making a Visit object per node.
 */
export function walkModule(module: ModuleIR, visit: WalkVisitor): void {
  walkStmts(module.body, { qualname: module.name }, visit);
}

function walkStmts(stmts: Stmt[], scope: ScopeInfo, visit: WalkVisitor): void {
  for (const s of stmts) {
    visit(s, true, scope);
    switch (s.k) {
      case 'funcdef': {
        const inner: ScopeInfo = { qualname: `${scope.qualname}.${s.fn.name}`, functionName: s.fn.name, className: scope.className };
        for (const d of s.fn.decorators) walkExpr(d, scope, visit);
        for (const p of s.fn.params) if (p.default) walkExpr(p.default, scope, visit);
        walkStmts(s.fn.body, inner, visit);
        break;
      }
      case 'classdef':
        for (const d of s.cls.decorators) walkExpr(d, scope, visit);
        for (const b of s.cls.bases) walkExpr(b, scope, visit);
        for (const k of s.cls.keywords) walkExpr(k.value, scope, visit);
        walkStmts(s.cls.body, { qualname: `${scope.qualname}.${s.cls.name}`, className: s.cls.name }, visit);
        break;
      default:
        walkStmtChildren(s, scope, visit);
    }
  }
}

/** The children of a statement other than a definition, in the order of forEachStmtChild. */
function walkStmtChildren(s: Stmt, scope: ScopeInfo, visit: WalkVisitor): void {
  switch (s.k) {
    case 'assign':
      walkExprs(s.targets, scope, visit);
      walkExpr(s.value, scope, visit);
      break;
    case 'expr':
      walkExpr(s.value, scope, visit);
      break;
    case 'return':
      if (s.value) walkExpr(s.value, scope, visit);
      break;
    case 'if':
    case 'while':
      walkExpr(s.test, scope, visit);
      walkStmts(s.body, scope, visit);
      walkStmts(s.orelse, scope, visit);
      break;
    case 'for':
      walkExpr(s.target, scope, visit);
      walkExpr(s.iter, scope, visit);
      walkStmts(s.body, scope, visit);
      walkStmts(s.orelse, scope, visit);
      break;
    case 'with':
      for (const i of s.items) {
        walkExpr(i.ctx, scope, visit);
        if (i.target) walkExpr(i.target, scope, visit);
      }
      walkStmts(s.body, scope, visit);
      break;
    case 'try':
      walkStmts(s.body, scope, visit);
      for (const h of s.handlers) {
        if (h.type) walkExpr(h.type, scope, visit);
        walkStmts(h.body, scope, visit);
      }
      walkStmts(s.orelse, scope, visit);
      walkStmts(s.finalbody, scope, visit);
      break;
    case 'raise':
      if (s.exc) walkExpr(s.exc, scope, visit);
      if (s.cause) walkExpr(s.cause, scope, visit);
      break;
    case 'assert':
      walkExpr(s.test, scope, visit);
      if (s.msg) walkExpr(s.msg, scope, visit);
      break;
    case 'match':
      walkExpr(s.subject, scope, visit);
      for (const c of s.cases) {
        if (c.guard) walkExpr(c.guard, scope, visit);
        walkStmts(c.body, scope, visit);
      }
      break;
    case 'delete':
      walkExprs(s.targets, scope, visit);
      break;
    default:
      break;
  }
}

function walkExprs(es: Expr[], scope: ScopeInfo, visit: WalkVisitor): void {
  for (const e of es) walkExpr(e, scope, visit);
}

/** An expression and its sub-expressions, in the order of forEachChildExpr; lambda bodies are entered. */
function walkExpr(e: Expr, scope: ScopeInfo, visit: WalkVisitor): void {
  visit(e, false, scope);
  switch (e.k) {
    case 'attr': walkExpr(e.obj, scope, visit); break;
    case 'index': walkExpr(e.obj, scope, visit); walkExpr(e.index, scope, visit); break;
    case 'slice':
      walkExpr(e.obj, scope, visit);
      if (e.lower) walkExpr(e.lower, scope, visit);
      if (e.upper) walkExpr(e.upper, scope, visit);
      if (e.step) walkExpr(e.step, scope, visit);
      break;
    case 'call':
      walkExpr(e.fn, scope, visit);
      for (const a of e.args) walkExpr(a.value, scope, visit);
      break;
    case 'binop': walkExpr(e.left, scope, visit); walkExpr(e.right, scope, visit); break;
    case 'unop': walkExpr(e.operand, scope, visit); break;
    case 'boolop': walkExprs(e.values, scope, visit); break;
    case 'compare': walkExprs(e.operands, scope, visit); break;
    case 'cond': walkExpr(e.test, scope, visit); walkExpr(e.body, scope, visit); walkExpr(e.orelse, scope, visit); break;
    case 'template': walkExprs(e.parts, scope, visit); break;
    case 'list': case 'tuple': case 'set': walkExprs(e.elts, scope, visit); break;
    case 'dict':
      for (const k of e.keys) if (k) walkExpr(k, scope, visit);
      walkExprs(e.values, scope, visit);
      break;
    case 'lambda':
      walkStmts(e.fn.body, { ...scope, qualname: `${scope.qualname}.<lambda>`, functionName: '<lambda>' }, visit);
      break;
    case 'comp':
      for (const g of e.generators) {
        walkExpr(g.iter, scope, visit);
        walkExpr(g.target, scope, visit);
        walkExprs(g.conds, scope, visit);
      }
      walkExpr(e.elt, scope, visit);
      if (e.value) walkExpr(e.value, scope, visit);
      break;
    case 'await': case 'star': case 'walrus': walkExpr(e.value, scope, visit); break;
    case 'yield': if (e.value) walkExpr(e.value, scope, visit); break;
    case 'unknown': walkExprs(e.children, scope, visit); break;
    default: break;
  }
}

/** The visits of one kind: positions in walk order (ascending), nodes and scopes. */
interface KindList {
  positions: number[];
  nodes: Array<Expr | Stmt>;
  scopes: ScopeInfo[];
  /** Visit objects, made when first asked for. */
  visits?: Visit[];
}

/**
 * The walk of a module indexed by node kind. Built on first use; names and constants, most of the
 * nodes and asked for by few rules, on demand.
 */
class WalkIndex {
  private lists: Map<NodeKind, KindList> | undefined;
  private withOnDemand = false;
  private readonly merged = new Map<string, Visit[]>();

  constructor(private readonly module: ModuleIR) {}

  /** The visits whose node has one of `kinds`, in walk order. */
  visits(kinds: readonly NodeKind[]): Visit[] {
    if (kinds.length === 1) return this.visitsOfKind(kinds[0]!);
    // The merge does not depend on the order the kinds are named in.
    const key = [...kinds].sort().join(',');
    let visits = this.merged.get(key);
    if (!visits) {
      const lists = kinds.map((k) => this.list(k)).filter((l): l is KindList => l !== undefined);
      visits = mergeVisits(lists.map((l) => l.positions), lists.map(listVisits));
      this.merged.set(key, visits);
    }
    return visits;
  }

  /** The nodes of one kind, in walk order. */
  nodes(kind: NodeKind): ReadonlyArray<Expr | Stmt> {
    return this.list(kind)?.nodes ?? [];
  }

  private visitsOfKind(kind: NodeKind): Visit[] {
    const list = this.list(kind);
    return list ? listVisits(list) : [];
  }

  private list(kind: NodeKind): KindList | undefined {
    if (!this.lists) this.lists = this.build(false);
    if (!this.withOnDemand && (kind === 'name' || kind === 'const')) {
      for (const [k, list] of this.build(true)) this.lists.set(k, list);
      this.withOnDemand = true;
    }
    return this.lists.get(kind);
  }

  private build(onDemand: boolean): Map<NodeKind, KindList> {
    const lists = new Map<NodeKind, KindList>();
    let position = 0;
    walkModule(this.module, (node, _isStmt, scope) => {
      const at = position++;
      if ((node.k === 'name' || node.k === 'const') !== onDemand) return;
      let list = lists.get(node.k);
      if (!list) lists.set(node.k, (list = { positions: [], nodes: [], scopes: [] }));
      list.positions.push(at);
      list.nodes.push(node);
      list.scopes.push(scope);
    });
    return lists;
  }
}

const STMT_KIND: Record<Stmt['k'], true> = {
  assign: true, expr: true, return: true, if: true, while: true, for: true, with: true, try: true, raise: true, assert: true,
  funcdef: true, classdef: true, import: true, match: true, delete: true, global: true, pass: true, break: true, continue: true,
};
const STMT_KINDS: ReadonlySet<NodeKind> = new Set(Object.keys(STMT_KIND) as NodeKind[]);

function listVisits(list: KindList): Visit[] {
  if (list.visits) return list.visits;
  const out: Visit[] = new Array(list.nodes.length);
  for (let i = 0; i < out.length; i++) out[i] = { node: list.nodes[i]!, isStmt: STMT_KINDS.has(list.nodes[i]!.k), scope: list.scopes[i]! };
  return (list.visits = out);
}

/** Visit lists merged into walk order by their positions. */
function mergeVisits(positions: number[][], visits: Visit[][]): Visit[] {
  if (visits.length === 1) return visits[0]!;
  let total = 0;
  for (const v of visits) total += v.length;
  const out: Visit[] = new Array(total);
  const next = new Array<number>(visits.length).fill(0);
  for (let o = 0; o < total; o++) {
    let best = -1;
    let bestPosition = Infinity;
    for (let l = 0; l < visits.length; l++) {
      const p = positions[l]![next[l]!];
      if (p !== undefined && p < bestPosition) {
        best = l;
        bestPosition = p;
      }
    }
    out[o] = visits[best]![next[best]!++]!;
  }
  return out;
}

// IR traversal lives in ir/walk.ts (the module cache's facts use it too); re-exported for the rules.
export { forEachChildExpr, forEachStmtChild } from '../ir/walk.js';
