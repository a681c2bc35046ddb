/** Small, rule-agnostic helpers over the IR: children, structural equality, dotted names, source text. */
import type { Expr, Span, Stmt } from '../../../ir/types.js';
import type { RuleContext } from '../../types.js';
import { walkModule } from '../../../analysis/rule-context.js';

export type CallExpr = Extract<Expr, { k: 'call' }>;
export type AssignStmt = Extract<Stmt, { k: 'assign' }>;
export type FuncDefStmt = Extract<Stmt, { k: 'funcdef' }>;

export function isCall(e: Expr | Stmt | undefined): e is CallExpr {
  return e !== undefined && e.k === 'call';
}

/** Direct sub-expressions of an expression (lambda bodies are not entered). */
export function childExprs(e: Expr): Expr[] {
  switch (e.k) {
    case 'name':
    case 'const':
    case 'lambda':
      return [];
    case 'attr':
      return [e.obj];
    case 'index':
      return [e.obj, e.index];
    case 'slice':
      return [e.obj, e.lower, e.upper, e.step].filter((x): x is Expr => x !== undefined);
    case 'call':
      return [e.fn, ...e.args.map((a) => a.value)];
    case 'binop':
      return [e.left, e.right];
    case 'unop':
      return [e.operand];
    case 'boolop':
      return e.values;
    case 'compare':
      return e.operands;
    case 'cond':
      return [e.test, e.body, e.orelse];
    case 'template':
      return e.parts;
    case 'list':
    case 'tuple':
    case 'set':
      return e.elts;
    case 'dict':
      return [...e.keys.filter((k): k is Expr => k !== null), ...e.values];
    case 'comp':
      return [e.elt, ...(e.value ? [e.value] : []), ...e.generators.flatMap((g) => [g.iter, ...g.conds])];
    case 'await':
    case 'star':
    case 'walrus':
      return [e.value];
    case 'yield':
      return e.value ? [e.value] : [];
    case 'unknown':
      return e.children;
  }
}

/** Every expression of a subtree, the root first. */
export function* subtree(e: Expr): Generator<Expr> {
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    yield x;
    const kids = childExprs(x);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}

/** Expressions held directly by a statement (not those of nested statements). */
export function stmtExprs(s: Stmt): Expr[] {
  switch (s.k) {
    case 'assign':
      return [...s.targets, s.value];
    case 'expr':
      return [s.value];
    case 'return':
      return s.value ? [s.value] : [];
    case 'if':
    case 'while':
      return [s.test];
    case 'for':
      return [s.target, s.iter];
    case 'with':
      return s.items.flatMap((i) => (i.target ? [i.ctx, i.target] : [i.ctx]));
    case 'raise':
      return [s.exc, s.cause].filter((x): x is Expr => x !== undefined);
    case 'assert':
      return s.msg ? [s.test, s.msg] : [s.test];
    case 'match':
      return [s.subject];
    case 'delete':
      return s.targets;
    default:
      return [];
  }
}

/** Statement lists nested directly in a statement (function and class bodies included). */
export function childBlocks(s: Stmt): Stmt[][] {
  switch (s.k) {
    case 'if':
    case 'while':
    case 'for':
      return [s.body, s.orelse];
    case 'with':
      return [s.body];
    case 'try':
      return [s.body, ...s.handlers.map((h) => h.body), s.orelse, s.finalbody];
    case 'funcdef':
      return [s.fn.body];
    case 'classdef':
      return [s.cls.body];
    case 'match':
      return s.cases.map((c) => c.body);
    default:
      return [];
  }
}

/** Calls `visit` on every statement list of a body, outermost first. */
export function forEachBlock(body: Stmt[], visit: (block: Stmt[]) => void): void {
  visit(body);
  for (const s of body) for (const b of childBlocks(s)) forEachBlock(b, visit);
}

/** Every statement of a block and of the blocks nested in it, not entering functions and classes. */
export function* statementsIn(body: Stmt[]): Generator<Stmt> {
  for (const s of body) {
    yield s;
    if (s.k === 'funcdef' || s.k === 'classdef') continue;
    for (const b of childBlocks(s)) yield* statementsIn(b);
  }
}

/** Every expression of a block (statements nested included, functions and classes excluded). */
export function* expressionsIn(body: Stmt[]): Generator<Expr> {
  for (const s of statementsIn(body)) for (const e of stmtExprs(s)) yield* subtree(e);
}

/** Structural equality of two expressions, ignoring positions. */
export function sameExpr(a: Expr, b: Expr): boolean {
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'name':
      return a.id === (b as typeof a).id;
    case 'const':
      return a.value === (b as typeof a).value;
    case 'attr':
      return a.name === (b as typeof a).name && sameExpr(a.obj, (b as typeof a).obj);
    case 'call': {
      const c = b as typeof a;
      return (
        a.args.length === c.args.length &&
        a.args.every((x, i) => x.name === c.args[i].name && x.spread === c.args[i].spread) &&
        sameExprs(childExprs(a), childExprs(b))
      );
    }
    case 'binop':
    case 'unop':
    case 'boolop':
      return a.op === (b as typeof a).op && sameExprs(childExprs(a), childExprs(b));
    case 'compare':
      return a.ops.join() === (b as typeof a).ops.join() && sameExprs(childExprs(a), childExprs(b));
    case 'lambda':
    case 'unknown':
      return false;
    default:
      return sameExprs(childExprs(a), childExprs(b));
  }
}

function sameExprs(a: Expr[], b: Expr[]): boolean {
  return a.length === b.length && a.every((x, i) => sameExpr(x, b[i]));
}

/** "a.b.c" for a pure name/attribute chain, undefined otherwise. */
export function dottedName(e: Expr): string | undefined {
  if (e.k === 'name') return e.id;
  if (e.k === 'attr') {
    const base = dottedName(e.obj);
    return base === undefined ? undefined : `${base}.${e.name}`;
  }
  return undefined;
}

const QNAMES = {};
const newQnameCache = (): Map<Expr, string | null> => new Map();

/** Qualified name through imports, falling back to the dotted chain as written (memoised per module). */
export function qname(ctx: RuleContext, e: Expr): string | undefined {
  const cache = ctx.memo(QNAMES, newQnameCache);
  let q = cache.get(e);
  if (q === undefined) {
    q = resolveQname(ctx, e) ?? null;
    cache.set(e, q);
  }
  return q ?? undefined;
}

function resolveQname(ctx: RuleContext, e: Expr): string | undefined {
  // Rules name builtins bare (`open`, `str`), as written in code.
  const q = ctx.qualifiedName(e) ?? dottedName(e);
  return q?.startsWith('builtins.') ? q.slice('builtins.'.length) : q;
}

/** Qualified callee name of a call. */
export function calleeName(ctx: RuleContext, call: CallExpr): string | undefined {
  return qname(ctx, call.fn);
}

/** The method name of `x.m(...)`, or the function name of `f(...)`. */
export function methodName(call: CallExpr): string | undefined {
  if (call.fn.k === 'attr') return call.fn.name;
  if (call.fn.k === 'name') return call.fn.id;
  return undefined;
}

/** The receiver `x` of a method call `x.m(...)`. */
export function receiver(call: CallExpr): Expr | undefined {
  return call.fn.k === 'attr' ? call.fn.obj : undefined;
}

/**
 * The identifier a value is stored under: `x` for `x`, `secret` for `self.secret`,
 * `KEY` for `cfg["KEY"]`. Undefined for other shapes.
 */
export function storageName(target: Expr): string | undefined {
  if (target.k === 'name') return target.id;
  if (target.k === 'attr') return target.name;
  if (target.k === 'index' && target.index.k === 'const' && typeof target.index.value === 'string') return target.index.value;
  return undefined;
}

/** Source text covered by a span. */
export function spanText(ctx: RuleContext, span: Span): string {
  const lines: string[] = [];
  for (let n = span.startLine; n <= span.endLine; n++) {
    const text = [...ctx.line(n)];
    const from = n === span.startLine ? span.startColumn - 1 : 0;
    const to = n === span.endLine ? span.endColumn - 1 : text.length;
    lines.push(text.slice(from, to).join(''));
  }
  return lines.join('\n');
}

/** Source text of an expression for a message: one line, shortened. */
export function code(ctx: RuleContext, e: Expr | Span, max = 70): string {
  const span = 'startLine' in e ? e : e.span;
  const text = spanText(ctx, span).replace(/\s*\n\s*/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Whether a constant is the boolean `False` (or a falsy literal such as 0 / None). */
export function isFalseConst(ctx: RuleContext, e: Expr): boolean {
  const v = ctx.constValue(e);
  return v === false || v === 0 || v === null;
}

export function isTrueConst(ctx: RuleContext, e: Expr): boolean {
  const v = ctx.constValue(e);
  return v === true || v === 1;
}

export function constString(ctx: RuleContext, e: Expr): string | undefined {
  const v = ctx.constValue(e);
  return typeof v === 'string' ? v : undefined;
}

export function constNumber(ctx: RuleContext, e: Expr): number | undefined {
  const v = ctx.constValue(e);
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

const PARENTS = {};

/** A child -> parent map over every node `ctx.walk` visits, built once per module. */
export function parentMap(ctx: RuleContext): ReadonlyMap<Expr | Stmt, Expr | Stmt> {
  return ctx.memo(PARENTS, () => buildParentMap(ctx));
}

/**
 * Each node visited in `ctx.walk` order sets itself as the parent of its stmtExprs / childExprs and
 * of the statements of its childBlocks (so a node held twice gets the parent visited last).
 */
function buildParentMap(ctx: RuleContext): Map<Expr | Stmt, Expr | Stmt> {
  const parents = new Map<Expr | Stmt, Expr | Stmt>();
  walkModule(ctx.module, (node, isStmt) => {
    if (isStmt) setStmtParent(parents, node as Stmt);
    else setExprParent(parents, node as Expr);
  });
  return parents;
}

/** `parents.set(k, s)` for k in stmtExprs(s) and for the statements of childBlocks(s), without building the lists. */
function setStmtParent(parents: Map<Expr | Stmt, Expr | Stmt>, s: Stmt): void {
  const set = (k: Expr | Stmt | undefined): void => {
    if (k) parents.set(k, s);
  };
  const setAll = (ks: ReadonlyArray<Expr | Stmt>): void => {
    for (const k of ks) parents.set(k, s);
  };
  switch (s.k) {
    case 'assign': setAll(s.targets); set(s.value); break;
    case 'expr': set(s.value); break;
    case 'return': set(s.value); break;
    case 'if': case 'while': set(s.test); setAll(s.body); setAll(s.orelse); break;
    case 'for': set(s.target); set(s.iter); setAll(s.body); setAll(s.orelse); break;
    case 'with': for (const i of s.items) { set(i.ctx); set(i.target); } setAll(s.body); break;
    case 'try': setAll(s.body); for (const h of s.handlers) setAll(h.body); setAll(s.orelse); setAll(s.finalbody); break;
    case 'raise': set(s.exc); set(s.cause); break;
    case 'assert': set(s.test); set(s.msg); break;
    case 'match': set(s.subject); for (const c of s.cases) setAll(c.body); break;
    case 'delete': setAll(s.targets); break;
    case 'funcdef': setAll(s.fn.body); break;
    case 'classdef': setAll(s.cls.body); break;
    default: break;
  }
}

/** `parents.set(k, e)` for k in childExprs(e), without building the list. */
function setExprParent(parents: Map<Expr | Stmt, Expr | Stmt>, e: Expr): void {
  switch (e.k) {
    case 'name': case 'const': case 'lambda': return;
    case 'attr': parents.set(e.obj, e); return;
    case 'index': parents.set(e.obj, e); parents.set(e.index, e); return;
    case 'binop': parents.set(e.left, e); parents.set(e.right, e); return;
    case 'unop': parents.set(e.operand, e); return;
    case 'call':
      parents.set(e.fn, e);
      for (const a of e.args) parents.set(a.value, e);
      return;
    case 'dict':
      for (const k of e.keys) if (k !== null) parents.set(k, e);
      for (const v of e.values) parents.set(v, e);
      return;
    case 'comp':
      parents.set(e.elt, e);
      if (e.value) parents.set(e.value, e);
      for (const g of e.generators) {
        parents.set(g.iter, e);
        for (const c of g.conds) parents.set(c, e);
      }
      return;
    default:
      for (const k of childExprs(e)) parents.set(k, e);
  }
}

/** The file's base name, lower-cased. */
export function baseName(file: string): string {
  return (file.split('/').pop() ?? file).toLowerCase();
}
