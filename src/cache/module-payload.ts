/**
 * A lowered module as bytes: what the module cache stores and what worker threads send back.
 *
 * The bytes hold two v8-serialised parts: the module's outline (the module with the bodies of its
 * outline-level functions emptied — ir/facts.ts `outlineDefs` — plus the facts of those bodies and
 * of the whole module), then the bodies themselves, in `outlineDefs` order. Decoding can stop after
 * the outline: the bodies are then read the first time any of them is touched (each emptied
 * `body` becomes a getter that decodes all of the module's bodies and puts them in place), so a
 * focused analysis pays for the bodies of the modules it analyses only. The outline is about a
 * third of a module's bytes and a fifth of its decoding time.
 *
 * The source lines are a third part, decoded on first use the same way: most modules of a focused
 * analysis never show a line in a report.
 *
 * Spans travel apart: in each of the outline and bodies parts, span slots hold indexes into a
 * table of four numbers per span (an Int32Array in the same part). Spans are four in ten of a
 * module's objects; stored as objects they took ~45 % of the encoding time and of the bytes, and
 * ~30 % of the decoding time (standard library: 310 -> 175 MB serialised).
 *
 * Layout: the byte lengths of the outline part and of the lines part (u32 LE each), the outline
 * part, the lines part (one string), the bodies part. v8 serialisation keeps bigint constants and
 * `undefined` properties; shared references are kept within each part (lowering never shares a
 * node between a function body and the rest).
 */
import { deserialize, serialize } from 'node:v8';
import { moduleRefs, outlineDefs, primeFacts, unitFacts, type ModuleRef, type UnitFacts } from '../ir/facts.js';
import type { FunctionDef, ModuleIR, Span, Stmt } from '../ir/types.js';
import { forEachSpanSlot } from '../ir/walk.js';

interface Outline {
  /** The module with the outline functions' bodies and the lines emptied; span slots hold indexes into `spans`. */
  module: ModuleIR;
  refs: ModuleRef[];
  units: UnitFacts[];
  lineCount: number;
  spans: Int32Array;
}

interface Bodies {
  /** The outline functions' bodies, in `outlineDefs` order; span slots hold indexes into `spans`. */
  bodies: Stmt[][];
  spans: Int32Array;
}

/** Byte lengths of the outline part and of the lines part (u32 LE each). */
const HEAD_BYTES = 8;

/** Encodes a module (computing its facts if they are not known yet). */
export function encodeModule(m: ModuleIR): Uint8Array {
  const defs = outlineDefs(m);
  const units = defs.map(unitFacts);
  const refs = moduleRefs(m);
  const bodies = defs.map((d) => d.body);
  const lines = m.lines;
  let outline: Buffer;
  let bodyBytes: Buffer;
  try {
    for (const d of defs) d.body = [];
    m.lines = [];
    const outlineSpans = spansOut([m.body], spanLists(m));
    try {
      outline = serialize({ module: m, refs, units, lineCount: lines.length, spans: outlineSpans.table } satisfies Outline);
    } finally {
      spansIn([m.body], spanLists(m), (i) => outlineSpans.spans[i]!);
    }
  } finally {
    defs.forEach((d, i) => (d.body = bodies[i]!));
    m.lines = lines;
  }
  const bodySpans = spansOut(bodies, []);
  try {
    bodyBytes = serialize({ bodies, spans: bodySpans.table } satisfies Bodies);
  } finally {
    spansIn(bodies, [], (i) => bodySpans.spans[i]!);
  }
  // Lines hold no newline (they were split at them): one string decodes far faster than one per line.
  const text = serialize(lines.join('\n'));
  const head = Buffer.alloc(HEAD_BYTES);
  head.writeUInt32LE(outline.length, 0);
  head.writeUInt32LE(text.length, 4);
  return Buffer.concat([head, outline, text, bodyBytes]);
}

/** Span lists of the module itself (not in any statement). */
function spanLists(m: ModuleIR): Span[][] {
  return m.truncatedAt ? [m.syntaxErrors, m.truncatedAt] : [m.syntaxErrors];
}

/** Puts each span's index in its slot (see the file comment); `spansIn` puts the spans back. */
function spansOut(blocks: Stmt[][], lists: Span[][]): { table: Int32Array; spans: Span[] } {
  // Lowering shares a span between slots the walk visits one after the other (a lambda and its
  // function, a lambda's implicit `return` and its value), so comparing with the last span is
  // enough, and far cheaper than a map; only spans of the module's lists (a truncation point is
  // also an `unknown` node's span) need the map.
  const index = lists.length > 1 ? new Map<Span, number>() : undefined;
  const spans: Span[] = [];
  let last: unknown;
  const take = (holder: Record<string | number, unknown>, key: string | number): void => {
    const s = holder[key];
    if (typeof s !== 'object' || s === null) return; // reached twice: already an index
    let i: number | undefined = s === last ? spans.length - 1 : index?.get(s as Span);
    if (i === undefined) {
      i = spans.length;
      index?.set(s as Span, i);
      spans.push(s as Span);
      last = s;
    }
    holder[key] = i;
  };
  for (const b of blocks) forEachSpanSlot(b, take);
  for (const l of lists) for (let i = 0; i < l.length; i++) take(l as unknown as Record<number, unknown>, i);
  const table = new Int32Array(spans.length * 4);
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    table[4 * i] = s.startLine;
    table[4 * i + 1] = s.startColumn;
    table[4 * i + 2] = s.endLine;
    table[4 * i + 3] = s.endColumn;
  }
  return { table, spans };
}

function spansIn(blocks: Stmt[][], lists: Span[][], spanAt: (i: number) => Span): void {
  const put = (holder: Record<string | number, unknown>, key: string | number): void => {
    const i = holder[key];
    if (typeof i === 'number') holder[key] = spanAt(i);
  };
  for (const b of blocks) forEachSpanSlot(b, put);
  for (const l of lists) for (let i = 0; i < l.length; i++) put(l as unknown as Record<number, unknown>, i);
}

/** Spans decoded from a table, each made once (shared slots share it). */
function spansFrom(table: unknown): (i: number) => Span {
  if (!(table instanceof Int32Array)) throw new Error('no span table');
  const made: Span[] = [];
  return (i) => {
    let s = made[i];
    if (s === undefined) {
      if (!(i >= 0 && 4 * i + 3 < table.length)) throw new Error('span index out of range');
      s = made[i] = { startLine: table[4 * i]!, startColumn: table[4 * i + 1]!, endLine: table[4 * i + 2]!, endColumn: table[4 * i + 3]! };
    }
    return s;
  };
}

export interface DecodeOptions {
  /** Leave the bodies encoded until one is touched (see the file comment). */
  lazyBodies?: boolean;
}

let lazyLoads = 0;

/** How many modules' bodies, and modules' lines, were decoded on first touch in this thread (for tests and measurements). */
export function lazyBodyLoads(): number {
  return lazyLoads;
}

/** Decodes encoded bytes; anything that is not a plausible module for `relPath` is undefined (a cache miss). */
export function decodeModule(raw: Uint8Array, relPath: string, opts: DecodeOptions = {}): ModuleIR | undefined {
  try {
    if (raw.byteLength < HEAD_BYTES) return undefined;
    const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const outlineEnd = HEAD_BYTES + bytes.readUInt32LE(0);
    const linesEnd = outlineEnd + bytes.readUInt32LE(4);
    if (linesEnd > bytes.length) return undefined;
    const o = deserialize(bytes.subarray(HEAD_BYTES, outlineEnd)) as Partial<Outline>;
    if (typeof o !== 'object' || o === null || !isModuleLike(o.module, relPath) || !Array.isArray(o.refs) || !Array.isArray(o.units) || typeof o.lineCount !== 'number') return undefined;
    const m = o.module;
    spansIn([m.body], spanLists(m), spansFrom(o.spans));
    // v8 deserialises a typed array as a view of the bytes it came from, when aligned: without a
    // copy, each module would keep its whole encoded entry alive.
    if (m.statementRanges.byteLength !== m.statementRanges.buffer.byteLength) m.statementRanges = m.statementRanges.slice();
    const defs = outlineDefs(m);
    if (defs.length !== o.units.length) return undefined;
    const linesBytes = bytes.subarray(outlineEnd, linesEnd);
    const bodyBytes = bytes.subarray(linesEnd);
    if (opts.lazyBodies) {
      deferLines(m, linesBytes, o.lineCount, relPath);
      if (defs.length > 0) deferBodies(defs, bodyBytes, relPath);
    } else {
      const lines = decodeLines(linesBytes, o.lineCount);
      if (!lines || !placeBodies(defs, decodeBodies(bodyBytes, defs.length))) return undefined;
      m.lines = lines;
    }
    primeFacts(m, o.refs, defs, o.units);
    return m;
  } catch {
    return undefined;
  }
}

function decodeLines(bytes: Buffer, count: number): string[] | undefined {
  const text: unknown = deserialize(bytes);
  if (typeof text !== 'string') return undefined;
  const lines = text.split('\n');
  return lines.length === count ? lines : count === 0 && text === '' ? [] : undefined;
}

function deferLines(m: ModuleIR, bytes: Buffer, count: number, relPath: string): void {
  const place = (lines: string[]): void => {
    Object.defineProperty(m, 'lines', { value: lines, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(m, 'lines', {
    get(): string[] {
      lazyLoads++;
      let lines: string[] | undefined;
      try {
        lines = decodeLines(bytes, count);
      } catch {
        lines = undefined;
      }
      if (!lines) throw new Error(`module cache: the lines of ${relPath} do not decode`);
      place(lines);
      return lines;
    },
    set: place,
    enumerable: true,
    configurable: true,
  });
}

/** The bodies part with its spans in place; undefined when it is not `count` bodies. */
function decodeBodies(bytes: Buffer, count: number): Stmt[][] | undefined {
  const part = deserialize(bytes) as Partial<Bodies>;
  const bodies = part?.bodies;
  if (!Array.isArray(bodies) || bodies.length !== count || !bodies.every(Array.isArray)) return undefined;
  spansIn(bodies, [], spansFrom(part.spans));
  return bodies;
}

function placeBodies(defs: FunctionDef[], bodies: Stmt[][] | undefined): boolean {
  if (!bodies) return false;
  defs.forEach((d, i) => (d.body = bodies[i]!));
  return true;
}

function deferBodies(defs: FunctionDef[], bodyBytes: Buffer, relPath: string): void {
  const load = (): void => {
    lazyLoads++;
    let bodies: Stmt[][] | undefined;
    try {
      bodies = decodeBodies(bodyBytes, defs.length);
    } catch {
      bodies = undefined;
    }
    // The outline was checked with these bytes (one CRC covers both parts); failing here means a
    // bug, and an empty body would silently hide flows.
    if (!bodies) throw new Error(`module cache: the function bodies of ${relPath} do not decode`);
    defs.forEach((d, i) => Object.defineProperty(d, 'body', { value: bodies[i], writable: true, enumerable: true, configurable: true }));
  };
  for (const d of defs) {
    Object.defineProperty(d, 'body', {
      get(this: FunctionDef): Stmt[] {
        load();
        return this.body;
      },
      set(this: FunctionDef, v: Stmt[]) {
        load();
        this.body = v;
      },
      enumerable: true,
      configurable: true,
    });
  }
}

function isModuleLike(m: unknown, relPath: string): m is ModuleIR {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Partial<ModuleIR>;
  return (
    o.file === relPath &&
    typeof o.name === 'string' &&
    typeof o.isPackage === 'boolean' &&
    o.language === 'python' &&
    Array.isArray(o.body) &&
    Array.isArray(o.lines) &&
    Array.isArray(o.comments) &&
    o.statementRanges instanceof Int32Array &&
    Array.isArray(o.syntaxErrors)
  );
}
