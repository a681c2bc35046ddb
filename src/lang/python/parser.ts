/**
 * Parses Python with tree-sitter and copies the tree into plain JS objects (PyNode).
 *
 * Every property read through the native binding costs a call across the N-API boundary, so
 * the tree is read exactly once, with a TreeCursor, reading only the type id and the two
 * offsets of each node; lowering then works on the JS copy with cheap random access. The copy
 * is built iteratively, so arbitrarily deep trees (e.g. `a+a+...` 100k long) are safe.
 */
import Parser from 'tree-sitter';
import Python from 'tree-sitter-python';

const NO_CHILDREN: PyNode[] = [];

export class PyNode {
  children: PyNode[] = NO_CHILDREN;
  /** ERROR nodes found below this statement in expression positions, moved out of the way. */
  detachedErrors?: PyNode[];
  constructor(
    readonly type: string,
    readonly named: boolean,
    /**
     * Offsets into the source string (UTF-16 code units), end exclusive. -1 for anonymous
     * tokens outside POSITIONED_TOKENS in an error-free tree (never needed, so never read).
     */
    readonly start: number,
    readonly end: number,
    readonly missing: boolean,
  ) {}
}

export interface CommentRange {
  start: number;
  end: number;
}

export interface ParsedSource {
  root: PyNode;
  comments: CommentRange[];
  /** ERROR and MISSING nodes, in document order. */
  errors: PyNode[];
}

/** Statement kinds that may carry detached ERROR nodes (see PyNode.detachedErrors). */
export const SIMPLE_STATEMENTS: ReadonlySet<string> = new Set([
  'future_import_statement', 'import_statement', 'import_from_statement', 'print_statement',
  'assert_statement', 'expression_statement', 'return_statement', 'delete_statement',
  'raise_statement', 'pass_statement', 'break_statement', 'continue_statement',
  'global_statement', 'nonlocal_statement', 'exec_statement', 'type_alias_statement',
]);

export const COMPOUND_STATEMENTS: ReadonlySet<string> = new Set([
  'if_statement', 'for_statement', 'while_statement', 'try_statement', 'with_statement',
  'function_definition', 'class_definition', 'decorated_definition', 'match_statement',
]);

/** Parents whose children are statements: an ERROR there stays in place and is lowered as statements. */
const STATEMENT_CONTAINERS: ReadonlySet<string> = new Set(['module', 'block', 'ERROR']);

let sharedParser: Parser | undefined;

function parser(): Parser {
  if (!sharedParser) {
    sharedParser = new Parser();
    sharedParser.setLanguage(Python as unknown as Parser.Language);
  }
  return sharedParser;
}

// Node kinds by type id, filled on first sight (ids are stable for one language).
const typeNames: string[] = [];
const typeNamed: boolean[] = [];
const typeChildren: Uint8Array = new Uint8Array(1 << 16);

const CHILDREN_UNKNOWN = 0;
const CHILDREN_NONE = 1;
const CHILDREN_READ = 2;
/** `string` nodes: children are read only for f-strings (plain strings are decoded from their text). */
const CHILDREN_IF_FORMATTED = 3;

/** Named node kinds that are tokens, or whose children lowering never looks at. */
const LEAF_TYPES: ReadonlySet<string> = new Set([
  'identifier', 'integer', 'float', 'true', 'false', 'none', 'ellipsis', 'comment', 'line_continuation',
  'string_start', 'string_end', 'string_content', 'escape_sequence', 'escape_interpolation', 'type_conversion',
]);

/** Anonymous tokens whose offsets lowering uses; the offsets of other tokens are never read. */
const POSITIONED_TOKENS: ReadonlySet<string> = new Set([':', '=', 'print', 'exec', '_']);

function childPolicy(type: string, named: boolean): number {
  if (!named) return type === 'not in' || type === 'is not' ? CHILDREN_READ : CHILDREN_NONE;
  if (LEAF_TYPES.has(type)) return CHILDREN_NONE;
  return type === 'string' ? CHILDREN_IF_FORMATTED : CHILDREN_READ;
}

/** Does the string literal starting at `start` have an f (or t) prefix? */
function isFormattedString(text: string, start: number): boolean {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i) | 0x20; // lower-case ASCII letters
    if (c === 0x66 || c === 0x74) return true; // f, t
    if (c !== 0x72 && c !== 0x62 && c !== 0x75) return false; // r, b, u; anything else is the quote
  }
  return false;
}

/**
 * Parses `text`, or only text[from, to) when given (error recovery re-parses pieces); offsets
 * in the result always index `text`.
 */
export function parseSyntax(text: string, from = 0, to = text.length): ParsedSource {
  // The binding pulls the text through a callback in chunks, so multi-megabyte inputs are fine.
  const tree = parser().parse(from === 0 && to === text.length ? text : text.slice(from, to));
  const cursor = tree.walk();
  const comments: CommentRange[] = [];
  const errors: PyNode[] = [];
  // Without errors, token offsets and token children can be skipped safely (far fewer native calls);
  // with errors, read everything so that MISSING tokens and errors inside strings are seen.
  const careful = tree.rootNode.hasError;

  const root = new PyNode(cursor.nodeType, true, from, to, false);
  const stack: PyNode[] = [root];
  if (!cursor.gotoFirstChild()) return { root, comments, errors };

  for (;;) {
    const id = cursor.nodeTypeId;
    let type = typeNames[id];
    if (type === undefined) {
      type = typeNames[id] = cursor.nodeType;
      typeNamed[id] = cursor.nodeIsNamed;
    }
    const named = typeNamed[id];
    let policy = typeChildren[id];
    if (policy === CHILDREN_UNKNOWN) policy = typeChildren[id] = childPolicy(type, named);
    let start = -1;
    let end = -1;
    if (named || careful || POSITIONED_TOKENS.has(type)) {
      start = cursor.startIndex + from;
      end = cursor.endIndex + from;
    }
    const parent = stack[stack.length - 1];
    let node: PyNode | undefined;

    if (type === 'comment') {
      comments.push({ start, end });
    } else if (type !== 'line_continuation') {
      const missing = careful && start === end && cursor.nodeIsMissing;
      node = new PyNode(type, named, start, end, missing);
      if (type === 'ERROR' || missing) recordError(errors, node);
      if (type === 'ERROR' && !STATEMENT_CONTAINERS.has(parent.type)) detachError(stack, node);
      else if (parent.children === NO_CHILDREN) parent.children = [node];
      else parent.children.push(node);
    }

    const descend =
      node !== undefined &&
      (careful || policy === CHILDREN_READ || (policy === CHILDREN_IF_FORMATTED && isFormattedString(text, start)));
    if (descend && cursor.gotoFirstChild()) {
      stack.push(node!);
      continue;
    }
    let done = false;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent() || stack.length <= 1) {
        done = true;
        break;
      }
      stack.pop();
    }
    if (done) break;
  }
  // tree-sitter said the tree has an error, but none was below the root (the root itself is the
  // error, or a MISSING token was not visited): report the whole parsed range rather than nothing.
  if (careful && errors.length === 0) errors.push(root);
  return { root, comments, errors };
}

/** Keeps the outermost errors only: nested ERROR/MISSING nodes add nothing to the report. */
function recordError(errors: PyNode[], node: PyNode): void {
  const last = errors[errors.length - 1];
  if (last && last.type === 'ERROR' && node.start >= last.start && node.end <= last.end) return;
  errors.push(node);
}

/**
 * An ERROR inside an expression would shift the positional layout the lowering relies on
 * (`x = $ 1` gives assignment[identifier, '=', ERROR, ...]); hang it on the nearest enclosing
 * statement instead, whose lowering emits its contents as extra statements.
 */
function detachError(stack: PyNode[], error: PyNode): void {
  for (let i = stack.length - 1; i >= 0; i--) {
    const holder = stack[i];
    if (SIMPLE_STATEMENTS.has(holder.type) || COMPOUND_STATEMENTS.has(holder.type) || STATEMENT_CONTAINERS.has(holder.type)) {
      if (STATEMENT_CONTAINERS.has(holder.type)) {
        if (holder.children === NO_CHILDREN) holder.children = [error];
        else holder.children.push(error);
      } else {
        (holder.detachedErrors ??= []).push(error);
      }
      return;
    }
  }
}
