/**
 * Whole-analysis result cache: the findings and diagnostics of an analysis, keyed by everything
 * they depend on — every input file's path and content hash, the analysis options and
 * configuration, the model files and a fingerprint of the compiled analyser.
 *
 * A whole-program taint result depends on every file (a new caller anywhere can open a flow), so
 * the unit of reuse is the whole input set: an unchanged tree (the common case in CI and in the
 * base state of `redline review`) is answered without parsing or analysing anything. Entries live
 * beside the module cache (`<cacheDir>/r1/<key>.json`, written atomically); the newest
 * `MAX_ENTRIES` are kept. Every failure is soft: a bad entry is a miss, a failed write is ignored.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, Finding } from '../core/finding.js';
import { frontEndVersion } from './module-cache.js';

const FORMAT_DIR = 'r1';
const MAX_ENTRIES = 16;

/** What the expensive part of an analysis produces (before baseline and thresholds). */
export interface CachedAnalysis {
  /** One finding per weakness and line (scan). */
  findings: Finding[];
  /** One per weakness, line and source (review: a new source into an old sink is a new finding). */
  findingsPerSource: Finding[];
  diagnostics: Diagnostic[];
  filesScanned: number;
  skipped: number;
  lines: number;
  bytes: number;
  /** relPath of every analysed file (those that produced a module). */
  analysedFiles: string[];
  /** A focused analysis: the files of the change slice, whose findings were computed. Absent: all of them. */
  scopeFiles?: string[];
}

let analyserFingerprint: string | undefined;

/**
 * A hash of the compiled analyser: every compiled source file of redline (engine, rules, scan
 * pipeline) and the bundled model files, on top of the front-end fingerprint. A rebuilt redline
 * never reads results of another build, even with the same version number.
 */
export function analyserVersion(): string {
  if (analyserFingerprint !== undefined) return analyserFingerprint;
  const h = createHash('sha256');
  h.update(`${frontEndVersion()}\0`);
  const here = path.dirname(fileURLToPath(import.meta.url)); // <root>/src/cache or <root>/dist/src/cache
  const srcRoot = path.dirname(here);
  hashTree(h, srcRoot, (n) => n.endsWith('.js') || n.endsWith('.ts'));
  const root = srcRoot.endsWith(`${path.sep}dist${path.sep}src`) ? path.resolve(srcRoot, '..', '..') : path.dirname(srcRoot);
  hashTree(h, path.join(root, 'models'), (n) => /\.ya?ml$/.test(n));
  analyserFingerprint = h.digest('hex').slice(0, 32);
  return analyserFingerprint;
}

function hashTree(h: ReturnType<typeof createHash>, dir: string, keep: (name: string) => boolean): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return;
  }
  for (const e of entries) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) hashTree(h, abs, keep);
    else if (e.isFile() && keep(e.name)) {
      try {
        h.update(`${path.basename(dir)}/${e.name}\0`);
        h.update(readFileSync(abs));
      } catch {
        // unreadable: its name still counts
      }
    }
  }
}

export interface ResultKeyParts {
  /** (relPath, sha256 of the bytes) of every input, in a fixed order. */
  files: Array<[string, string]>;
  /** Options and configuration that change results, as a canonical JSON-able value. */
  settings: unknown;
  /** Contents of user model files named by the configuration. */
  extraModels: string[];
}

export function resultKey(parts: ResultKeyParts): string {
  const h = createHash('sha256');
  h.update(`${analyserVersion()}\0${JSON.stringify(parts.settings)}\0`);
  for (const m of parts.extraModels) h.update(`${m.length}\0${m}`);
  for (const [rel, hash] of parts.files) h.update(`${rel}\0${hash}\0`);
  return h.digest('hex');
}

export function contentHash(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class ResultCache {
  private readonly dir: string;

  constructor(cacheDir: string) {
    this.dir = path.join(path.resolve(cacheDir), FORMAT_DIR);
  }

  get(key: string): CachedAnalysis | undefined {
    try {
      const parsed = JSON.parse(readFileSync(path.join(this.dir, `${key}.json`), 'utf8')) as { key?: string; value?: CachedAnalysis };
      if (parsed.key !== key || !parsed.value || !Array.isArray(parsed.value.findings) || !Array.isArray(parsed.value.analysedFiles) || (parsed.value.scopeFiles !== undefined && !Array.isArray(parsed.value.scopeFiles))) return undefined;
      return parsed.value;
    } catch {
      return undefined;
    }
  }

  put(key: string, value: CachedAnalysis): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const file = path.join(this.dir, `${key}.json`);
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      writeFileSync(tmp, JSON.stringify({ key, value }));
      renameSync(tmp, file);
      this.prune();
    } catch {
      // read-only tree, full disk: the next run recomputes
    }
  }

  /** Keeps the newest entries; results of old trees are rarely asked for again. */
  private prune(): void {
    const entries = readdirSync(this.dir)
      .filter((n) => n.endsWith('.json'))
      .map((n) => {
        try {
          return { n, t: statSync(path.join(this.dir, n)).mtimeMs };
        } catch {
          return { n, t: 0 };
        }
      })
      .sort((a, b) => b.t - a.t || (a.n < b.n ? -1 : 1));
    for (const e of entries.slice(MAX_ENTRIES)) {
      try {
        unlinkSync(path.join(this.dir, e.n));
      } catch {
        // another process removed it
      }
    }
  }
}
