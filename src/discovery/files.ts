/** Finds the Python files to scan under the given roots. */
import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { Diagnostic } from '../core/finding.js';
import { ancestorIgnoreStack, IgnoreStack } from './ignore-rules.js';
import { compileGlobs, type PathMatcher } from './path-filters.js';
import { classifyByName, hasPythonShebang } from './python-files.js';
import { isEnvironmentDir, isSkippedDirName } from './skip-dirs.js';

export interface SourceFile {
  absPath: string;
  /** Relative to baseDir, forward slashes. */
  relPath: string;
  language: 'python';
  size: number;
}

export interface DiscoveryOptions {
  baseDir: string;
  include: string[];
  exclude: string[];
  maxFileSize: number;
}

interface Candidate extends SourceFile {
  realPath: string;
  /** Reached through at least one symbolic link. */
  viaSymlink: boolean;
}

interface WalkState {
  baseDir: string;
  include: PathMatcher | undefined;
  exclude: PathMatcher;
  maxFileSize: number;
  /** Real paths of the directory roots: symlinks are followed only to targets inside these. */
  treeRoots: string[];
  /** Real paths of directories already walked, so a second symlink to one is not walked again. */
  walkedDirs: Set<string>;
  candidates: Candidate[];
  diagnostics: Diagnostic[];
}

/**
 * Walks the roots (files or directories) and returns the Python files, sorted by relPath.
 * Throws `path not found: X` when a root does not exist. Files given explicitly as roots are
 * always scanned when they are Python; ignore files, built-in skipped directories and the
 * include/exclude globs only filter what the directory walk finds.
 */
export async function discoverFiles(
  roots: string[],
  opts: DiscoveryOptions,
): Promise<{ files: SourceFile[]; diagnostics: Diagnostic[] }> {
  const baseDir = path.resolve(opts.baseDir);
  const resolvedRoots: Array<{ given: string; abs: string; real: string; stats: Stats }> = [];
  for (const given of roots) {
    const abs = path.resolve(given);
    let stats: Stats;
    let real: string;
    try {
      stats = await stat(abs);
      real = await realpath(abs);
    } catch {
      throw new Error(`path not found: ${given}`);
    }
    resolvedRoots.push({ given, abs, real, stats });
  }

  const state: WalkState = {
    baseDir,
    include: opts.include.length > 0 ? compileGlobs(opts.include) : undefined,
    exclude: compileGlobs(opts.exclude),
    maxFileSize: opts.maxFileSize,
    treeRoots: resolvedRoots.filter((r) => r.stats.isDirectory()).map((r) => r.real),
    walkedDirs: new Set(),
    candidates: [],
    diagnostics: [],
  };

  for (const root of resolvedRoots) {
    if (root.stats.isDirectory()) {
      await walkDirectory(state, root.abs, root.real, rootIgnores(root.abs), new Set(), true, false);
    } else if (root.stats.isFile()) {
      await addExplicitFile(state, root.abs, root.real, root.stats);
    }
  }

  return { files: pickOnePerRealPath(state.candidates), diagnostics: sortDiagnostics(state.diagnostics) };
}

/** A directory named as a root is scanned even if ignored from above; then those rules do not apply inside it. */
function rootIgnores(rootAbs: string): IgnoreStack {
  const ancestors = ancestorIgnoreStack(rootAbs);
  return ancestors.isIgnored(rootAbs, true) ? IgnoreStack.empty() : ancestors;
}

async function walkDirectory(
  state: WalkState,
  dirAbs: string,
  dirReal: string,
  parentIgnores: IgnoreStack,
  ancestors: ReadonlySet<string>,
  isRoot: boolean,
  viaSymlink: boolean,
): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dirAbs, { withFileTypes: true });
  } catch (err) {
    state.diagnostics.push({
      level: 'warning',
      code: 'unreadable-directory',
      file: toRelPath(state.baseDir, dirAbs),
      message: `cannot read directory: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    });
    return;
  }
  const names = entries.map((e) => e.name);
  if (!isRoot && isEnvironmentDir(names)) return;
  state.walkedDirs.add(dirReal);
  const ignores = parentIgnores.withDirectory(dirAbs, new Set(names));
  const inside = new Set(ancestors).add(dirReal);

  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const subdirs: Array<{ abs: string; real: string; viaSymlink: boolean }> = [];
  const fileChecks: Array<Promise<void>> = [];

  for (const entry of entries) {
    const abs = path.join(dirAbs, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    let real = path.join(dirReal, entry.name);
    const isLink = entry.isSymbolicLink();
    if (isLink) {
      const target = await resolveLink(abs);
      if (!target || !isInside(target.real, state.treeRoots)) continue; // dangling, or leaves the tree
      real = target.real;
      isDir = target.stats.isDirectory();
      isFile = target.stats.isFile();
    }
    if (isDir) {
      if (isSkippedDirName(entry.name) || ignores.isIgnored(abs, true)) continue;
      if (state.exclude(toRelPath(state.baseDir, abs))) continue;
      if (isLink && (inside.has(real) || state.walkedDirs.has(real))) continue; // loop or already walked
      subdirs.push({ abs, real, viaSymlink: viaSymlink || isLink });
    } else if (isFile) {
      fileChecks.push(considerFile(state, abs, real, entry.name, ignores, viaSymlink || isLink));
    }
  }
  await Promise.all(fileChecks);
  for (const sub of subdirs) {
    await walkDirectory(state, sub.abs, sub.real, ignores, inside, false, sub.viaSymlink);
  }
}

async function considerFile(
  state: WalkState,
  abs: string,
  real: string,
  name: string,
  ignores: IgnoreStack,
  viaSymlink: boolean,
): Promise<void> {
  const byName = classifyByName(name);
  if (byName === 'not-python') return;
  if (ignores.isIgnored(abs, false)) return;
  const relPath = toRelPath(state.baseDir, abs);
  if (state.exclude(relPath)) return;
  if (state.include && !state.include(relPath)) return;
  try {
    const stats = await stat(abs);
    if (byName === 'check-shebang' && !(await hasPythonShebang(abs))) return;
    addCandidate(state, { absPath: abs, relPath, language: 'python', size: stats.size, realPath: real, viaSymlink });
  } catch (err) {
    state.diagnostics.push({
      level: 'warning',
      code: 'unreadable-file',
      file: relPath,
      message: `cannot read file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    });
  }
}

async function addExplicitFile(state: WalkState, abs: string, real: string, stats: Stats): Promise<void> {
  const relPath = toRelPath(state.baseDir, abs);
  const byName = classifyByName(path.basename(abs));
  const isPython = byName === 'python' || (byName === 'check-shebang' && (await hasPythonShebang(abs)));
  if (!isPython) {
    state.diagnostics.push({ level: 'note', code: 'not-python', file: relPath, message: 'not a Python file; skipped' });
    return;
  }
  addCandidate(state, { absPath: abs, relPath, language: 'python', size: stats.size, realPath: real, viaSymlink: false });
}

function addCandidate(state: WalkState, c: Candidate): void {
  if (c.size > state.maxFileSize) {
    state.diagnostics.push({
      level: 'warning',
      code: 'too-large',
      file: c.relPath,
      message: `file is ${c.size} bytes, over the max-file-size limit of ${state.maxFileSize}; skipped`,
    });
    return;
  }
  state.candidates.push(c);
}

async function resolveLink(abs: string): Promise<{ real: string; stats: Stats } | undefined> {
  try {
    return { real: await realpath(abs), stats: await stat(abs) };
  } catch {
    return undefined;
  }
}

function isInside(real: string, treeRoots: readonly string[]): boolean {
  return treeRoots.some((root) => real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
}

/** The same file reached twice (two roots, or a symlink) is scanned once: under its own path when possible. */
function pickOnePerRealPath(candidates: Candidate[]): SourceFile[] {
  const best = new Map<string, Candidate>();
  for (const c of candidates) {
    const current = best.get(c.realPath);
    if (!current || preferredOver(c, current)) best.set(c.realPath, c);
  }
  return [...best.values()]
    .map(({ absPath, relPath, language, size }) => ({ absPath, relPath, language, size }))
    .sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
}

function preferredOver(a: Candidate, b: Candidate): boolean {
  if (a.viaSymlink !== b.viaSymlink) return !a.viaSymlink;
  if (a.relPath.length !== b.relPath.length) return a.relPath.length < b.relPath.length;
  return a.relPath < b.relPath;
}

function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => `${d.file ?? ''}\u0000${d.code}`;
  return diagnostics.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function toRelPath(baseDir: string, absPath: string): string {
  const rel = path.relative(baseDir, absPath).split(path.sep).join('/');
  return rel === '' ? '.' : rel;
}
