/**
 * Parses Python with tree-sitter and copies the tree into plain JS objects (PyNode).
 *
 * Every property read through the native binding costs a call across the N-API boundary, so
 * the tree is read exactly once, with a TreeCursor, reading only the type id and the two
 * offsets of each node, into a flat array (`walkSyntax`); `buildSyntax` then makes the PyNode
 * tree lowering works on, with cheap random access. The two steps can run on different threads:
 * a worker walks, and the thread that needs the module builds and lowers. Both are iterative, so
 * arbitrarily deep trees (e.g. `a+a+...` 100k long) are safe.
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
 * The syntax tree as tree-sitter's cursor showed it, in one flat array: what a worker thread sends
 * to the thread that lowers (the buffer is transferred, not copied), and the only input
 * `buildSyntax` needs besides the text. Building PyNodes from it is plain JS; reading the native
 * tree is the costly part.
 */
export interface SyntaxWalk {
  /** Kind of the root node (`module` for a whole file). */
  rootType: string;
  from: number;
  to: number;
  /** tree-sitter reported an error somewhere: every node and offset was read (see `walkSyntax`). */
  careful: boolean;
  /** Nodes kept, in document (pre-)order. */
  count: number;
  /**
   * WALK_STRIDE numbers per node: type id (MISSING_FLAG added for a MISSING node), start and end
   * offsets into the text (-1 when not read), index of the parent node (-1: the root).
   */
  nodes: Int32Array;
  /** Names of the type ids used, as [id, name, named] (the receiving thread may not know them yet). */
  types: Array<[number, string, boolean]>;
}

export const WALK_STRIDE = 4;
const MISSING_FLAG = 1 << 16;

let scratch = new Int32Array(WALK_STRIDE << 16);
/** Per type id, the number of the last walk that used it (to list a walk's types without a Set). */
const usedInWalk = new Uint32Array(1 << 16);
let walkStamp = 0;

/**
 * Parses `text`, or only text[from, to) when given (error recovery re-parses pieces), and reads
 * the tree into a SyntaxWalk; offsets always index `text`. With `owned`, the result's array is
 * its own (to transfer to another thread); otherwise it is a view of a buffer the next walk reuses.
 */
export function walkSyntax(text: string, from = 0, to = text.length, owned = false): SyntaxWalk {
  // The binding pulls the text through a callback in chunks, so multi-megabyte inputs are fine.
  const tree = parser().parse(from === 0 && to === text.length ? text : text.slice(from, to));
  const cursor = tree.walk();
  // Without errors, token offsets and token children can be skipped safely (far fewer native calls);
  // with errors, read everything so that MISSING tokens and errors inside strings are seen.
  const careful = tree.rootNode.hasError;
  const rootType = cursor.nodeType;
  const used: number[] = [];
  const stamp = ++walkStamp;
  let count = 0;
  let buf = scratch;
  const parents: number[] = [-1];

  if (cursor.gotoFirstChild()) {
    for (;;) {
      const id = cursor.nodeTypeId;
      let type = typeNames[id];
      if (type === undefined) {
        type = typeNames[id] = cursor.nodeType;
        typeNamed[id] = cursor.nodeIsNamed;
      }
      if (usedInWalk[id] !== stamp) {
        usedInWalk[id] = stamp;
        used.push(id);
      }
      const named = typeNamed[id]!;
      let policy = typeChildren[id];
      if (policy === CHILDREN_UNKNOWN) policy = typeChildren[id] = childPolicy(type, named);
      let start = -1;
      let end = -1;
      if (named || careful || POSITIONED_TOKENS.has(type)) {
        start = cursor.startIndex + from;
        end = cursor.endIndex + from;
      }
      let kept = -1;
      if (type !== 'line_continuation') {
        const missing = careful && start === end && cursor.nodeIsMissing;
        if ((count + 1) * WALK_STRIDE > buf.length) {
          const bigger = new Int32Array(buf.length * 2);
          bigger.set(buf);
          buf = scratch = bigger;
        }
        const at = count * WALK_STRIDE;
        buf[at] = missing ? id | MISSING_FLAG : id;
        buf[at + 1] = start;
        buf[at + 2] = end;
        buf[at + 3] = parents[parents.length - 1]!;
        kept = count++;
      }

      const descend =
        kept >= 0 &&
        type !== 'comment' &&
        (careful || policy === CHILDREN_READ || (policy === CHILDREN_IF_FORMATTED && isFormattedString(text, start)));
      if (descend && cursor.gotoFirstChild()) {
        parents.push(kept);
        continue;
      }
      let done = false;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || parents.length <= 1) {
          done = true;
          break;
        }
        parents.pop();
      }
      if (done) break;
    }
  }
  const view = buf.subarray(0, count * WALK_STRIDE);
  return {
    rootType,
    from,
    to,
    careful,
    count,
    nodes: owned ? view.slice() : view,
    types: used.map((id) => [id, typeNames[id]!, typeNamed[id]!]),
  };
}

/** Makes the type names of a walk done in another thread known here. */
function learnTypes(types: SyntaxWalk['types']): void {
  for (const [id, name, named] of types) {
    if (typeNames[id] === undefined) {
      typeNames[id] = name;
      typeNamed[id] = named;
    }
  }
}

/** The PyNode tree of a walk (done in this thread or another one): comments and errors set apart. */
export function buildSyntax(walk: SyntaxWalk): ParsedSource {
  learnTypes(walk.types);
  const { nodes: buf, careful } = walk;
  const comments: CommentRange[] = [];
  const errors: PyNode[] = [];
  const root = new PyNode(walk.rootType, true, walk.from, walk.to, false);
  // Ancestors of the current node, root first, and their walk indexes.
  const stack: PyNode[] = [root];
  const stackIndex: number[] = [-1];
  for (let i = 0, at = 0; i < walk.count; i++, at += WALK_STRIDE) {
    const word = buf[at]!;
    const id = word & 0xffff;
    const type = typeNames[id]!;
    const start = buf[at + 1]!;
    const end = buf[at + 2]!;
    const parentIndex = buf[at + 3]!;
    while (stackIndex[stackIndex.length - 1] !== parentIndex) {
      stack.pop();
      stackIndex.pop();
    }
    if (type === 'comment') {
      comments.push({ start, end });
      continue;
    }
    const parent = stack[stack.length - 1]!;
    const missing = (word & MISSING_FLAG) !== 0;
    const node = new PyNode(type, typeNamed[id]!, start, end, missing);
    if (type === 'ERROR' || missing) recordError(errors, node);
    if (type === 'ERROR' && !STATEMENT_CONTAINERS.has(parent.type)) detachError(stack, node);
    else if (parent.children === NO_CHILDREN) parent.children = [node];
    else parent.children.push(node);
    stack.push(node);
    stackIndex.push(i);
  }
  // tree-sitter said the tree has an error, but none was below the root (the root itself is the
  // error, or a MISSING token was not visited): report the whole parsed range rather than nothing.
  if (careful && errors.length === 0) errors.push(root);
  return { root, comments, errors };
}

/**
 * Parses `text`, or only text[from, to) when given (error recovery re-parses pieces); offsets
 * in the result always index `text`.
 */
export function parseSyntax(text: string, from = 0, to = text.length): ParsedSource {
  return buildSyntax(walkSyntax(text, from, to));
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
