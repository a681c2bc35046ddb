/**
 * `redline review`: what a change introduces, judged with whole-program context.
 *
 * The program is analysed twice — after the change (the working tree, or the index with
 * `--staged`) and at its base (read from git objects, or rebuilt in memory by reverse-applying a
 * patch) — and a finding of the after state is reported when (1) its content fingerprint is absent
 * at the base and (2) its sink or one of its evidence steps lies on a line the change added or
 * modified. Findings of the base that are gone afterwards are listed as resolved. Nothing is ever
 * written to the repository: no checkout, stash, reset or index update.
 */
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

import type { ChangeSummary, ScanResult } from '../core/result.js';
import type { RedlineConfig } from '../config/config.js';
import type { Diagnostic, Finding, Location } from '../core/finding.js';
import { compareFindings } from '../core/finding.js';
import { fingerprintFinding } from '../core/fingerprint.js';
import { analyze, type AnalysisOutput, type SourceFile } from '../scan.js';
import { analyzeAside } from './analyze-worker.js';
import { discoverFiles } from '../discovery/files.js';
import { sourceLines } from '../lang/python/lower.js';
import { decodeSource } from '../discovery/decode.js';
import { classifyByName, isPythonShebang } from '../discovery/python-files.js';
import { compileGlobs } from '../discovery/path-filters.js';
import { isSkippedDirName } from '../discovery/skip-dirs.js';
import {
  addedLineCount,
  buildDeltas,
  isAddedLine,
  LineChange,
  mapBeforeToAfter,
  parsePatch,
  removedLineCount,
  reverseApply,
  ReviewError,
  type FileDelta,
} from './patch.js';
import { defaultBase, diffAgainst, listIndex, listTree, readBlobs, repoInfo, resolveCommit, type TreeEntry } from './git.js';

export { ReviewError } from './patch.js';

export interface ReviewOptions {
  repo: string;
  base?: string;
  staged: boolean;
  /** A patch file, or "-" for standard input. */
  diff?: string;
  config: RedlineConfig;
  exclude: string[];
  /** The patch text itself (instead of reading `diff`); for callers that already hold it. */
  diffText?: string;
  /** Worker threads for parsing. */
  jobs?: number;
  /**
   * Analyse both states as whole programs instead of the part the change can affect
   * (analysis/slice.ts). Slower; for checking the slice.
   */
  wholeProgram?: boolean;
  /** Do not read or write the caches. */
  noCache?: boolean;
}

/** How many lines of a multi-line sink or step are checked against the added lines. */
const MAX_SPAN_LINES = 20;

/** The two program states of a change and how their files correspond. */
interface ChangeState {
  baseLabel: string;
  /** After-state sources (working tree or index), decoded. */
  /** After-state files: decoded text, or the bytes of a file that does not decode (the loader reports it, as a scan would). */
  afterSources: Map<string, string | Uint8Array>;
  /** After-state diagnostics that the analysis itself did not produce (discovery, decoding, patches). */
  extraDiagnostics: Diagnostic[];
  /** Base-state sources, keyed by their path at the base. */
  /** Base files: git blobs (bytes, decoded like files on disk) or, for unchanged files, the after state's text. */
  baseSources: Map<string, string | Uint8Array>;
  /** One per changed file (paths relative to the reviewed directory). */
  deltas: FileDelta[];
  /** After-state files the change touched (untracked ones included). */
  changedAfter: string[];
}

export async function runReview(opts: ReviewOptions): Promise<{ result: ScanResult; files: Map<string, SourceFile> }> {
  const started = Date.now();
  const repo = path.resolve(opts.repo);
  if (!existsSync(repo)) throw new ReviewError(`path not found: ${opts.repo}`);
  const usesPatch = opts.diff !== undefined || opts.diffText !== undefined;
  if (usesPatch && (opts.staged || opts.base !== undefined)) throw new ReviewError('--diff cannot be combined with --base or --staged');
  const state = usesPatch ? await patchState(repo, opts) : await gitState(repo, opts);
  const changedBefore = state.deltas.flatMap((d) => (d.beforePath === undefined ? [] : [d.beforePath]));
  const changedAfter = new Set(state.changedAfter);
  // The two states are independent: the base is analysed on a worker thread meanwhile, with one
  // core to itself (the after state's front end gets one thread fewer).
  const jobs = opts.jobs ?? 1;
  const baseAside = jobs > 1 && availableParallelism() >= 2;
  const baseRun = analyzeAside(
    { roots: [repo], baseDir: repo, config: opts.config, sources: state.baseSources, findingPerSource: true, focus: opts.wholeProgram ? undefined : changedBefore, noCache: opts.noCache },
    baseAside,
  );
  const after = await analyze({
    roots: [repo],
    baseDir: repo,
    config: opts.config,
    sources: state.afterSources,
    findingPerSource: true,
    jobs: baseAside ? jobs - 1 : jobs,
    noCache: opts.noCache,
    focus: opts.wholeProgram ? undefined : (files) => files.filter((f) => changedAfter.has(f)),
  });
  const base = await baseRun;
  return { result: compare(state, after, base, opts, started), files: after.files };
}

/**
 * The working tree's Python files, discovered and decoded as `scan` would; a file that does not
 * decode is kept as bytes, so the analysis reports it exactly as a scan does.
 */
async function readWorkingTree(repo: string, opts: ReviewOptions): Promise<{ sources: Map<string, string | Uint8Array>; diagnostics: Diagnostic[] }> {
  const config = opts.config;
  const found = await discoverFiles([repo], { baseDir: repo, include: config.include, exclude: [...config.exclude, ...opts.exclude], maxFileSize: config.maxFileSize });
  const diagnostics = [...found.diagnostics];
  const sources = new Map<string, string | Uint8Array>();
  for (const f of found.files) {
    let buf: Buffer;
    try {
      buf = await readFile(f.absPath);
    } catch (e) {
      diagnostics.push({ level: 'warning', code: 'unreadable-file', file: f.relPath, message: `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    const decoded = decodeSource(buf, f.relPath);
    sources.set(f.relPath, 'text' in decoded ? decoded.text : buf);
  }
  return { sources, diagnostics };
}

// ---------------------------------------------------------------------------------------------
// Which files count as Python source (the same rules as discovery, for files read from git).

type Eligibility = (relPath: string, content?: Buffer) => boolean;

function eligibility(config: RedlineConfig, extraExclude: string[]): Eligibility {
  const exclude = compileGlobs([...config.exclude, ...extraExclude]);
  const include = config.include.length > 0 ? compileGlobs(config.include) : undefined;
  return (relPath, content) => {
    const parts = relPath.split('/');
    if (parts.slice(0, -1).some(isSkippedDirName)) return false;
    if (exclude(relPath)) return false;
    if (include && !include(relPath)) return false;
    const kind = classifyByName(parts[parts.length - 1]!);
    if (kind === 'python') return true;
    if (kind === 'not-python') return false;
    return content === undefined ? true : isPythonShebang(content.subarray(0, 256));
  };
}

function lineCount(lines: string[] | undefined): number {
  if (!lines) return 0;
  return lines.length > 0 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
}

// ---------------------------------------------------------------------------------------------
// git: --base REV (working tree against REV) and --staged (index against HEAD).

/** Maps a full (top-level relative) path into the reviewed directory, or undefined outside it. */
function underPrefix(prefix: string, full: string | undefined): string | undefined {
  if (full === undefined) return undefined;
  if (!prefix) return full;
  return full.startsWith(prefix) ? full.slice(prefix.length) : undefined;
}

function relativiseDeltas(deltas: FileDelta[], prefix: string): FileDelta[] {
  if (!prefix) return deltas;
  const out: FileDelta[] = [];
  for (const d of deltas) {
    const beforePath = underPrefix(prefix, d.beforePath);
    const afterPath = underPrefix(prefix, d.afterPath);
    if (beforePath === undefined && afterPath === undefined) continue;
    const status = beforePath === undefined ? 'added' : afterPath === undefined ? 'deleted' : d.status;
    out.push({ ...d, beforePath, afterPath, status });
  }
  return out;
}

/** A tree or index listing restricted to the reviewed directory, symlinks resolved to their targets' blobs. */
function entriesUnder(all: Map<string, TreeEntry>, prefix: string, targets: Map<string, Buffer>): Map<string, TreeEntry> {
  const out = new Map<string, TreeEntry>();
  for (const [full, e] of all) {
    const rel = underPrefix(prefix, full);
    if (rel === undefined) continue;
    if (e.mode === '120000') {
      const target = targets.get(e.oid)?.toString('utf8');
      if (!target || path.posix.isAbsolute(target)) continue;
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(full), target));
      const te = all.get(resolved);
      if (te && te.mode !== '120000') out.set(rel, te);
      continue;
    }
    if (e.mode === '160000') continue;
    out.set(rel, e);
  }
  return out;
}

async function symlinkTargets(cwd: string, all: Map<string, TreeEntry>, prefix: string): Promise<Map<string, Buffer>> {
  const oids = [...all].filter(([p, e]) => e.mode === '120000' && underPrefix(prefix, p) !== undefined && classifyByName(path.posix.basename(p)) !== 'not-python').map(([, e]) => e.oid);
  return readBlobs(cwd, oids);
}

async function gitState(repo: string, opts: ReviewOptions): Promise<ChangeState> {
  const { toplevel, prefix } = await repoInfo(repo);
  const eligible = eligibility(opts.config, opts.exclude);
  const extraDiagnostics: Diagnostic[] = [];

  let baseCommit: string | undefined;
  let baseLabel: string;
  if (opts.base !== undefined) {
    baseCommit = await resolveCommit(toplevel, opts.base);
    if (!baseCommit) throw new ReviewError(`unknown revision: ${opts.base} (not a commit in ${repo})`);
    baseLabel = /^[0-9a-f]{7,64}$/i.test(opts.base) ? opts.base : `${opts.base} (${baseCommit.slice(0, 12)})`;
  } else if (opts.staged) {
    baseCommit = await resolveCommit(toplevel, 'HEAD');
    baseLabel = baseCommit ? `HEAD (${baseCommit.slice(0, 12)})` : 'an empty repository';
  } else {
    const found = await defaultBase(toplevel);
    baseCommit = found.commit;
    baseLabel = found.label;
  }
  if (opts.staged) baseLabel += ', staged changes';

  // What changed, line by line.
  const diffText = await diffAgainst(toplevel, baseCommit, opts.staged);
  const deltas = relativiseDeltas(buildDeltas(parsePatch(diffText)), prefix);
  const byAfter = new Map(deltas.filter((d) => d.afterPath !== undefined).map((d) => [d.afterPath!, d]));

  // The base state's tree, from git objects only.
  const tree = baseCommit ? await listTree(toplevel, baseCommit) : new Map<string, TreeEntry>();
  const baseTree = entriesUnder(tree, prefix, await symlinkTargets(toplevel, tree, prefix));

  // The after state.
  let afterSources: Map<string, string | Uint8Array>;
  if (opts.staged) {
    const { entries, conflicted } = await listIndex(toplevel);
    for (const c of conflicted) {
      const rel = underPrefix(prefix, c);
      if (rel !== undefined && eligible(rel)) extraDiagnostics.push({ level: 'warning', code: 'merge-conflict', file: rel, message: 'unresolved merge conflict in the index; skipped' });
    }
    const index = entriesUnder(entries, prefix, await symlinkTargets(toplevel, entries, prefix));
    const wanted = [...index].filter(([rel]) => eligible(rel));
    const blobs = await readBlobs(toplevel, wanted.map(([, e]) => e.oid));
    afterSources = new Map<string, string | Uint8Array>();
    for (const [rel, e] of wanted) {
      const buf = blobs.get(e.oid);
      if (!buf || !eligible(rel, buf)) continue;
      if (buf.length > opts.config.maxFileSize) {
        extraDiagnostics.push({ level: 'warning', code: 'too-large', file: rel, message: `file is larger than ${opts.config.maxFileSize} bytes; skipped` });
        continue;
      }
      const decoded = decodeSource(buf, rel);
      afterSources.set(rel, 'text' in decoded ? decoded.text : buf);
    }
  } else {
    const working = await readWorkingTree(repo, opts);
    afterSources = working.sources;
    extraDiagnostics.push(...working.diagnostics);
  }
  const changedAfter = [...afterSources.keys()].filter((f) => byAfter.has(f) || !baseTree.has(f));

  // The base state's sources, from git objects only.
  const want = new Map<string, TreeEntry>();
  const baseOnly = new Set<string>();
  const baseSources = new Map<string, string | Uint8Array>();
  // Files inside submodules are not part of the diff; the review treats them as unchanged.
  const submodules = [...tree, ...(opts.staged ? [] : (await listIndex(toplevel)).entries)]
    .filter(([, e]) => e.mode === '160000')
    .map(([full]) => underPrefix(prefix, full))
    .filter((p): p is string => p !== undefined);
  for (const [file, text] of afterSources) {
    const d = byAfter.get(file);
    if (!d && submodules.some((s) => file.startsWith(`${s}/`))) {
      baseSources.set(file, text);
      continue;
    }
    let basePath: string | undefined = file;
    if (d) basePath = d.status === 'added' ? undefined : d.beforePath;
    else if (!baseTree.has(file)) {
      // Not in the base and not in the diff: an untracked file, every line of it new.
      deltas.push({ afterPath: file, status: 'added', patches: [], steps: [], allAdded: true, binary: false });
      continue;
    }
    const e = basePath === undefined ? undefined : baseTree.get(basePath);
    if (basePath !== undefined && e) want.set(basePath, e);
  }
  for (const d of deltas) {
    if (d.beforePath === undefined || want.has(d.beforePath)) continue;
    if (d.afterPath !== undefined && afterSources.has(d.afterPath)) continue;
    const e = baseTree.get(d.beforePath);
    if (e && eligible(d.beforePath)) {
      want.set(d.beforePath, e);
      baseOnly.add(d.beforePath);
    }
  }
  const blobs = await readBlobs(toplevel, [...want.values()].map((e) => e.oid));
  for (const [rel, e] of want) {
    const buf = blobs.get(e.oid);
    if (!buf) continue;
    if (baseOnly.has(rel) && (!eligible(rel, buf) || buf.length > opts.config.maxFileSize)) continue;
    // Raw bytes: the loader decodes them as a scan of these files would, so the base state has the
    // same inputs (and result-cache key) as a scan of the base revision.
    baseSources.set(rel, buf);
  }
  return { baseLabel, afterSources, extraDiagnostics, baseSources, deltas, changedAfter };
}

// ---------------------------------------------------------------------------------------------
// --diff FILE|-: the working tree is the after state; the base is rebuilt by reverse-applying.

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function patchState(repo: string, opts: ReviewOptions): Promise<ChangeState> {
  let text: string;
  let label: string;
  if (opts.diffText !== undefined) {
    text = opts.diffText;
    label = opts.diff === undefined || opts.diff === '-' ? 'the patch from standard input' : `the patch ${opts.diff}`;
  } else if (opts.diff === '-') {
    text = await readStdin();
    label = 'the patch from standard input';
  } else {
    try {
      text = await readFile(path.resolve(opts.diff!), 'utf8');
    } catch (e) {
      throw new ReviewError(`cannot read the patch ${opts.diff}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    label = `the patch ${opts.diff}`;
  }
  const patches = parsePatch(text);
  if (patches.length === 0) throw new ReviewError(`${label.replace(/^the /, '')} holds no file changes (expected a unified diff or git format-patch output)`);
  const deltas = buildDeltas(patches);
  const eligible = eligibility(opts.config, opts.exclude);
  const working = await readWorkingTree(repo, opts);
  const afterSources = working.sources;
  const extraDiagnostics: Diagnostic[] = [...working.diagnostics];
  const baseSources = new Map<string, string | Uint8Array>();
  const covered = new Set<string>();

  for (const d of deltas) {
    if (d.afterPath !== undefined) covered.add(d.afterPath);
    const name = d.afterPath ?? d.beforePath!;
    const analysed = d.afterPath !== undefined && typeof afterSources.get(d.afterPath) === 'string';
    if (d.afterPath !== undefined && !analysed) {
      if (classifyByName(path.posix.basename(d.afterPath)) === 'python' && eligible(d.afterPath) && !existsSync(path.join(repo, d.afterPath))) {
        throw new ReviewError(`the patch does not match the working tree: ${d.afterPath} does not exist in ${repo}`);
      }
      continue; // not a file the review analyses
    }
    if (d.afterPath === undefined && afterSources.has(d.beforePath!)) {
      throw new ReviewError(`the patch does not match the working tree: it deletes ${d.beforePath} but the file exists`);
    }
    if (d.binary) {
      extraDiagnostics.push({ level: 'warning', code: 'binary-patch', file: name, message: 'the patch changes this file as binary data; its changes are not reviewed' });
      if (analysed && d.beforePath !== undefined) baseSources.set(d.beforePath, afterSources.get(d.afterPath!)!);
      d.steps = d.patches.map(() => new LineChange([]));
      continue;
    }
    let lines = analysed ? sourceLines(afterSources.get(d.afterPath!) as string) : [];
    for (let k = d.patches.length - 1; k >= 0; k--) {
      const { before, hunks } = reverseApply(lines, d.patches[k]!.hunks, d.patches[k]!.newPath ?? d.patches[k]!.oldPath ?? name);
      d.steps[k] = new LineChange(hunks);
      lines = before;
    }
    if (d.beforePath === undefined) continue;
    const text = lines.join('\n');
    if (!analysed && !eligible(d.beforePath, Buffer.from(text.slice(0, 256)))) continue;
    baseSources.set(d.beforePath, text);
  }
  for (const [file, text] of afterSources) {
    if (!covered.has(file) && !baseSources.has(file)) baseSources.set(file, text);
  }
  const changedAfter = [...covered].filter((f) => afterSources.has(f));
  return { baseLabel: label, afterSources, extraDiagnostics, baseSources, deltas, changedAfter };
}

// ---------------------------------------------------------------------------------------------
// Comparing the two states.

function spanLines(loc: Location): number[] {
  const out: number[] = [];
  for (let l = loc.startLine; l <= Math.max(loc.startLine, Math.min(loc.endLine, loc.startLine + MAX_SPAN_LINES - 1)); l++) out.push(l);
  return out;
}

function compare(state: ChangeState, after: AnalysisOutput, base: AnalysisOutput, opts: ReviewOptions, started: number): ScanResult {
  const afterResult = after.result;
  const byAfter = new Map<string, FileDelta>();
  const byBefore = new Map<string, FileDelta>();
  for (const d of state.deltas) {
    if (d.afterPath !== undefined) byAfter.set(d.afterPath, d);
    if (d.beforePath !== undefined) byBefore.set(d.beforePath, d);
  }
  const renamed = (file: string): string => {
    const d = byBefore.get(file);
    return d && d.afterPath !== undefined ? d.afterPath : file;
  };

  /** A base finding's fingerprint as it would read with renamed files under their new names. */
  const translated = (f: Finding): string => {
    const moved = renamed(f.location.file) !== f.location.file || f.evidence.some((e) => renamed(e.location.file) !== e.location.file);
    if (!moved) return f.fingerprint;
    const suffix = /:\d+$/.exec(f.fingerprint)?.[0] ?? '';
    const copy = {
      ...f,
      location: { ...f.location, file: renamed(f.location.file) },
      evidence: f.evidence.map((e) => ({ ...e, location: { ...e.location, file: renamed(e.location.file) } })),
    };
    return fingerprintFinding(copy, base.files.get(f.location.file)?.lines ?? []) + suffix;
  };

  const baseKeys = new Set(base.result.findings.map(translated));
  const afterKeys = new Set(afterResult.findings.map((f) => f.fingerprint));

  const touchesChange = (f: Finding): boolean =>
    [f.location, ...f.evidence.map((e) => e.location)].some((loc) => {
      const d = byAfter.get(loc.file);
      return d !== undefined && spanLines(loc).some((l) => isAddedLine(d, l));
    });

  const findings = afterResult.findings.filter((f) => !baseKeys.has(f.fingerprint) && touchesChange(f));

  /** The same rule still flags the same (unchanged) sink after the change: not resolved. */
  const stillFlagged = (f: Finding): boolean => {
    const d = byBefore.get(f.location.file);
    const file = d ? d.afterPath : f.location.file;
    const line = d ? mapBeforeToAfter(d, f.location.startLine) : f.location.startLine;
    if (file === undefined || line === undefined) return false;
    return afterResult.findings.some((g) => g.ruleId === f.ruleId && g.location.file === file && g.location.startLine === line && g.location.startColumn === f.location.startColumn);
  };
  // Only where the after state was analysed: outside the change's roots, absence proves nothing.
  const analysedAfter = (f: Finding): boolean => after.scope === undefined || after.scope.has(renamed(f.location.file));
  const resolved = base.result.findings.filter((f) => !f.suppression && analysedAfter(f) && !afterKeys.has(translated(f)) && !stillFlagged(f)).sort(compareFindings);

  const change: ChangeSummary = { base: state.baseLabel, files: [] };
  for (const d of state.deltas) {
    const inAfter = d.afterPath !== undefined && after.files.has(d.afterPath);
    const inBase = d.beforePath !== undefined && base.files.has(d.beforePath);
    if (!inAfter && !inBase) continue;
    const afterLines = lineCount(d.afterPath === undefined ? undefined : after.files.get(d.afterPath)?.lines);
    const beforeLines = lineCount(d.beforePath === undefined ? undefined : base.files.get(d.beforePath)?.lines);
    change.files.push({
      file: d.afterPath ?? d.beforePath!,
      addedLines: d.status === 'added' ? afterLines : addedLineCount(d, afterLines),
      removedLines: d.status === 'deleted' ? beforeLines : d.status === 'added' ? 0 : removedLineCount(d, beforeLines),
      status: d.status,
    });
  }
  change.files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));

  const diagnostics = [...afterResult.diagnostics, ...state.extraDiagnostics];
  diagnostics.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || a.code.localeCompare(b.code));

  return {
    ...afterResult,
    kind: 'review',
    roots: [opts.repo],
    findings,
    diagnostics,
    stats: { ...afterResult.stats, suppressed: findings.filter((f) => f.suppression).length, durationMs: Date.now() - started },
    change,
    resolved,
  };
}
