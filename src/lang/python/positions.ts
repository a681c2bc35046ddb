import type { Span } from '../../ir/types.js';

const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

/**
 * Converts string offsets to 1-based line/column spans.
 *
 * The node tree-sitter binding reports offsets in UTF-16 code units (JS string indices), so
 * offsets index the source string directly; columns are then corrected to Unicode code points
 * on the rare lines holding astral characters. End columns are exclusive (SARIF convention:
 * one past the last character).
 */
export class LineIndex {
  /** Offset of the first character of each line (lines split on '\n'). */
  private readonly lineStarts: number[] = [0];
  /** Per line: 0 = not checked yet, 1 = BMP only, 2 = holds surrogate pairs. */
  private readonly astral: Uint8Array;
  private lastRow = 0;

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    this.astral = new Uint8Array(this.lineStarts.length);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 0-based row of an offset. Lowering visits offsets mostly in order, so try the last row first. */
  rowOf(offset: number): number {
    const starts = this.lineStarts;
    let row = this.lastRow;
    if (starts[row] <= offset && (row + 1 >= starts.length || offset < starts[row + 1])) return row;
    if (row + 1 < starts.length && starts[row + 1] <= offset && (row + 2 >= starts.length || offset < starts[row + 2])) {
      this.lastRow = row + 1;
      return row + 1;
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.lastRow = lo;
    return lo;
  }

  /** 1-based code point column of an offset on a given 0-based row. */
  columnOf(row: number, offset: number): number {
    const lineStart = this.lineStarts[row];
    let units = offset - lineStart;
    let flag = this.astral[row];
    if (flag === 0) {
      const lineEnd = row + 1 < this.lineStarts.length ? this.lineStarts[row + 1] : this.text.length;
      flag = HIGH_SURROGATE.test(this.text.slice(lineStart, lineEnd)) ? 2 : 1;
      this.astral[row] = flag;
    }
    if (flag === 2) {
      let pairs = 0;
      for (let i = lineStart; i < offset; i++) {
        const c = this.text.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff) pairs++;
      }
      units -= pairs;
    }
    return units + 1;
  }

  line(offset: number): number {
    return this.rowOf(offset) + 1;
  }

  span(start: number, end: number): Span {
    // A start on a line's '\r\n' (an error node at a line end) belongs right after the text, as an end does.
    if (start > 0 && start < this.text.length && this.text.charCodeAt(start) === 10 && this.text.charCodeAt(start - 1) === 13) start--;
    const startRow = this.rowOf(start);
    // An end that falls on a line's trailing '\r' belongs before it (the column past the text).
    if (end > start && end <= this.text.length && this.text.charCodeAt(end - 1) === 13) end--;
    const endRow = end === start ? startRow : this.rowOf(end);
    return {
      startLine: startRow + 1,
      startColumn: this.columnOf(startRow, start),
      endLine: endRow + 1,
      endColumn: this.columnOf(endRow, end),
    };
  }

  /** Offset of the end of the line holding `offset` (before '\n' and a trailing '\r'). */
  lineEndOffset(offset: number): number {
    const row = this.rowOf(offset);
    let end = row + 1 < this.lineStarts.length ? this.lineStarts[row + 1] - 1 : this.text.length;
    if (end > this.lineStarts[row] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }
}
