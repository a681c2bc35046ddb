/**
 * Parses Python with tree-sitter and copies the tree into plain JS objects (PyNode).
 *
 * Every property read through the native binding costs a call across the N-API boundary, so
 * the tree is read exactly once, with a TreeCursor, reading only the type id and the two
 * offsets of each node; lowering then works on the JS copy with cheap random access. The walk
 * either builds the copy directly (`parseSyntax`) or records it as flat numbers (`walkSyntax`)
 * that another thread turns into the same copy (`buildSyntax`): workers parse, and the thread
 * that needs the module lowers. Everything is iterative, so arbitrarily deep trees (e.g.
 * `a+a+...` 100k long) are safe.
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
   * WALK_STRIDE numbers per node: type id (plus MISSING_FLAG for a MISSING node, PARENT_FLAG when
   * the node's children follow it), start and end offsets into the text (-1 when not read), index
   * of the parent node (-1: the root).
   */
  nodes: Int32Array;
  /** Names of the type ids used, as [id, name, named] (the receiving thread may not know them yet). */
  types: Array<[number, string, boolean]>;
}

export const WALK_STRIDE = 4;
const MISSING_FLAG = 1 << 16;
/** The node has children in the walk (they follow it). */
const PARENT_FLAG = 1 << 17;

let scratch = new Int32Array(WALK_STRIDE << 16);
/** Per type id, the number of the last walk that used it (to list a walk's types without a Set). */
const usedInWalk = new Uint32Array(1 << 16);
let walkStamp = 0;

/** What the cursor walk hands each node it keeps to: a flat recording or a PyNode tree. */
interface WalkSink {
  /** Before any node: the root's kind, and whether tree-sitter reported an error. */
  begin(rootType: string, careful: boolean): void;
  /** A node; returns whether its children may be read (not for comments). */
  node(id: number, type: string, named: boolean, start: number, end: number, missing: boolean): boolean;
  /** The children of the last node follow. */
  down(): void;
  /** The children of the innermost open node are done. */
  up(): void;
}

/**
 * Reads the native tree once with a cursor, handing every node kept to `sink`. Without errors,
 * token offsets and token children are skipped safely (far fewer native calls); with errors,
 * everything is read so that MISSING tokens and errors inside strings are seen.
 */
function walkTree(text: string, from: number, to: number, sink: WalkSink): void {
  // The binding pulls the text through a callback in chunks, so multi-megabyte inputs are fine.
  const tree = parser().parse(from === 0 && to === text.length ? text : text.slice(from, to));
  const cursor = tree.walk();
  const careful = tree.rootNode.hasError;
  sink.begin(cursor.nodeType, careful);
  if (!cursor.gotoFirstChild()) return;
  let depth = 0;
  for (;;) {
    const id = cursor.nodeTypeId;
    let type = typeNames[id];
    if (type === undefined) {
      type = typeNames[id] = cursor.nodeType;
      typeNamed[id] = cursor.nodeIsNamed;
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
    const mayDescend =
      type !== 'line_continuation' && sink.node(id, type, named, start, end, careful && start === end && cursor.nodeIsMissing);
    const descend =
      mayDescend && (careful || policy === CHILDREN_READ || (policy === CHILDREN_IF_FORMATTED && isFormattedString(text, start)));
    if (descend && cursor.gotoFirstChild()) {
      sink.down();
      depth++;
      continue;
    }
    let done = false;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent() || depth === 0) {
        done = true;
        break;
      }
      sink.up();
      depth--;
    }
    if (done) break;
  }
}

/** Records a walk into flat numbers (see SyntaxWalk). */
class FlatRecorder implements WalkSink {
  rootType = '';
  careful = false;
  buf = scratch;
  count = 0;
  readonly used: number[] = [];
  private readonly stamp = ++walkStamp;
  private readonly parents: number[] = [-1];

  begin(rootType: string, careful: boolean): void {
    this.rootType = rootType;
    this.careful = careful;
  }

  node(id: number, type: string, _named: boolean, start: number, end: number, missing: boolean): boolean {
    if (usedInWalk[id] !== this.stamp) {
      usedInWalk[id] = this.stamp;
      this.used.push(id);
    }
    let buf = this.buf;
    if ((this.count + 1) * WALK_STRIDE > buf.length) {
      const bigger = new Int32Array(buf.length * 2);
      bigger.set(buf);
      buf = this.buf = scratch = bigger;
    }
    const at = this.count * WALK_STRIDE;
    buf[at] = missing ? id | MISSING_FLAG : id;
    buf[at + 1] = start;
    buf[at + 2] = end;
    buf[at + 3] = this.parents[this.parents.length - 1]!;
    this.count++;
    return type !== 'comment';
  }

  down(): void {
    const last = this.count - 1;
    this.buf[last * WALK_STRIDE] |= PARENT_FLAG;
    this.parents.push(last);
  }

  up(): void {
    this.parents.pop();
  }
}

/** Builds the PyNode tree, setting comments and errors apart. */
class TreeBuilder implements WalkSink {
  private root: PyNode | undefined;
  private careful = false;
  private readonly comments: CommentRange[] = [];
  private readonly errors: PyNode[] = [];
  /** Ancestors of the next node, root first. */
  private readonly stack: PyNode[] = [];
  private last: PyNode | undefined;

  constructor(
    private readonly from: number,
    private readonly to: number,
  ) {}

  begin(rootType: string, careful: boolean): void {
    this.root = new PyNode(rootType, true, this.from, this.to, false);
    this.careful = careful;
    this.stack.push(this.root);
  }

  node(_id: number, type: string, named: boolean, start: number, end: number, missing: boolean): boolean {
    if (type === 'comment') {
      this.comments.push({ start, end });
      return false;
    }
    const stack = this.stack;
    const parent = stack[stack.length - 1]!;
    const node = (this.last = new PyNode(type, named, start, end, missing));
    if (type === 'ERROR' || missing) recordError(this.errors, node);
    if (type === 'ERROR' && !STATEMENT_CONTAINERS.has(parent.type)) detachError(stack, node);
    else if (parent.children === NO_CHILDREN) parent.children = [node];
    else parent.children.push(node);
    return true;
  }

  down(): void {
    this.stack.push(this.last!);
  }

  up(): void {
    this.stack.pop();
  }

  finish(): ParsedSource {
    const root = this.root!;
    // tree-sitter said the tree has an error, but none was below the root (the root itself is the
    // error, or a MISSING token was not visited): report the whole parsed range rather than nothing.
    if (this.careful && this.errors.length === 0) this.errors.push(root);
    return { root, comments: this.comments, errors: this.errors };
  }
}

/**
 * Parses `text`, or only text[from, to) when given (error recovery re-parses pieces), and reads
 * the tree into a SyntaxWalk; offsets always index `text`. With `owned`, the result's array is
 * its own (to transfer to another thread); otherwise it is a view of a buffer the next walk reuses.
 */
export function walkSyntax(text: string, from = 0, to = text.length, owned = false): SyntaxWalk {
  const rec = new FlatRecorder();
  walkTree(text, from, to, rec);
  const view = rec.buf.subarray(0, rec.count * WALK_STRIDE);
  return {
    rootType: rec.rootType,
    from,
    to,
    careful: rec.careful,
    count: rec.count,
    nodes: owned ? view.slice() : view,
    types: rec.used.map((id) => [id, typeNames[id]!, typeNamed[id]!]),
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

/** The PyNode tree of a walk (done in this thread or another one): what `parseSyntax` gives for the same text. */
export function buildSyntax(walk: SyntaxWalk): ParsedSource {
  learnTypes(walk.types);
  const buf = walk.nodes;
  const builder = new TreeBuilder(walk.from, walk.to);
  builder.begin(walk.rootType, walk.careful);
  // Walk indexes of the open nodes (the root is -1).
  const open: number[] = [-1];
  for (let i = 0, at = 0; i < walk.count; i++, at += WALK_STRIDE) {
    const word = buf[at]!;
    const id = word & 0xffff;
    const parent = buf[at + 3]!;
    while (open[open.length - 1] !== parent) {
      open.pop();
      builder.up();
    }
    builder.node(id, typeNames[id]!, typeNamed[id]!, buf[at + 1]!, buf[at + 2]!, (word & MISSING_FLAG) !== 0);
    if ((word & PARENT_FLAG) !== 0) {
      open.push(i);
      builder.down();
    }
  }
  return builder.finish();
}

/**
 * Parses `text`, or only text[from, to) when given (error recovery re-parses pieces); offsets
 * in the result always index `text`.
 */
export function parseSyntax(text: string, from = 0, to = text.length): ParsedSource {
  const builder = new TreeBuilder(from, to);
  walkTree(text, from, to, builder);
  return builder.finish();
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
