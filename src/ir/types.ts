/**
 * redline's language-neutral intermediate representation.
 *
 * Front ends (Python today; JavaScript/TypeScript and C/C++ later) lower their syntax trees into
 * this shape; the taint engine and the rules read only this. It is a tree of statements and
 * expressions close to a high-level AST, with names not yet resolved: resolution to qualified
 * names happens in analysis/program.ts using each module's `imports`.
 */

export interface Span {
  startLine: number; // 1-based
  startColumn: number; // 1-based, code points
  endLine: number;
  endColumn: number;
}

export type ConstValue = string | number | boolean | null | bigint;

export type Expr =
  | { k: 'name'; id: string; span: Span }
  | { k: 'const'; value: ConstValue; span: Span }
  | { k: 'attr'; obj: Expr; name: string; span: Span }
  | { k: 'index'; obj: Expr; index: Expr; span: Span }
  | { k: 'slice'; obj: Expr; lower?: Expr; upper?: Expr; step?: Expr; span: Span }
  | { k: 'call'; fn: Expr; args: Arg[]; span: Span }
  | { k: 'binop'; op: string; left: Expr; right: Expr; span: Span }
  | { k: 'unop'; op: string; operand: Expr; span: Span }
  | { k: 'boolop'; op: 'and' | 'or'; values: Expr[]; span: Span }
  /** `a < b <= c`: ops[i] compares operands[i] with operands[i+1]. ops: '==','!=','<','<=','>','>=','in','not in','is','is not' */
  | { k: 'compare'; ops: string[]; operands: Expr[]; span: Span }
  | { k: 'cond'; test: Expr; body: Expr; orelse: Expr; span: Span }
  /** f-string / template literal: the concatenation of its parts. */
  | { k: 'template'; parts: Expr[]; span: Span }
  | { k: 'list' | 'tuple' | 'set'; elts: Expr[]; span: Span }
  /** keys[i] === null means `**values[i]` spread. */
  | { k: 'dict'; keys: (Expr | null)[]; values: Expr[]; span: Span }
  | { k: 'lambda'; fn: FunctionDef; span: Span }
  | { k: 'comp'; kind: 'list' | 'set' | 'dict' | 'gen'; elt: Expr; value?: Expr; generators: Comprehension[]; span: Span }
  | { k: 'await'; value: Expr; span: Span }
  | { k: 'yield'; value?: Expr; from: boolean; span: Span }
  | { k: 'star'; value: Expr; span: Span }
  | { k: 'walrus'; target: string; value: Expr; span: Span }
  /** Anything the front end does not model; its children are still visited. */
  | { k: 'unknown'; children: Expr[]; span: Span };

export interface Comprehension {
  target: Expr;
  iter: Expr;
  conds: Expr[];
}

export interface Arg {
  /** Keyword name, or undefined for positional. */
  name?: string;
  /** `*args` (1) or `**kwargs` (2) spread. */
  spread?: 1 | 2;
  value: Expr;
}

export interface Param {
  name: string;
  kind: 'positional' | 'vararg' | 'kwonly' | 'kwarg';
  default?: Expr;
  annotation?: Expr;
  span: Span;
}

export interface FunctionDef {
  name: string; // '<lambda>' for lambdas
  params: Param[];
  decorators: Expr[];
  body: Stmt[];
  isAsync: boolean;
  isGenerator: boolean;
  returns?: Expr; // annotation
  span: Span;
  /** Span of the `def name(...)` header only. */
  headerSpan: Span;
}

export interface ClassDef {
  name: string;
  bases: Expr[];
  keywords: Arg[];
  decorators: Expr[];
  body: Stmt[];
  span: Span;
}

export interface ExceptHandler {
  type?: Expr;
  name?: string;
  body: Stmt[];
  span: Span;
}

export interface MatchCase {
  /** The pattern lowered as an expression (literals, names, captures); `capture` names are bound. */
  pattern: Expr;
  captures: string[];
  guard?: Expr;
  body: Stmt[];
  span: Span;
}

export type Stmt =
  /** `a = b = value`, `a += value` (op set), `x: int = value`. Targets are name/attr/index/tuple/list/star exprs. */
  | { k: 'assign'; targets: Expr[]; value: Expr; op?: string; span: Span }
  | { k: 'expr'; value: Expr; span: Span }
  | { k: 'return'; value?: Expr; span: Span }
  | { k: 'if'; test: Expr; body: Stmt[]; orelse: Stmt[]; span: Span }
  | { k: 'while'; test: Expr; body: Stmt[]; orelse: Stmt[]; span: Span }
  | { k: 'for'; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[]; isAsync: boolean; span: Span }
  | { k: 'with'; items: { ctx: Expr; target?: Expr }[]; body: Stmt[]; span: Span }
  | { k: 'try'; body: Stmt[]; handlers: ExceptHandler[]; orelse: Stmt[]; finalbody: Stmt[]; span: Span }
  | { k: 'raise'; exc?: Expr; cause?: Expr; span: Span }
  | { k: 'assert'; test: Expr; msg?: Expr; span: Span }
  | { k: 'funcdef'; fn: FunctionDef; span: Span }
  | { k: 'classdef'; cls: ClassDef; span: Span }
  | { k: 'import'; bindings: ImportBinding[]; span: Span }
  | { k: 'match'; subject: Expr; cases: MatchCase[]; span: Span }
  | { k: 'delete'; targets: Expr[]; span: Span }
  | { k: 'global'; names: string[]; span: Span }
  | { k: 'pass' | 'break' | 'continue'; span: Span };

/**
 * One name bound by an import statement.
 * `import a.b.c` binds `a` to module `a` (asName undefined, module 'a.b.c', bindsTopLevel true);
 * `import a.b as x` binds `x` to module `a.b`;
 * `from .m import f as g` binds `g` to `<resolved pkg>.m.f` (level 1).
 */
export interface ImportBinding {
  /** Local name bound. `*` for star imports. */
  local: string;
  /** Dotted module path as written, without leading dots. */
  module: string;
  /** The imported member for `from m import member`; undefined for `import m`. */
  member?: string;
  /** Number of leading dots of a relative import. */
  level: number;
  /** `import a.b as x`: the name is bound to the module itself, not to its top-level package. */
  aliased?: boolean;
}

export interface Comment {
  line: number;
  text: string; // without the leading '#'
}

export interface ModuleIR {
  /** Path relative to the scan root, forward slashes. */
  file: string;
  /** Dotted module name derived from the path ("pkg.sub.mod"; "pkg" for pkg/__init__.py). */
  name: string;
  isPackage: boolean;
  language: 'python';
  body: Stmt[];
  /** Source lines (for excerpts). */
  lines: string[];
  comments: Comment[];
  /**
   * Statement ranges: for every line, the first and last line of the (outermost simple) statement
   * that covers it, packed two numbers per line (line L at [2L-2, 2L-1]; read it with
   * `statementRange`). Used by suppressions to apply a comment anywhere in a multi-line statement.
   * Packed because one small array per line was ~860k objects to rebuild on every cache load of a
   * large tree.
   */
  statementRanges: Int32Array;
  /** Lines with syntax errors recovered by the parser. */
  syntaxErrors: Span[];
  /**
   * Where the front end stopped lowering because nesting exceeded its depth limit; the subtree
   * at each span became an `unknown` expression without children. Absent when nothing was cut.
   */
  truncatedAt?: Span[];
}

/** The first and last line of the statement covering `line` (1-based); the line itself when unknown. */
export function statementRange(ranges: Int32Array, line: number): [number, number] {
  const i = 2 * (line - 1);
  return line >= 1 && i + 1 < ranges.length ? [ranges[i]!, ranges[i + 1]!] : [line, line];
}

/** Ranges where every line is a statement of its own (a file that could not be parsed). */
export function lineByLineRanges(lineCount: number): Int32Array {
  const out = new Int32Array(2 * lineCount);
  for (let i = 0; i < lineCount; i++) out[2 * i] = out[2 * i + 1] = i + 1;
  return out;
}
