/** Lowering of Python statements to IR statements. */
import type { Arg, ClassDef, ExceptHandler, Expr, FunctionDef, ImportBinding, MatchCase, Span, Stmt } from '../../ir/types.js';
import { LowerContext, childOfType, childrenOfType, namedAfter, namedBefore, namedChildren, tokenIndex } from './context.js';
import { lowerArguments, lowerExpr, lowerExprs, lowerOptional, lowerParams } from './lower-expr.js';
import { lowerPattern } from './lower-pattern.js';
import { COMPOUND_STATEMENTS, PyNode, SIMPLE_STATEMENTS, parseSyntax } from './parser.js';

/** Pieces of compound statements; error recovery can leave them loose among statements. */
const STATEMENT_PARTS: ReadonlySet<string> = new Set([
  'module', 'block', 'elif_clause', 'else_clause', 'except_clause', 'finally_clause', 'case_clause', 'decorator', 'with_clause',
]);

/** Statements of a module, block or ERROR node. */
export function lowerBody(ctx: LowerContext, container: PyNode | undefined): Stmt[] {
  const out: Stmt[] = [];
  if (container) lowerStatementsInto(ctx, container.children, out);
  return out;
}

function lowerStatementsInto(ctx: LowerContext, nodes: PyNode[], out: Stmt[]): void {
  for (const n of nodes) {
    if (SIMPLE_STATEMENTS.has(n.type) || COMPOUND_STATEMENTS.has(n.type)) lowerStmtInto(ctx, n, out);
    else if (n.type === 'ERROR') lowerErrorInto(ctx, n, out);
    else if (STATEMENT_PARTS.has(n.type)) lowerStatementsInto(ctx, n.children, out);
    else if (n.named) out.push({ k: 'expr', value: lowerExpr(ctx, n), span: ctx.span(n) });
  }
}

/**
 * Error recovery: whatever statements and expressions an ERROR node holds, as statements.
 * tree-sitter often lets one broken line (`os.system(cmd` without ')') swallow the lines after
 * it into a single ERROR; such an ERROR is re-parsed as its first line plus the rest, so the
 * following statements come back whole.
 */
function lowerErrorInto(ctx: LowerContext, n: PyNode, out: Stmt[]): void {
  if (ctx.depth >= ctx.maxDepth) {
    out.push({ k: 'expr', value: ctx.truncated(n), span: ctx.span(n) });
    return;
  }
  ctx.depth++;
  const firstLineEnd = ctx.lines.lineEndOffset(n.start);
  const restStart = ctx.source.indexOf('\n', firstLineEnd) + 1;
  if (restStart > 0 && restStart < n.end && ctx.reparseBudget >= n.end - n.start) {
    ctx.reparseBudget -= n.end - n.start;
    lowerStatementsInto(ctx, parseSyntax(ctx.source, n.start, firstLineEnd).root.children, out);
    lowerStatementsInto(ctx, parseSyntax(ctx.source, restStart, n.end).root.children, out);
  } else {
    lowerErrorPieces(ctx, n.children, out);
  }
  ctx.depth--;
}

/** Children of an ERROR; `f(a, b` without its ')' becomes the call it was meant to be. */
function lowerErrorPieces(ctx: LowerContext, kids: PyNode[], out: Stmt[]): void {
  let pending: PyNode[] = [];
  const flush = () => {
    lowerStatementsInto(ctx, pending, out);
    pending = [];
  };
  for (let i = 0; i < kids.length; i++) {
    const fn = kids[i];
    const open = kids[i + 1];
    if (!fn.named || fn.type === 'ERROR' || !open || open.named || open.type !== '(') {
      pending.push(fn);
      continue;
    }
    flush();
    let close = i + 2;
    while (close < kids.length && !(kids[close].type === ')' && !kids[close].named)) close++;
    const argNodes = kids.slice(i + 2, close);
    const argList = new PyNode('argument_list', true, open.start, argNodes.length ? argNodes[argNodes.length - 1].end : fn.end, false);
    argList.children = argNodes;
    const end = Math.max(fn.end, argList.end);
    const span = ctx.spanBetween(fn.start, end);
    out.push({ k: 'expr', value: { k: 'call', fn: lowerExpr(ctx, fn), args: lowerArguments(ctx, argList), span }, span });
    i = close;
  }
  flush();
}

export function lowerStmtInto(ctx: LowerContext, n: PyNode, out: Stmt[]): void {
  if (ctx.depth >= ctx.maxDepth) {
    out.push({ k: 'expr', value: ctx.truncated(n), span: ctx.span(n) });
    return;
  }
  ctx.depth++;
  const depth = ctx.depth;
  try {
    lowerStmtAtDepth(ctx, n, out);
  } catch {
    // A lowering bug must not lose the file: keep the statement as an opaque expression.
    ctx.depth = depth;
    out.push({ k: 'expr', value: { k: 'unknown', children: [], span: ctx.span(n) }, span: ctx.span(n) });
  }
  if (n.detachedErrors) for (const err of n.detachedErrors) lowerErrorInto(ctx, err, out);
  ctx.depth--;
}

function lowerStmtAtDepth(ctx: LowerContext, n: PyNode, out: Stmt[]): void {
  const span = ctx.span(n);
  switch (n.type) {
    case 'expression_statement':
      return lowerExpressionStatement(ctx, n, span, out);
    case 'return_statement': {
      const value = namedChildren(n)[0];
      out.push(value ? { k: 'return', value: lowerExpr(ctx, value), span } : { k: 'return', span });
      return;
    }
    case 'delete_statement': {
      const target = namedChildren(n)[0];
      const targets = !target ? [] : target.type === 'expression_list' ? namedChildren(target) : [target];
      out.push({ k: 'delete', targets: targets.map((t) => lowerExpr(ctx, t)), span });
      return;
    }
    case 'raise_statement': {
      const fromAt = tokenIndex(n, 'from');
      const exc = namedBefore(n, fromAt);
      const cause = namedAfter(n, fromAt)[0];
      const stmt: Stmt = { k: 'raise', span };
      if (exc.length) stmt.exc = lowerExprs(ctx, exc, n);
      if (cause) stmt.cause = lowerExpr(ctx, cause);
      out.push(stmt);
      return;
    }
    case 'assert_statement': {
      const [test, msg] = namedChildren(n);
      const stmt: Stmt = { k: 'assert', test: lowerOptional(ctx, test, n), span };
      if (msg) stmt.msg = lowerExpr(ctx, msg);
      out.push(stmt);
      return;
    }
    case 'pass_statement':
      out.push({ k: 'pass', span });
      return;
    case 'break_statement':
      out.push({ k: 'break', span });
      return;
    case 'continue_statement':
      out.push({ k: 'continue', span });
      return;
    case 'global_statement':
    case 'nonlocal_statement':
      out.push({ k: 'global', names: childrenOfType(n, 'identifier').map((c) => ctx.text(c)), span });
      return;
    case 'import_statement':
      out.push({ k: 'import', bindings: namedChildren(n).flatMap((c) => importedName(ctx, c, undefined)), span });
      return;
    case 'import_from_statement':
      out.push({ k: 'import', bindings: fromImportBindings(ctx, n), span });
      return;
    case 'future_import_statement':
      out.push({ k: 'import', bindings: namedChildren(n).flatMap((c) => importedName(ctx, c, { module: '__future__', level: 0 })), span });
      return;
    case 'print_statement':
    case 'exec_statement':
      out.push({ k: 'expr', value: python2StatementCall(ctx, n), span });
      return;
    case 'type_alias_statement':
      return; // `type X = ...` binds only a type
    case 'if_statement':
      out.push(lowerIf(ctx, n));
      return;
    case 'while_statement': {
      const [test] = namedChildren(n);
      out.push({
        k: 'while',
        test: lowerOptional(ctx, test?.type === 'block' ? undefined : test, n),
        body: lowerBody(ctx, childOfType(n, 'block')),
        orelse: lowerBody(ctx, elseBlock(n)),
        span,
      });
      return;
    }
    case 'for_statement': {
      const inAt = tokenIndex(n, 'in');
      const colonAt = tokenIndex(n, ':');
      const iters = inAt < 0 ? [] : n.children.slice(inAt + 1, colonAt < 0 ? undefined : colonAt);
      out.push({
        k: 'for',
        target: lowerExprs(ctx, namedBefore(n, inAt), n),
        iter: lowerExprs(ctx, iters.filter((c) => c.named && c.type !== 'block' && c.type !== 'else_clause'), n),
        body: lowerBody(ctx, childOfType(n, 'block')),
        orelse: lowerBody(ctx, elseBlock(n)),
        isAsync: n.children[0]?.type === 'async',
        span,
      });
      return;
    }
    case 'try_statement':
      out.push(lowerTry(ctx, n, span));
      return;
    case 'with_statement':
      out.push(lowerWith(ctx, n, span));
      return;
    case 'function_definition': {
      const fn = lowerFunction(ctx, n, [], span);
      out.push({ k: 'funcdef', fn, span });
      return;
    }
    case 'class_definition':
      out.push({ k: 'classdef', cls: lowerClass(ctx, n, [], span), span });
      return;
    case 'decorated_definition':
      return lowerDecorated(ctx, n, span, out);
    case 'match_statement':
      out.push(lowerMatch(ctx, n, span));
      return;
    default:
      out.push({ k: 'expr', value: lowerExpr(ctx, n), span });
  }
}

// ---------------------------------------------------------------- simple statements

function lowerExpressionStatement(ctx: LowerContext, n: PyNode, span: Span, out: Stmt[]): void {
  const kids = namedChildren(n);
  if (kids.length === 0) return;
  if (kids.length > 1) {
    out.push({ k: 'expr', value: lowerExprs(ctx, kids, n), span });
    return;
  }
  const kid = kids[0];
  if (kid.type === 'assignment') lowerAssignment(ctx, kid, span, out);
  else if (kid.type === 'augmented_assignment') {
    const [left, right] = namedChildren(kid);
    const opToken = kid.children.find((c) => !c.named);
    out.push({
      k: 'assign',
      targets: [lowerOptional(ctx, left, kid)],
      value: lowerOptional(ctx, right, kid),
      op: opToken ? opToken.type.slice(0, -1) : '?',
      span,
    });
  } else out.push({ k: 'expr', value: lowerExpr(ctx, kid), span });
}

/**
 * `a = b = v` nests as assignment(a, assignment(b, v)); `x: T = v` has a type between ':' and
 * '='; `x: T` alone assigns nothing and is skipped.
 */
function lowerAssignment(ctx: LowerContext, n: PyNode, span: Span, out: Stmt[]): void {
  const targets: Expr[] = [];
  let node: PyNode = n;
  for (;;) {
    const eqAt = tokenIndex(node, '=');
    const left = node.children[0]?.named ? node.children[0] : undefined;
    if (left) targets.push(lowerExpr(ctx, left));
    if (eqAt < 0) {
      if (targets.length > 1 && left) targets.pop(); // `a = b: int` is not Python; keep what binds
      if (targets.length === 0 || node === n) return;
      out.push({ k: 'assign', targets, value: { k: 'unknown', children: [], span: ctx.span(node) }, span });
      return;
    }
    const right = namedAfter(node, eqAt)[0];
    if (right?.type === 'assignment') {
      node = right;
      continue;
    }
    out.push({ k: 'assign', targets, value: lowerOptional(ctx, right, node), span });
    return;
  }
}

interface FromSource {
  module: string;
  level: number;
}

/** Bindings of one name in an import list; `from` is set for `from m import ...`. */
function importedName(ctx: LowerContext, n: PyNode, from: FromSource | undefined): ImportBinding[] {
  if (n.type === 'dotted_name' || n.type === 'aliased_import') {
    const [nameNode, aliasNode] = n.type === 'aliased_import' ? namedChildren(n) : [n, undefined];
    const path = nameNode ? ctx.text(nameNode).replace(/\s+/g, '') : '';
    const alias = aliasNode ? ctx.text(aliasNode) : undefined;
    if (from) return [{ local: alias ?? path, module: from.module, member: path, level: from.level }];
    // `import a.b.c` binds `a`; `import a.b as x` binds x to a.b.
    return [alias !== undefined ? { local: alias, module: path, level: 0, aliased: true } : { local: path.split('.')[0]!, module: path, level: 0 }];
  }
  if (n.type === 'wildcard_import' && from) return [{ local: '*', module: from.module, member: '*', level: from.level }];
  return [];
}

function fromImportBindings(ctx: LowerContext, n: PyNode): ImportBinding[] {
  const importAt = tokenIndex(n, 'import');
  const [source] = namedBefore(n, importAt);
  const from: FromSource = { module: '', level: 0 };
  if (source?.type === 'relative_import') {
    const prefix = childOfType(source, 'import_prefix');
    from.level = prefix ? (ctx.text(prefix).match(/\./g) ?? []).length : 0;
    const dotted = childOfType(source, 'dotted_name');
    from.module = dotted ? ctx.text(dotted).replace(/\s+/g, '') : '';
  } else if (source) {
    from.module = ctx.text(source).replace(/\s+/g, '');
  }
  return namedAfter(n, importAt).flatMap((name) => importedName(ctx, name, from));
}

/** Python 2 `print >>f, x` and `exec code in g` as calls to print / exec. */
function python2StatementCall(ctx: LowerContext, n: PyNode): Expr {
  const keyword = n.children[0];
  const fnName = n.type === 'print_statement' ? 'print' : 'exec';
  const fn: Expr = { k: 'name', id: fnName, span: keyword ? ctx.span(keyword) : ctx.span(n) };
  const args = namedChildren(n).map((c) =>
    c.type === 'chevron' ? { name: 'file', value: lowerOptional(ctx, namedChildren(c)[0], c) } : { value: lowerExpr(ctx, c) },
  );
  return { k: 'call', fn, args, span: ctx.span(n) };
}

// ---------------------------------------------------------------- compound statements

function elseBlock(n: PyNode): PyNode | undefined {
  const clause = childOfType(n, 'else_clause');
  return clause ? childOfType(clause, 'block') : undefined;
}

/** `elif` chains become nested ifs in orelse. */
function lowerIf(ctx: LowerContext, n: PyNode): Stmt {
  const clauses = n.children.filter((c) => c.type === 'elif_clause');
  let orelse = lowerBody(ctx, elseBlock(n));
  const conditionOf = (c: PyNode) => namedChildren(c).find((k) => k.type !== 'block' && k.type !== 'elif_clause' && k.type !== 'else_clause');
  // Lower in source order so that spans and sawYield see the code top-down.
  const test = lowerOptional(ctx, conditionOf(n), n);
  const body = lowerBody(ctx, childOfType(n, 'block'));
  const elifs = clauses.map((c) => ({ c, test: lowerOptional(ctx, conditionOf(c), c), body: lowerBody(ctx, childOfType(c, 'block')) }));
  for (let i = elifs.length - 1; i >= 0; i--) {
    const { c, test: elifTest, body: elifBody } = elifs[i];
    orelse = [{ k: 'if', test: elifTest, body: elifBody, orelse, span: ctx.spanBetween(c.start, n.end) }];
  }
  return { k: 'if', test, body, orelse, span: ctx.span(n) };
}

function lowerTry(ctx: LowerContext, n: PyNode, span: Span): Stmt {
  const handlers: ExceptHandler[] = [];
  for (const clause of childrenOfType(n, 'except_clause')) {
    const handler: ExceptHandler = { body: [], span: ctx.span(clause) };
    const values = namedChildren(clause).filter((c) => c.type !== 'block');
    const asAt = tokenIndex(clause, 'as');
    if (values.length === 1 && values[0].type === 'as_pattern') {
      // `except (A, B) as e` parses as an as_pattern expression.
      const [type, target] = namedChildren(values[0]);
      if (type) handler.type = lowerExpr(ctx, type);
      if (target) handler.name = ctx.text(target);
    } else if (asAt >= 0) {
      const types = namedBefore(clause, asAt);
      const alias = namedAfter(clause, asAt)[0];
      if (types.length) handler.type = lowerExprs(ctx, types, clause);
      if (alias) handler.name = ctx.text(alias);
    } else if (values.length) {
      // PEP 758: `except A, B:` is a tuple of types.
      handler.type = lowerExprs(ctx, values, clause);
    }
    handler.body = lowerBody(ctx, childOfType(clause, 'block'));
    handlers.push(handler);
  }
  const finallyClause = childOfType(n, 'finally_clause');
  return {
    k: 'try',
    body: lowerBody(ctx, childOfType(n, 'block')),
    handlers,
    orelse: lowerBody(ctx, elseBlock(n)),
    finalbody: lowerBody(ctx, finallyClause ? childOfType(finallyClause, 'block') : undefined),
    span,
  };
}

function lowerWith(ctx: LowerContext, n: PyNode, span: Span): Stmt {
  const items: { ctx: Expr; target?: Expr }[] = [];
  const clause = childOfType(n, 'with_clause');
  for (const item of clause ? childrenOfType(clause, 'with_item') : []) {
    const value = namedChildren(item)[0];
    if (value?.type === 'as_pattern') {
      const [cm, target] = namedChildren(value);
      items.push(target ? { ctx: lowerOptional(ctx, cm, value), target: lowerExpr(ctx, target) } : { ctx: lowerOptional(ctx, cm, value) });
    } else {
      items.push({ ctx: lowerOptional(ctx, value, item) });
    }
  }
  return { k: 'with', items, body: lowerBody(ctx, childOfType(n, 'block')), span };
}

function lowerDecorated(ctx: LowerContext, n: PyNode, span: Span, out: Stmt[]): void {
  const decorators = childrenOfType(n, 'decorator').map((d) => lowerOptional(ctx, namedChildren(d)[0], d));
  const def = n.children.find((c) => c.type === 'function_definition' || c.type === 'class_definition');
  if (def?.type === 'function_definition') out.push({ k: 'funcdef', fn: lowerFunction(ctx, def, decorators, span), span });
  else if (def?.type === 'class_definition') out.push({ k: 'classdef', cls: lowerClass(ctx, def, decorators, span), span });
  else for (const d of decorators) out.push({ k: 'expr', value: d, span: d.span });
}

function lowerFunction(ctx: LowerContext, n: PyNode, decorators: Expr[], span: Span): FunctionDef {
  const nameNode = childOfType(n, 'identifier');
  const paramsNode = childOfType(n, 'parameters');
  const returnsNode = childOfType(n, 'type');
  const params = paramsNode ? lowerParams(ctx, paramsNode) : [];
  const returns = returnsNode ? lowerExpr(ctx, returnsNode) : undefined;
  const colonAt = tokenIndex(n, ':');
  const headerEnd = colonAt >= 0 && !n.children[colonAt].missing ? n.children[colonAt].end : ctx.lines.lineEndOffset(n.start);

  const outerYield = ctx.sawYield;
  ctx.sawYield = false;
  const body = lowerBody(ctx, childOfType(n, 'block'));
  const isGenerator = ctx.sawYield;
  ctx.sawYield = outerYield;

  const fn: FunctionDef = {
    name: nameNode ? ctx.text(nameNode) : '',
    params,
    decorators,
    body,
    isAsync: n.children[0]?.type === 'async',
    isGenerator,
    span,
    headerSpan: ctx.spanBetween(n.start, headerEnd),
  };
  if (returns) fn.returns = returns;
  return fn;
}

function lowerClass(ctx: LowerContext, n: PyNode, decorators: Expr[], span: Span): ClassDef {
  const nameNode = childOfType(n, 'identifier');
  const argumentList = childOfType(n, 'argument_list');
  const bases: Expr[] = [];
  const keywords: Arg[] = [];
  for (const arg of argumentList ? lowerArguments(ctx, argumentList) : []) {
    if (arg.name !== undefined || arg.spread === 2) keywords.push(arg);
    else bases.push(arg.spread === 1 ? { k: 'star', value: arg.value, span: arg.value.span } : arg.value);
  }
  // A yield directly in a class body does not make the enclosing function a generator.
  const outerYield = ctx.sawYield;
  const body = lowerBody(ctx, childOfType(n, 'block'));
  ctx.sawYield = outerYield;
  return { name: nameNode ? ctx.text(nameNode) : '', bases, keywords, decorators, body, span };
}

function lowerMatch(ctx: LowerContext, n: PyNode, span: Span): Stmt {
  const block = childOfType(n, 'block');
  const subjects = namedChildren(n).filter((c) => c !== block);
  const subject = lowerExprs(ctx, subjects, n);
  const cases: MatchCase[] = [];
  for (const kid of block ? block.children : []) {
    if (kid.type === 'case_clause') {
      cases.push(lowerCase(ctx, kid));
    } else if (kid.type === 'ERROR' && cases.length > 0) {
      lowerErrorInto(ctx, kid, cases[cases.length - 1].body);
    }
  }
  return { k: 'match', subject, cases, span };
}

function lowerCase(ctx: LowerContext, n: PyNode): MatchCase {
  const captures: string[] = [];
  const patterns = childrenOfType(n, 'case_pattern');
  const span = ctx.span(n);
  let pattern: Expr;
  if (patterns.length === 1) pattern = lowerPattern(ctx, patterns[0], captures);
  else if (patterns.length === 0) pattern = { k: 'unknown', children: [], span };
  else {
    const elts = patterns.map((p) => lowerPattern(ctx, p, captures));
    pattern = { k: 'tuple', elts, span: ctx.spanBetween(patterns[0].start, patterns[patterns.length - 1].end) };
  }
  const guardClause = childOfType(n, 'if_clause');
  const guardNode = guardClause ? namedChildren(guardClause)[0] : undefined;
  const mc: MatchCase = { pattern, captures, body: lowerBody(ctx, childOfType(n, 'block')), span };
  if (guardNode) mc.guard = lowerExpr(ctx, guardNode);
  return mc;
}
