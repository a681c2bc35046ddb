/**
 * For every line, the line range of the innermost statement covering it: a simple statement,
 * or the header of a compound statement (`if (a and\n b):`, decorators plus `def ...:`).
 * Suppression comments anywhere in such a range apply to the whole range.
 */
import { lineByLineRanges } from '../../ir/types.js';
import { COMPOUND_STATEMENTS, PyNode, SIMPLE_STATEMENTS } from './parser.js';
import type { LineIndex } from './positions.js';

/** Clauses whose header (up to the colon) is a range of its own. */
const CLAUSES: ReadonlySet<string> = new Set(['elif_clause', 'else_clause', 'except_clause', 'finally_clause', 'case_clause']);
const CONTAINERS: ReadonlySet<string> = new Set(['module', 'block', 'ERROR']);

const HEADER = 1;
const SIMPLE = 2;

export function statementRanges(root: PyNode, lines: LineIndex, lineCount: number): Int32Array {
  const ranges = lineByLineRanges(lineCount);
  const kind = new Uint8Array(lineCount);

  const mark = (start: number, end: number, what: number) => {
    const first = lines.line(start);
    const last = Math.max(first, lines.line(Math.max(start, end - 1)));
    for (let line = first; line <= last && line <= lineCount; line++) {
      const i = line - 1;
      // Two simple statements sharing a line (`a; b`): the line belongs to both.
      const both = what === SIMPLE && kind[i] === SIMPLE;
      ranges[2 * i] = both ? Math.min(ranges[2 * i]!, first) : first;
      ranges[2 * i + 1] = both ? Math.max(ranges[2 * i + 1]!, last) : last;
      kind[i] = what;
    }
  };

  // Pre-order, so inner statements overwrite the headers of the statements holding them.
  const stack: PyNode[] = [root];
  const pushChildren = (n: PyNode) => {
    for (let i = n.children.length - 1; i >= 0; i--) {
      const c = n.children[i];
      if (c.named && c.type !== 'decorator') stack.push(c);
    }
    if (n.detachedErrors) for (const e of n.detachedErrors) stack.push(e);
  };
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (SIMPLE_STATEMENTS.has(n.type)) {
      mark(n.start, n.end, SIMPLE);
      if (n.detachedErrors) for (const e of n.detachedErrors) stack.push(e);
    } else if (n.type === 'decorated_definition') {
      // One header from the first decorator to the colon of the definition.
      const def = n.children.find((c) => c.type === 'function_definition' || c.type === 'class_definition');
      mark(n.start, headerEnd(def ?? n), HEADER);
      pushChildren(n);
      if (def) {
        stack.splice(stack.indexOf(def), 1);
        pushChildren(def);
      }
    } else if (COMPOUND_STATEMENTS.has(n.type) || CLAUSES.has(n.type)) {
      mark(n.start, headerEnd(n), HEADER);
      pushChildren(n);
    } else if (CONTAINERS.has(n.type)) {
      pushChildren(n);
    }
  }
  return ranges;
}

/** End offset of a compound statement's header: its own colon, else its first line. */
function headerEnd(n: PyNode): number {
  for (const c of n.children) {
    if (!c.named && c.type === ':') return c.end;
    if (c.type === 'block') return c.start;
  }
  return n.start + 1;
}
