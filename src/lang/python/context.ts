import type { Expr, Span } from '../../ir/types.js';
import type { PyNode } from './parser.js';
import type { LineIndex } from './positions.js';

/** State shared by the lowering functions for one module. */
export class LowerContext {
  readonly truncatedAt: Span[] = [];
  /** Current nesting of lowerExpr/lowerStmt calls, bounded by maxDepth to protect the JS stack. */
  depth = 0;
  /** Set when a yield is lowered; function lowering saves and resets it around each body. */
  sawYield = false;
  /** Characters error recovery may still re-parse (bounds the cost of files full of errors). */
  reparseBudget: number;

  constructor(
    readonly source: string,
    readonly lines: LineIndex,
    readonly maxDepth: number,
  ) {
    this.reparseBudget = 2 * source.length + 10_000;
  }

  span(n: PyNode): Span {
    return this.lines.span(n.start, n.end);
  }

  spanBetween(start: number, end: number): Span {
    return this.lines.span(start, end);
  }

  text(n: PyNode): string {
    return this.source.slice(n.start, n.end);
  }

  /** The placeholder for a subtree beyond the depth limit. */
  truncated(n: PyNode): Expr {
    const span = this.span(n);
    this.truncatedAt.push(span);
    return { k: 'unknown', children: [], span };
  }
}

export function namedChildren(n: PyNode): PyNode[] {
  return n.children.filter((c) => c.named);
}

export function childOfType(n: PyNode, type: string): PyNode | undefined {
  return n.children.find((c) => c.type === type);
}

export function childrenOfType(n: PyNode, type: string): PyNode[] {
  return n.children.filter((c) => c.type === type);
}

/** Index of the first anonymous token `token` among n's children, or -1. */
export function tokenIndex(n: PyNode, token: string): number {
  return n.children.findIndex((c) => !c.named && c.type === token);
}

/** Named children positioned before / after the child at `index`. */
export function namedBefore(n: PyNode, index: number): PyNode[] {
  return n.children.slice(0, index < 0 ? n.children.length : index).filter((c) => c.named);
}

export function namedAfter(n: PyNode, index: number): PyNode[] {
  return index < 0 ? [] : n.children.slice(index + 1).filter((c) => c.named);
}
