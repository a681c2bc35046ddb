/**
 * Unified diffs for `redline review`: parsing (`git diff`, `git format-patch` series, plain
 * `diff -u`, Gerrit's base64 download), line bookkeeping (which lines of the after state a change
 * adds, which lines of the before state it removes, where an unchanged line moved), and
 * reverse-applying hunks in memory to rebuild the before state of a file from its after state.
 */

export class ReviewError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, ' '));
    this.name = 'ReviewError';
  }
}

export type HunkOp = ' ' | '-' | '+';

export interface Hunk {
  /** Numbers as written in the `@@ -oldStart,oldCount +newStart,newCount @@` header. */
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  ops: Array<{ op: HunkOp; text: string }>;
  /** A `\ No newline at end of file` marker follows the last old-side / new-side line. */
  oldNoEol: boolean;
  newNoEol: boolean;
}

export type FileStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied';

export interface FilePatch {
  /** Path before the change (undefined for an added file), without the a/ prefix. */
  oldPath?: string;
  /** Path after the change (undefined for a deleted file), without the b/ prefix. */
  newPath?: string;
  status: FileStatus;
  hunks: Hunk[];
  binary: boolean;
  /** Which patch of a `git format-patch` series (0 for a single diff). */
  patchIndex: number;
}

/** First line of a hunk, 1-based, with git's "count 0 means the line before" convention undone. */
function effStart(start: number, count: number): number {
  return count === 0 ? start + 1 : start;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const MBOX_FROM = /^From [0-9a-f]{7,64} /;

/** Gerrit's "download patch" is a base64-encoded `git format-patch`; decode it when the text is only base64. */
function maybeBase64(text: string): string {
  if (/^(diff --git |--- |\+\+\+ |@@ )/m.test(text)) return text;
  const compact = text.replace(/\s+/g, '');
  if (compact.length < 16 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return text;
  const decoded = Buffer.from(compact, 'base64').toString('utf8');
  return /^(diff --git |--- |@@ )/m.test(decoded) ? decoded : text;
}

/** Unquotes a C-style quoted git path (`"a/caf\303\251.py"`); returns the text unchanged when unquoted. */
export function unquotePath(s: string): string {
  if (!s.startsWith('"') || !s.endsWith('"') || s.length < 2) return s;
  const bytes: number[] = [];
  const body = s.slice(1, -1);
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\\' && i + 1 < body.length) {
      const next = body[i + 1]!;
      if (/[0-7]/.test(next)) {
        const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
        bytes.push(parseInt(oct, 8));
        i += oct.length;
        continue;
      }
      if (simple[next] !== undefined) {
        bytes.push(simple[next]!);
        i++;
        continue;
      }
    }
    bytes.push(...Buffer.from(ch, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The path of a `---`/`+++` line: quoted or up to a tab (plain diff adds a timestamp after a tab). */
function headerPath(rest: string): string | undefined {
  let p = rest;
  if (p.startsWith('"')) {
    const close = findClosingQuote(p);
    p = close > 0 ? p.slice(0, close + 1) : p;
  } else {
    const tab = p.indexOf('\t');
    if (tab >= 0) p = p.slice(0, tab);
    p = p.replace(/\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?( [+-]\d{4})?$/, '');
  }
  p = unquotePath(p.trimEnd());
  return p === '/dev/null' ? undefined : p;
}

function findClosingQuote(s: string): number {
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '\\') {
      i++;
      continue;
    }
    if (s[i] === '"') return i;
  }
  return -1;
}

/** `diff --git a/x b/y`: the two paths, when they can be told apart. */
function gitHeaderPaths(rest: string): { old?: string; new?: string } {
  if (rest.startsWith('"')) {
    const close = findClosingQuote(rest);
    const first = unquotePath(rest.slice(0, close + 1));
    const second = headerPath(rest.slice(close + 1).trimStart());
    return { old: first, new: second };
  }
  const quoted = rest.indexOf(' "');
  if (quoted >= 0) return { old: rest.slice(0, quoted), new: unquotePath(rest.slice(quoted + 1)) };
  // Unquoted paths may contain spaces: the split is where both halves name the same file.
  const parts = rest.split(' ');
  for (let i = 1; i < parts.length; i++) {
    const a = parts.slice(0, i).join(' ');
    const b = parts.slice(i).join(' ');
    if (stripOne(a) === stripOne(b)) return { old: a, new: b };
  }
  if (parts.length === 2) return { old: parts[0], new: parts[1] };
  return {};
}

function stripOne(p: string): string {
  const slash = p.indexOf('/');
  return slash >= 0 ? p.slice(slash + 1) : p;
}

const GIT_PREFIXES = /^[abciow12]\//;

/** Removes the `a/` / `b/` (or mnemonic `i/` `w/` ..., or `old/` `new/` of `diff -ru`) prefix pair. */
function stripPrefixes(fp: RawFile): void {
  const o = fp.oldPath;
  const n = fp.newPath;
  const prefixed = (p: string | undefined) => p === undefined || GIT_PREFIXES.test(p);
  if (prefixed(o) && prefixed(n) && (o !== undefined || n !== undefined)) {
    if (o !== undefined && !fp.oldFromHeader) fp.oldPath = o.slice(2);
    if (n !== undefined && !fp.newFromHeader) fp.newPath = n.slice(2);
    return;
  }
  if (o !== undefined && n !== undefined && !fp.oldFromHeader && !fp.newFromHeader) {
    const oFirst = o.split('/')[0];
    const nFirst = n.split('/')[0];
    if (o.includes('/') && n.includes('/') && oFirst !== nFirst) {
      fp.oldPath = stripOne(o);
      fp.newPath = stripOne(n);
    }
  }
}

interface RawFile extends FilePatch {
  /** Paths taken from `rename from` / `copy from` lines carry no prefix. */
  oldFromHeader?: boolean;
  newFromHeader?: boolean;
  sawNewFile?: boolean;
  sawDeletedFile?: boolean;
}

/**
 * Parses every file section of a unified diff or `git format-patch` output (one or more mails).
 * Throws a ReviewError for a malformed hunk. Paths are returned without their a/ b/ prefixes.
 */
export function parsePatch(input: string): FilePatch[] {
  const text = maybeBase64(input);
  const lines = text.split('\n');
  const files: RawFile[] = [];
  let current: RawFile | undefined;
  let patchIndex = 0;
  let sawDiffInMail = false;

  const start = (): RawFile => {
    const f: RawFile = { status: 'modified', hunks: [], binary: false, patchIndex };
    files.push(f);
    current = f;
    return f;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (MBOX_FROM.test(line)) {
      if (sawDiffInMail) patchIndex++;
      sawDiffInMail = false;
      current = undefined;
      continue;
    }
    if (line.startsWith('diff --git ')) {
      const f = start();
      const paths = gitHeaderPaths(line.slice('diff --git '.length));
      f.oldPath = paths.old;
      f.newPath = paths.new;
      sawDiffInMail = true;
      continue;
    }
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      const oldP = headerPath(line.slice(4));
      const newP = headerPath(lines[i + 1]!.replace(/\r$/, '').slice(4));
      // Inside a `diff --git` section the ---/+++ lines confirm the paths; otherwise they open a file.
      const f = current && current.hunks.length === 0 && !current.binary ? current : start();
      if (!f.oldFromHeader) f.oldPath = oldP;
      if (!f.newFromHeader) f.newPath = newP;
      if (oldP === undefined) f.sawNewFile = true;
      if (newP === undefined) f.sawDeletedFile = true;
      sawDiffInMail = true;
      i++;
      continue;
    }
    if (current) {
      const hm = HUNK_HEADER.exec(line);
      if (hm) {
        const hunk: Hunk = {
          oldStart: Number(hm[1]),
          oldCount: hm[2] === undefined ? 1 : Number(hm[2]),
          newStart: Number(hm[3]),
          newCount: hm[4] === undefined ? 1 : Number(hm[4]),
          ops: [],
          oldNoEol: false,
          newNoEol: false,
        };
        let oldLeft = hunk.oldCount;
        let newLeft = hunk.newCount;
        let lastOp: HunkOp | undefined;
        while (oldLeft > 0 || newLeft > 0) {
          i++;
          if (i >= lines.length) throw new ReviewError(`malformed patch: hunk "${line}" ends early`);
          const raw = lines[i]!;
          if (raw.startsWith('\\')) {
            if (lastOp === '-' || lastOp === ' ') hunk.oldNoEol = true;
            if (lastOp === '+' || lastOp === ' ') hunk.newNoEol = true;
            continue;
          }
          // An empty line is a context line whose trailing space was stripped (mail clients do this).
          const op = (raw === '' || raw === '\r' ? ' ' : raw[0]) as HunkOp;
          if (op !== ' ' && op !== '-' && op !== '+') throw new ReviewError(`malformed patch: unexpected line ${i + 1} inside hunk "${line}"`);
          const body = raw === '' || raw === '\r' ? '' : raw.slice(1);
          if (op !== '+') oldLeft--;
          if (op !== '-') newLeft--;
          if (oldLeft < 0 || newLeft < 0) throw new ReviewError(`malformed patch: hunk "${line}" has more lines than its header says`);
          hunk.ops.push({ op, text: body });
          lastOp = op;
        }
        if (lines[i + 1]?.startsWith('\\')) {
          i++;
          if (lastOp === '-' || lastOp === ' ') hunk.oldNoEol = true;
          if (lastOp === '+' || lastOp === ' ') hunk.newNoEol = true;
          // A second marker can follow for the other side.
          if (lines[i + 1]?.startsWith('\\')) {
            i++;
            hunk.newNoEol = true;
          }
        }
        current.hunks.push(hunk);
        continue;
      }
      if (current.hunks.length === 0) {
        if (line.startsWith('new file mode')) current.sawNewFile = true;
        else if (line.startsWith('deleted file mode')) current.sawDeletedFile = true;
        else if (line.startsWith('rename from ')) {
          current.oldPath = unquotePath(line.slice('rename from '.length));
          current.oldFromHeader = true;
          current.status = 'renamed';
        } else if (line.startsWith('rename to ')) {
          current.newPath = unquotePath(line.slice('rename to '.length));
          current.newFromHeader = true;
          current.status = 'renamed';
        } else if (line.startsWith('copy from ')) {
          current.oldPath = unquotePath(line.slice('copy from '.length));
          current.oldFromHeader = true;
          current.status = 'copied';
        } else if (line.startsWith('copy to ')) {
          current.newPath = unquotePath(line.slice('copy to '.length));
          current.newFromHeader = true;
          current.status = 'copied';
        } else if (line.startsWith('Binary files ') || line === 'GIT binary patch') current.binary = true;
      }
    }
  }

  return files.map((f) => {
    stripPrefixes(f);
    let status: FileStatus = f.status;
    if (f.sawNewFile) {
      status = 'added';
      f.oldPath = undefined;
    } else if (f.sawDeletedFile) {
      status = 'deleted';
      f.newPath = undefined;
    } else if (status === 'modified' && f.oldPath !== undefined && f.newPath !== undefined && f.oldPath !== f.newPath) status = 'renamed';
    if (status === 'modified' && f.oldPath === undefined) f.oldPath = f.newPath;
    if (status === 'modified' && f.newPath === undefined) f.newPath = f.oldPath;
    return { oldPath: f.oldPath, newPath: f.newPath, status, hunks: f.hunks, binary: f.binary, patchIndex: f.patchIndex };
  });
}

/**
 * The line bookkeeping of one set of hunks on one file: lines of the new side that are added,
 * lines of the old side that are removed, and where unchanged lines moved.
 */
export class LineChange {
  readonly added = new Set<number>();
  readonly removed = new Set<number>();
  private readonly ctxOldToNew = new Map<number, number>();
  private readonly ctxNewToOld = new Map<number, number>();
  /** Effective ranges, exclusive ends, in order. */
  private readonly ranges: Array<{ oldEnd: number; newEnd: number; oldStart: number; newStart: number }> = [];

  constructor(hunks: Hunk[]) {
    const sorted = [...hunks].sort((a, b) => effStart(a.oldStart, a.oldCount) - effStart(b.oldStart, b.oldCount));
    for (const h of sorted) {
      let o = effStart(h.oldStart, h.oldCount);
      let n = effStart(h.newStart, h.newCount);
      const r = { oldStart: o, newStart: n, oldEnd: o + h.oldCount, newEnd: n + h.newCount };
      for (const { op } of h.ops) {
        if (op === ' ') {
          this.ctxOldToNew.set(o, n);
          this.ctxNewToOld.set(n, o);
          o++;
          n++;
        } else if (op === '-') this.removed.add(o++);
        else this.added.add(n++);
      }
      this.ranges.push(r);
    }
  }

  /** The new line number of an old line, or undefined when the change removed it. */
  oldToNew(line: number): number | undefined {
    if (this.removed.has(line)) return undefined;
    const ctx = this.ctxOldToNew.get(line);
    if (ctx !== undefined) return ctx;
    let delta = 0;
    for (const r of this.ranges) {
      if (r.oldEnd <= line) delta = r.newEnd - r.oldEnd;
      else break;
    }
    return line + delta;
  }

  /** The old line number of a new line, or undefined when the change added it. */
  newToOld(line: number): number | undefined {
    if (this.added.has(line)) return undefined;
    const ctx = this.ctxNewToOld.get(line);
    if (ctx !== undefined) return ctx;
    let delta = 0;
    const byNew = [...this.ranges].sort((a, b) => a.newStart - b.newStart);
    for (const r of byNew) {
      if (r.newEnd <= line) delta = r.oldEnd - r.newEnd;
      else break;
    }
    return line + delta;
  }
}

/** The change of one file across a patch series: its before and after paths and one LineChange per patch. */
export interface FileDelta {
  beforePath?: string;
  afterPath?: string;
  status: 'added' | 'modified' | 'deleted' | 'renamed';
  /** In patch order; the file's own hunks in each patch that touched it. */
  patches: FilePatch[];
  steps: LineChange[];
  /** Every line of the after state counts as added (an untracked file). */
  allAdded?: boolean;
  binary: boolean;
}

export function isAddedLine(d: FileDelta, line: number): boolean {
  if (d.allAdded || d.status === 'added') return true;
  let n: number | undefined = line;
  for (let k = d.steps.length - 1; k >= 0; k--) {
    const step = d.steps[k]!;
    if (step.added.has(n)) return true;
    n = step.newToOld(n);
    if (n === undefined) return true;
  }
  return false;
}

/** The after line of a before line, or undefined when the change removed or replaced it. */
export function mapBeforeToAfter(d: FileDelta, line: number): number | undefined {
  if (d.status === 'deleted' || d.status === 'added') return undefined;
  let o: number | undefined = line;
  for (const step of d.steps) {
    o = step.oldToNew(o);
    if (o === undefined) return undefined;
  }
  return o;
}

export function addedLineCount(d: FileDelta, afterLineCount: number): number {
  if (d.allAdded) return afterLineCount;
  if (d.steps.length === 1) return d.steps[0]!.added.size;
  let n = 0;
  for (let l = 1; l <= afterLineCount; l++) if (isAddedLine(d, l)) n++;
  return n;
}

export function removedLineCount(d: FileDelta, beforeLineCount: number): number {
  if (d.steps.length === 1) return d.steps[0]!.removed.size;
  let n = 0;
  for (let l = 1; l <= beforeLineCount; l++) if (mapBeforeToAfter(d, l) === undefined) n++;
  return n;
}

/**
 * Groups file patches (possibly from several patches of a series) into one delta per file,
 * following renames from one patch to the next.
 */
export function buildDeltas(patches: FilePatch[]): FileDelta[] {
  const deltas: FileDelta[] = [];
  const byCurrentPath = new Map<string, FileDelta>();
  for (const p of patches) {
    const existing = p.oldPath !== undefined && p.status !== 'added' ? byCurrentPath.get(p.oldPath) : undefined;
    if (existing && p.status !== 'copied') {
      byCurrentPath.delete(existing.afterPath!);
      existing.patches.push(p);
      existing.binary ||= p.binary;
      existing.afterPath = p.newPath;
      if (p.newPath !== undefined) byCurrentPath.set(p.newPath, existing);
      continue;
    }
    const d: FileDelta = {
      beforePath: p.status === 'added' || p.status === 'copied' ? undefined : p.oldPath,
      afterPath: p.newPath,
      status: 'modified',
      patches: [p],
      steps: [],
      binary: p.binary,
    };
    deltas.push(d);
    if (p.newPath !== undefined) byCurrentPath.set(p.newPath, d);
  }
  const out: FileDelta[] = [];
  for (const d of deltas) {
    if (d.beforePath === undefined && d.afterPath === undefined) continue; // added then deleted
    d.status = d.beforePath === undefined ? 'added' : d.afterPath === undefined ? 'deleted' : d.beforePath !== d.afterPath ? 'renamed' : 'modified';
    d.steps = d.patches.map((p) => new LineChange(p.hunks));
    out.push(d);
  }
  return out;
}

function sameLine(a: string, b: string): boolean {
  return a === b || a.replace(/\r$/, '') === b.replace(/\r$/, '');
}

/**
 * Rebuilds the text before one patch from the text after it. `after` is `text.split('\n')` (a
 * final empty element means the text ends with a newline). Hunks may sit at an offset from their
 * header position (like `patch` and `git apply`); the returned hunks carry the positions where
 * they matched, so line bookkeeping stays exact. Throws a ReviewError when a hunk does not match.
 */
export function reverseApply(after: string[], hunks: Hunk[], file: string): { before: string[]; hunks: Hunk[] } {
  const eol = after.length > 0 && after[after.length - 1] === '';
  const body = eol ? after.slice(0, -1) : after;
  const before: string[] = [];
  const placed: Hunk[] = [];
  let cursor = 0;
  let drift = 0;
  let beforeEol = eol;
  hunks.forEach((h, index) => {
    const block = h.ops.filter((o) => o.op !== '-').map((o) => o.text);
    const oldBlock = h.ops.filter((o) => o.op !== '+').map((o) => o.text);
    const expected = effStart(h.newStart, h.newCount) - 1 + drift;
    let at: number | undefined;
    if (block.length === 0) {
      at = Math.min(Math.max(expected, cursor), body.length);
    } else {
      const matches = (pos: number) => block.every((t, k) => sameLine(body[pos + k]!, t));
      const last = body.length - block.length;
      for (let dist = 0; at === undefined && (expected - dist >= cursor || expected + dist <= last); dist++) {
        if (expected + dist >= cursor && expected + dist <= last && matches(expected + dist)) at = expected + dist;
        else if (dist > 0 && expected - dist >= cursor && expected - dist <= last && matches(expected - dist)) at = expected - dist;
      }
    }
    if (at === undefined) {
      throw new ReviewError(
        `the patch does not match the working tree: hunk ${index + 1} of ${file} (@@ -${h.oldStart},${h.oldCount} +${h.newStart},${h.newCount} @@) is not found`,
      );
    }
    drift = at - (effStart(h.newStart, h.newCount) - 1);
    before.push(...body.slice(cursor, at));
    const oldStartEff = before.length + 1;
    before.push(...oldBlock);
    cursor = at + block.length;
    placed.push({
      ...h,
      oldStart: h.oldCount === 0 ? oldStartEff - 1 : oldStartEff,
      newStart: h.newCount === 0 ? at : at + 1,
    });
    if (cursor === body.length) {
      if (h.oldNoEol) beforeEol = false;
      else if (h.newNoEol || !eol) beforeEol = oldBlock.length > 0 ? true : beforeEol;
    }
  });
  before.push(...body.slice(cursor));
  if (beforeEol && before.length > 0) before.push('');
  return { before, hunks: placed };
}
