/** Lowering of Python expressions (tree-sitter nodes) to IR expressions. */
import type { Arg, Comprehension, Expr, FunctionDef, Param, Span } from '../../ir/types.js';
import { LowerContext, childOfType, namedAfter, namedBefore, namedChildren, tokenIndex } from './context.js';
import { decodeStringBody, floatValue, integerValue, stringPrefix } from './literals.js';
import type { PyNode } from './parser.js';

export function lowerExpr(ctx: LowerContext, n: PyNode): Expr {
  if (ctx.depth >= ctx.maxDepth) return ctx.truncated(n);
  ctx.depth++;
  const e = lowerExprAtDepth(ctx, n);
  ctx.depth--;
  return e;
}

/** Lowers an optional child; a missing one (e.g. dropped by error recovery) becomes an empty unknown. */
export function lowerOptional(ctx: LowerContext, n: PyNode | undefined, at: PyNode): Expr {
  return n ? lowerExpr(ctx, n) : { k: 'unknown', children: [], span: ctx.spanBetween(at.end, at.end) };
}

/** Several expressions (`a, b` without parentheses) lower to a tuple; one to itself. */
export function lowerExprs(ctx: LowerContext, nodes: PyNode[], at: PyNode): Expr {
  if (nodes.length === 1) return lowerExpr(ctx, nodes[0]);
  if (nodes.length === 0) return lowerOptional(ctx, undefined, at);
  const span = ctx.spanBetween(nodes[0].start, nodes[nodes.length - 1].end);
  return { k: 'tuple', elts: nodes.map((c) => lowerExpr(ctx, c)), span };
}

function lowerExprAtDepth(ctx: LowerContext, n: PyNode): Expr {
  switch (n.type) {
    case 'identifier':
      return { k: 'name', id: ctx.text(n), span: ctx.span(n) };
    case 'integer': {
      const value = integerValue(ctx.text(n));
      return value === undefined ? unknown(ctx, n, []) : { k: 'const', value, span: ctx.span(n) };
    }
    case 'float': {
      const value = floatValue(ctx.text(n));
      return value === undefined ? unknown(ctx, n, []) : { k: 'const', value, span: ctx.span(n) };
    }
    case 'true':
      return { k: 'const', value: true, span: ctx.span(n) };
    case 'false':
      return { k: 'const', value: false, span: ctx.span(n) };
    case 'none':
      return { k: 'const', value: null, span: ctx.span(n) };
    case 'string':
      return lowerString(ctx, n);
    case 'concatenated_string':
      return lowerConcatenatedString(ctx, n);
    case 'attribute': {
      const [obj, attr] = namedChildren(n);
      return { k: 'attr', obj: lowerOptional(ctx, obj, n), name: attr ? ctx.text(attr) : '', span: ctx.span(n) };
    }
    case 'subscript':
      return lowerSubscript(ctx, n);
    case 'call':
      return lowerCall(ctx, n);
    case 'binary_operator': {
      const kids = namedChildren(n);
      const op = n.children.find((c) => !c.named);
      return {
        k: 'binop',
        op: op ? op.type : '?',
        left: lowerOptional(ctx, kids[0], n),
        right: lowerOptional(ctx, kids[1], n),
        span: ctx.span(n),
      };
    }
    case 'unary_operator':
      return lowerUnary(ctx, n);
    case 'not_operator':
      return { k: 'unop', op: 'not', operand: lowerOptional(ctx, namedChildren(n)[0], n), span: ctx.span(n) };
    case 'boolean_operator':
      return lowerBooleanChain(ctx, n);
    case 'comparison_operator':
      return lowerComparison(ctx, n);
    case 'conditional_expression': {
      const [body, test, orelse] = namedChildren(n);
      return {
        k: 'cond',
        test: lowerOptional(ctx, test, n),
        body: lowerOptional(ctx, body, n),
        orelse: lowerOptional(ctx, orelse, n),
        span: ctx.span(n),
      };
    }
    case 'named_expression': {
      const [target, value] = namedChildren(n);
      return { k: 'walrus', target: target ? ctx.text(target) : '', value: lowerOptional(ctx, value, n), span: ctx.span(n) };
    }
    case 'lambda':
      return lowerLambda(ctx, n);
    case 'await':
      return { k: 'await', value: lowerOptional(ctx, namedChildren(n)[0], n), span: ctx.span(n) };
    case 'list':
    case 'list_pattern':
      return { k: 'list', elts: namedChildren(n).map((c) => lowerExpr(ctx, c)), span: ctx.span(n) };
    case 'set':
      return { k: 'set', elts: namedChildren(n).map((c) => lowerExpr(ctx, c)), span: ctx.span(n) };
    case 'tuple':
    case 'tuple_pattern':
    case 'expression_list':
    case 'pattern_list':
      return { k: 'tuple', elts: namedChildren(n).map((c) => lowerExpr(ctx, c)), span: ctx.span(n) };
    case 'parenthesized_expression':
    case 'as_pattern_target':
    case 'type': {
      const kids = namedChildren(n);
      return kids.length === 1 ? lowerExpr(ctx, kids[0]) : unknown(ctx, n, kids);
    }
    case 'dictionary':
      return lowerDictionary(ctx, n);
    case 'list_comprehension':
      return lowerComprehension(ctx, n, 'list');
    case 'set_comprehension':
      return lowerComprehension(ctx, n, 'set');
    case 'dictionary_comprehension':
      return lowerComprehension(ctx, n, 'dict');
    case 'generator_expression':
      return lowerComprehension(ctx, n, 'gen');
    case 'list_splat':
    case 'list_splat_pattern':
    case 'parenthesized_list_splat':
      return { k: 'star', value: lowerOptional(ctx, namedChildren(n)[0], n), span: ctx.span(n) };
    case 'yield':
      return lowerYield(ctx, n);
    default:
      // ellipsis, complex literals, ERROR, types, `**x` outside calls and dicts, ...
      return unknown(ctx, n, namedChildren(n));
  }
}

/** An `unknown` expression whose children are the lowered given nodes (empty unknowns dropped). */
export function unknown(ctx: LowerContext, n: PyNode, kids: PyNode[]): Expr {
  const children: Expr[] = [];
  for (const kid of kids) {
    const e = lowerExpr(ctx, kid);
    if (e.k !== 'unknown' || e.children.length > 0) children.push(e);
  }
  return { k: 'unknown', children, span: ctx.span(n) };
}

// ---------------------------------------------------------------- strings

function lowerString(ctx: LowerContext, n: PyNode): Expr {
  const text = ctx.text(n);
  const quoteAt = text.search(/["']/);
  const prefix = stringPrefix(quoteAt > 0 ? text.slice(0, quoteAt) : '');
  if (!prefix.formatted) {
    // Plain literals are decoded from their text: the parser does not copy their children.
    return { k: 'const', value: decodeStringBody(stringBody(text, quoteAt), prefix), span: ctx.span(n) };
  }
  const parts: Expr[] = [];
  for (const kid of n.children) {
    if (kid.type === 'string_content') {
      parts.push({ k: 'const', value: decodeStringBody(ctx.text(kid), prefix), span: ctx.span(kid) });
    } else if (kid.type === 'interpolation') {
      lowerInterpolation(ctx, kid, parts);
    }
  }
  return templateOrConst(ctx, parts, n);
}

/** The text between the quotes (one or three) of a literal; tolerates a missing closing quote. */
function stringBody(text: string, quoteAt: number): string {
  if (quoteAt < 0) return '';
  const q = text[quoteAt];
  const triple = text.startsWith(q + q + q, quoteAt) && text.length - quoteAt >= 6;
  const open = quoteAt + (triple ? 3 : 1);
  const close = triple ? q + q + q : q;
  const end = text.length - close.length >= open && text.endsWith(close) ? text.length - close.length : text.length;
  return text.slice(open, end);
}

/** `{expr!r:spec}`: the expression only; conversions and format specs do not change taint. */
function lowerInterpolation(ctx: LowerContext, n: PyNode, parts: Expr[]): void {
  const expr = n.children.find((c) => c.named && c.type !== 'type_conversion' && c.type !== 'format_specifier');
  const selfDocumenting = tokenIndex(n, '=');
  if (selfDocumenting >= 0) {
    // f"{x=}" renders as "x=" followed by the value.
    const eq = n.children[selfDocumenting];
    parts.push({ k: 'const', value: ctx.source.slice(n.start + 1, eq.end), span: ctx.spanBetween(n.start + 1, eq.end) });
  }
  if (expr) parts.push(lowerExpr(ctx, expr));
}

function lowerConcatenatedString(ctx: LowerContext, n: PyNode): Expr {
  const parts: Expr[] = [];
  for (const kid of namedChildren(n)) {
    const e = lowerExpr(ctx, kid);
    if (e.k === 'template') parts.push(...e.parts);
    else parts.push(e);
  }
  return templateOrConst(ctx, parts, n);
}

/** Merges adjacent string constants; a result without interpolations is a plain constant. */
function templateOrConst(ctx: LowerContext, parts: Expr[], n: PyNode): Expr {
  const merged: Expr[] = [];
  for (const part of parts) {
    const prev = merged[merged.length - 1];
    if (part.k === 'const' && typeof part.value === 'string' && prev?.k === 'const' && typeof prev.value === 'string') {
      merged[merged.length - 1] = { k: 'const', value: prev.value + part.value, span: joinSpans(prev.span, part.span) };
    } else {
      merged.push(part);
    }
  }
  const span = ctx.span(n);
  if (merged.length === 0) return { k: 'const', value: '', span };
  if (merged.length === 1 && merged[0].k === 'const') return { k: 'const', value: merged[0].value, span };
  if (merged.every((p) => p.k === 'const')) {
    return { k: 'const', value: merged.map((p) => String((p as { value: unknown }).value)).join(''), span };
  }
  return { k: 'template', parts: merged, span };
}

function joinSpans(a: Span, b: Span): Span {
  return { startLine: a.startLine, startColumn: a.startColumn, endLine: b.endLine, endColumn: b.endColumn };
}

// ---------------------------------------------------------------- operators

function lowerUnary(ctx: LowerContext, n: PyNode): Expr {
  const opToken = n.children.find((c) => !c.named);
  const op = opToken ? opToken.type : '?';
  const operand = lowerOptional(ctx, namedChildren(n)[0], n);
  const span = ctx.span(n);
  // Fold `-1` into a constant: rules compare literal arguments.
  if (operand.k === 'const' && (typeof operand.value === 'number' || typeof operand.value === 'bigint')) {
    if (op === '-') return { k: 'const', value: -operand.value, span };
    if (op === '+') return { k: 'const', value: operand.value, span };
  }
  return { k: 'unop', op, operand, span };
}

/** `a and b and c` is left-nested in the tree; flatten it without recursing along the chain. */
function lowerBooleanChain(ctx: LowerContext, n: PyNode): Expr {
  const op = booleanOperator(n);
  const rights: PyNode[] = [];
  let leftmost: PyNode | undefined = n;
  while (leftmost && leftmost.type === 'boolean_operator' && booleanOperator(leftmost) === op) {
    const [left, right] = namedChildren(leftmost);
    if (right) rights.push(right);
    leftmost = left;
  }
  const values: Expr[] = [];
  if (leftmost) values.push(lowerExpr(ctx, leftmost));
  for (let i = rights.length - 1; i >= 0; i--) values.push(lowerExpr(ctx, rights[i]));
  return { k: 'boolop', op, values, span: ctx.span(n) };
}

function booleanOperator(n: PyNode): 'and' | 'or' {
  return n.children.some((c) => !c.named && c.type === 'or') ? 'or' : 'and';
}

function lowerComparison(ctx: LowerContext, n: PyNode): Expr {
  const ops: string[] = [];
  const operands: Expr[] = [];
  for (const kid of n.children) {
    if (kid.named) operands.push(lowerExpr(ctx, kid));
    else ops.push(kid.type === '<>' ? '!=' : kid.type);
  }
  return { k: 'compare', ops, operands, span: ctx.span(n) };
}

// ---------------------------------------------------------------- access, calls

function lowerSubscript(ctx: LowerContext, n: PyNode): Expr {
  const [value, ...subscripts] = namedChildren(n);
  const obj = lowerOptional(ctx, value, n);
  const span = ctx.span(n);
  if (subscripts.length === 1 && subscripts[0].type === 'slice') {
    return { k: 'slice', obj, ...sliceBounds(ctx, subscripts[0]), span };
  }
  if (subscripts.length === 1) return { k: 'index', obj, index: lowerExpr(ctx, subscripts[0]), span };
  const elts = subscripts.map((s) =>
    s.type === 'slice' ? unknown(ctx, s, namedChildren(s)) : lowerExpr(ctx, s),
  );
  const index: Expr =
    subscripts.length === 0
      ? { k: 'unknown', children: [], span }
      : { k: 'tuple', elts, span: ctx.spanBetween(subscripts[0].start, subscripts[subscripts.length - 1].end) };
  return { k: 'index', obj, index, span };
}

/** `lower:upper:step`, each part optional: the colons decide which part an expression is. */
function sliceBounds(ctx: LowerContext, n: PyNode): { lower?: Expr; upper?: Expr; step?: Expr } {
  const bounds: { lower?: Expr; upper?: Expr; step?: Expr } = {};
  let colons = 0;
  for (const kid of n.children) {
    if (!kid.named) {
      if (kid.type === ':') colons++;
      continue;
    }
    const e = lowerExpr(ctx, kid);
    if (colons === 0) bounds.lower = e;
    else if (colons === 1) bounds.upper = e;
    else bounds.step = e;
  }
  return bounds;
}

function lowerCall(ctx: LowerContext, n: PyNode): Expr {
  const [fnNode, argsNode] = namedChildren(n);
  const fn = lowerOptional(ctx, fnNode, n);
  let args: Arg[] = [];
  if (argsNode?.type === 'generator_expression') args = [{ value: lowerExpr(ctx, argsNode) }];
  else if (argsNode) args = lowerArguments(ctx, argsNode);
  return { k: 'call', fn, args, span: ctx.span(n) };
}

/** The arguments of an argument_list (calls, class bases). */
export function lowerArguments(ctx: LowerContext, argumentList: PyNode): Arg[] {
  const args: Arg[] = [];
  for (const kid of namedChildren(argumentList)) {
    switch (kid.type) {
      case 'list_splat':
        args.push({ spread: 1, value: lowerOptional(ctx, namedChildren(kid)[0], kid) });
        break;
      case 'dictionary_splat':
        args.push({ spread: 2, value: lowerOptional(ctx, namedChildren(kid)[0], kid) });
        break;
      case 'keyword_argument': {
        const [name, value] = namedChildren(kid);
        args.push({ name: name ? ctx.text(name) : '', value: lowerOptional(ctx, value, kid) });
        break;
      }
      default:
        args.push({ value: lowerExpr(ctx, kid) });
    }
  }
  return args;
}

// ---------------------------------------------------------------- collections

function lowerDictionary(ctx: LowerContext, n: PyNode): Expr {
  const keys: (Expr | null)[] = [];
  const values: Expr[] = [];
  for (const kid of namedChildren(n)) {
    if (kid.type === 'pair') {
      const [key, value] = namedChildren(kid);
      keys.push(lowerOptional(ctx, key, kid));
      values.push(lowerOptional(ctx, value, kid));
    } else if (kid.type === 'dictionary_splat') {
      keys.push(null);
      values.push(lowerOptional(ctx, namedChildren(kid)[0], kid));
    } else {
      keys.push({ k: 'unknown', children: [], span: ctx.span(kid) });
      values.push(lowerExpr(ctx, kid));
    }
  }
  return { k: 'dict', keys, values, span: ctx.span(n) };
}

function lowerComprehension(ctx: LowerContext, n: PyNode, kind: 'list' | 'set' | 'dict' | 'gen'): Expr {
  const kids = namedChildren(n);
  const body = kids[0];
  const generators: Comprehension[] = [];
  for (const clause of kids.slice(1)) {
    if (clause.type === 'for_in_clause') {
      const inAt = tokenIndex(clause, 'in');
      generators.push({
        target: lowerExprs(ctx, namedBefore(clause, inAt), clause),
        iter: lowerExprs(ctx, namedAfter(clause, inAt), clause),
        conds: [],
      });
    } else if (clause.type === 'if_clause' && generators.length > 0) {
      generators[generators.length - 1].conds.push(lowerOptional(ctx, namedChildren(clause)[0], clause));
    }
  }
  const span = ctx.span(n);
  if (kind === 'dict' && body?.type === 'pair') {
    const [key, value] = namedChildren(body);
    return { k: 'comp', kind, elt: lowerOptional(ctx, key, body), value: lowerOptional(ctx, value, body), generators, span };
  }
  return { k: 'comp', kind, elt: lowerOptional(ctx, body, n), generators, span };
}

function lowerYield(ctx: LowerContext, n: PyNode): Expr {
  ctx.sawYield = true;
  const isFrom = tokenIndex(n, 'from') >= 0;
  const valueNode = namedChildren(n)[0];
  const span = ctx.span(n);
  return valueNode ? { k: 'yield', value: lowerExpr(ctx, valueNode), from: isFrom, span } : { k: 'yield', from: isFrom, span };
}

// ---------------------------------------------------------------- functions

function lowerLambda(ctx: LowerContext, n: PyNode): Expr {
  const paramsNode = childOfType(n, 'lambda_parameters');
  const params = paramsNode ? lowerParams(ctx, paramsNode) : [];
  const bodyNode = namedChildren(n).find((c) => c !== paramsNode);
  const colon = tokenIndex(n, ':');
  const span = ctx.span(n);
  const outerYield = ctx.sawYield;
  ctx.sawYield = false;
  const value = lowerOptional(ctx, bodyNode, n);
  const isGenerator = ctx.sawYield;
  ctx.sawYield = outerYield;
  const fn: FunctionDef = {
    name: '<lambda>',
    params,
    decorators: [],
    body: [{ k: 'return', value, span: value.span }],
    isAsync: false,
    isGenerator,
    span,
    headerSpan: ctx.spanBetween(n.start, colon >= 0 ? n.children[colon].end : n.end),
  };
  return { k: 'lambda', fn, span };
}

/** Parameters of a `parameters` or `lambda_parameters` node, in order. */
export function lowerParams(ctx: LowerContext, n: PyNode): Param[] {
  const params: Param[] = [];
  let keywordOnly = false;
  const plain = (): Param['kind'] => (keywordOnly ? 'kwonly' : 'positional');
  for (const p of namedChildren(n)) {
    const span = ctx.span(p);
    switch (p.type) {
      case 'identifier':
      case 'tuple_pattern':
        params.push({ name: ctx.text(p), kind: plain(), span });
        break;
      case 'list_splat_pattern':
        params.push({ name: splatName(ctx, p), kind: 'vararg', span });
        keywordOnly = true;
        break;
      case 'dictionary_splat_pattern':
        params.push({ name: splatName(ctx, p), kind: 'kwarg', span });
        break;
      case 'keyword_separator':
        keywordOnly = true;
        break;
      case 'positional_separator':
        break;
      case 'typed_parameter': {
        const [inner, type] = namedChildren(p);
        const annotation = type ? lowerExpr(ctx, type) : undefined;
        let kind = plain();
        if (inner?.type === 'list_splat_pattern') {
          kind = 'vararg';
          keywordOnly = true;
        } else if (inner?.type === 'dictionary_splat_pattern') {
          kind = 'kwarg';
        }
        const name = inner && inner.type !== 'identifier' ? splatName(ctx, inner) : inner ? ctx.text(inner) : '';
        params.push(withOptional({ name, kind, span }, undefined, annotation));
        break;
      }
      case 'default_parameter': {
        const kids = namedChildren(p);
        const value = kids[kids.length - 1];
        params.push(withOptional({ name: kids[0] ? ctx.text(kids[0]) : '', kind: plain(), span }, value ? lowerExpr(ctx, value) : undefined));
        break;
      }
      case 'typed_default_parameter': {
        const [name, type, value] = namedChildren(p);
        params.push(
          withOptional(
            { name: name ? ctx.text(name) : '', kind: plain(), span },
            value ? lowerExpr(ctx, value) : undefined,
            type ? lowerExpr(ctx, type) : undefined,
          ),
        );
        break;
      }
      default:
        break; // ERROR pieces: nothing sensible to bind
    }
  }
  return params;
}

function withOptional(p: Param, def?: Expr, annotation?: Expr): Param {
  if (def) p.default = def;
  if (annotation) p.annotation = annotation;
  return p;
}

function splatName(ctx: LowerContext, n: PyNode): string {
  const inner = namedChildren(n)[0];
  return inner ? ctx.text(inner) : '';
}
