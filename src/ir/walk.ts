/**
 * One step of a walk over the IR: the direct child expressions and statement blocks of a node.
 * Walkers recurse themselves, so each decides where to stop (nested functions, lambdas).
 */
import type { Expr, FunctionDef, Stmt } from './types.js';

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

/** Where a span is: `holder[key]`. */
export type SpanSlotVisitor = (holder: Record<string | number, unknown>, key: string | number) => void;

/**
 * Every place a statement list holds a Span, in a fixed order: nodes' `span`, functions'
 * `headerSpan`, parameters, except handlers and match cases, nested functions and classes
 * included. For encodings that store spans apart (cache/module-payload.ts); a slot this walk
 * misses is only stored the slower way, never lost.
 */
export function forEachSpanSlot(body: Stmt[], visit: SpanSlotVisitor): void {
  const slot = (o: object, key: string): void => visit(o as Record<string, unknown>, key);
  const expr = (e: Expr): void => {
    slot(e, 'span');
    if (e.k === 'lambda') fn(e.fn);
    else forEachChildExpr(e, expr);
  };
  const block = (b: Stmt[]): void => {
    for (const s of b) stmt(s);
  };
  const fn = (f: FunctionDef): void => {
    slot(f, 'span');
    slot(f, 'headerSpan');
    for (const d of f.decorators) expr(d);
    for (const p of f.params) {
      slot(p, 'span');
      if (p.default) expr(p.default);
      if (p.annotation) expr(p.annotation);
    }
    if (f.returns) expr(f.returns);
    block(f.body);
  };
  const stmt = (s: Stmt): void => {
    slot(s, 'span');
    switch (s.k) {
      case 'funcdef':
        fn(s.fn);
        return;
      case 'classdef':
        slot(s.cls, 'span');
        for (const d of s.cls.decorators) expr(d);
        for (const b of s.cls.bases) expr(b);
        for (const k of s.cls.keywords) expr(k.value);
        block(s.cls.body);
        return;
      case 'try':
        for (const h of s.handlers) slot(h, 'span');
        break;
      case 'match':
        for (const c of s.cases) {
          slot(c, 'span');
          expr(c.pattern);
        }
        break;
      default:
        break;
    }
    forEachStmtChild(s, expr, block);
  };
  block(body);
}
