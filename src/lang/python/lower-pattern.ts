/**
 * Lowering of `match` case patterns to expressions. Literal and value patterns become the
 * constants / names they compare against; capture names are collected (and appear as `name`
 * expressions in the pattern); class patterns become `unknown` with the class and sub-patterns.
 */
import type { Expr } from '../../ir/types.js';
import { LowerContext, namedChildren } from './context.js';
import { lowerExpr } from './lower-expr.js';
import type { PyNode } from './parser.js';

export function lowerPattern(ctx: LowerContext, n: PyNode, captures: string[]): Expr {
  if (ctx.depth >= ctx.maxDepth) return ctx.truncated(n);
  ctx.depth++;
  const e = lowerPatternAtDepth(ctx, n, captures);
  ctx.depth--;
  return e;
}

function lowerPatternAtDepth(ctx: LowerContext, n: PyNode, captures: string[]): Expr {
  const span = ctx.span(n);
  switch (n.type) {
    case 'case_pattern': {
      const parts = patternSequence(ctx, n, captures);
      // `_` (an anonymous token) matches anything and binds nothing.
      return parts.length === 1 ? parts[0] : { k: 'unknown', children: parts, span };
    }
    case 'as_pattern': {
      const kids = namedChildren(n);
      const alias = kids[kids.length - 1];
      const inner = kids.length > 1 ? lowerPattern(ctx, kids[0], captures) : { k: 'unknown' as const, children: [], span };
      if (alias?.type === 'identifier') captures.push(ctx.text(alias));
      return inner;
    }
    case 'dotted_name': {
      const ids = namedChildren(n);
      if (ids.length === 1) {
        const id = ctx.text(ids[0]);
        captures.push(id);
        return { k: 'name', id, span };
      }
      let e: Expr = { k: 'name', id: ids.length ? ctx.text(ids[0]) : '', span: ids.length ? ctx.span(ids[0]) : span };
      for (const id of ids.slice(1)) e = { k: 'attr', obj: e, name: ctx.text(id), span: ctx.spanBetween(n.start, id.end) };
      return e;
    }
    case 'list_pattern':
      return { k: 'list', elts: patternSequence(ctx, n, captures), span };
    case 'tuple_pattern':
      return { k: 'tuple', elts: patternSequence(ctx, n, captures), span };
    case 'dict_pattern':
      return lowerDictPattern(ctx, n, captures);
    case 'splat_pattern': {
      const name = namedChildren(n)[0];
      if (name) captures.push(ctx.text(name));
      const value: Expr = name ? { k: 'name', id: ctx.text(name), span: ctx.span(name) } : { k: 'unknown', children: [], span };
      return { k: 'star', value, span };
    }
    case 'class_pattern': {
      const [cls, ...args] = namedChildren(n);
      const children: Expr[] = [];
      if (cls) children.push(dottedValue(ctx, cls));
      for (const arg of args) children.push(lowerPattern(ctx, arg, captures));
      return { k: 'unknown', children, span };
    }
    case 'keyword_pattern': {
      // `x=0` inside a class pattern: the sub-pattern matters, the attribute name does not bind.
      const parts = patternSequence(ctx, n, captures, 1);
      return parts.length === 1 ? parts[0] : { k: 'unknown', children: parts, span };
    }
    case 'union_pattern':
      return { k: 'unknown', children: patternSequence(ctx, n, captures), span };
    case 'complex_pattern':
      return { k: 'unknown', children: [], span };
    default:
      return lowerExpr(ctx, n);
  }
}

/** Sub-patterns of n in order, folding a `-` token into the number after it. */
function patternSequence(ctx: LowerContext, n: PyNode, captures: string[], skipNamed = 0): Expr[] {
  const out: Expr[] = [];
  let negate = false;
  let skipped = 0;
  for (const kid of n.children) {
    if (!kid.named) {
      if (kid.type === '-') negate = true;
      else if (kid.type === '_') out.push({ k: 'unknown', children: [], span: ctx.span(kid) });
      continue;
    }
    if (skipped < skipNamed) {
      skipped++;
      continue;
    }
    out.push(negate ? negated(ctx, kid, n) : lowerPattern(ctx, kid, captures));
    negate = false;
  }
  return out;
}

function negated(ctx: LowerContext, num: PyNode, parent: PyNode): Expr {
  const e = lowerExpr(ctx, num);
  const span = ctx.spanBetween(Math.max(parent.start, num.start - 1), num.end);
  if (e.k === 'const' && (typeof e.value === 'number' || typeof e.value === 'bigint')) {
    return { k: 'const', value: -e.value, span };
  }
  return { k: 'unop', op: '-', operand: e, span };
}

/** A class name in a class pattern is a reference, never a capture. */
function dottedValue(ctx: LowerContext, n: PyNode): Expr {
  return lowerPattern(ctx, n, []);
}

function lowerDictPattern(ctx: LowerContext, n: PyNode, captures: string[]): Expr {
  const keys: (Expr | null)[] = [];
  const values: Expr[] = [];
  let negate = false;
  let pendingKey: Expr | undefined;
  for (const kid of n.children) {
    if (!kid.named) {
      if (kid.type === '-') negate = true;
      continue;
    }
    if (kid.type === 'splat_pattern') {
      const star = lowerPattern(ctx, kid, captures);
      keys.push(null);
      values.push(star.k === 'star' ? star.value : star);
    } else if (pendingKey === undefined) {
      // Keys are value patterns (literals, dotted names): they never bind.
      pendingKey = negate ? negated(ctx, kid, n) : kid.type === 'dotted_name' ? dottedValue(ctx, kid) : lowerPattern(ctx, kid, []);
    } else {
      keys.push(pendingKey);
      values.push(lowerPattern(ctx, kid, captures));
      pendingKey = undefined;
    }
    negate = false;
  }
  return { k: 'dict', keys, values, span: ctx.span(n) };
}
