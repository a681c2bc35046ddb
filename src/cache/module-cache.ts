/**
 * Content-hash cache of lowered modules.
 *
 * Layout: `<cacheDir>/.gitignore` (`*`), `<cacheDir>/CACHEDIR.TAG`, and one file per entry at
 * `<cacheDir>/m4/<key[0..2]>/<key>`. An entry is a small header (magic, payload length, CRC-32) followed by
 * the encoded module (cache/module-payload.ts: outline, facts and function bodies, v8-serialised),
 * so a cached module is deep-equal to a fresh one and its bodies can be left unread.
 *
 * The key hashes everything the module depends on: the file's bytes, its relative path and module
 * name, the lowering options, the redline version and a fingerprint of the Python front end (the
 * compiled front-end sources and the tree-sitter grammar version), so a changed front end never
 * reads stale entries even when the version number was not bumped.
 *
 * Every failure is soft: an unreadable, truncated or corrupt entry reads as a miss (and is
 * recomputed and overwritten); a failed write is ignored. Writes go to a temporary file that is
 * renamed into place, so concurrent writers (worker threads, parallel scans) never expose a partial
 * entry. The directory is safe to delete at any time.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync, writeSync, writevSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import * as zlib from 'node:zlib';
import type { ModuleIR } from '../ir/types.js';
import { decodeModule, encodeModule, type DecodeOptions } from './module-payload.js';
import { VERSION } from '../version.js';

/** Bump when the meaning of cached data changes in a way the front-end fingerprint cannot see. */
export const PYTHON_FRONTEND_VERSION = 1;
/** Cache entry format; part of the directory name so an incompatible layout never collides. */
export const FORMAT_DIR = 'm4';
const MAGIC = 0x524c4334; // "RLC4"
/** magic, payload length, crc32 of the payload (0 when this Node has no zlib.crc32). */
const HEADER_BYTES = 12;
const crc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

export interface CacheKeyParts {
  /** The file's raw bytes (or the UTF-8 bytes of already-decoded text). */
  bytes: Uint8Array;
  relPath: string;
  moduleName: string;
  isPackage: boolean;
  maxDepth?: number;
}

let frontEndFingerprint: string | undefined;

/**
 * A hash of the compiled Python front end (src/lang/python, src/ir, the decoder) and the grammar
 * version. Computed once per thread; a few hundred kB of reading.
 */
export function frontEndVersion(): string {
  if (frontEndFingerprint !== undefined) return frontEndFingerprint;
  const h = createHash('sha256');
  h.update(`redline ${VERSION}\0frontend ${PYTHON_FRONTEND_VERSION}\0`);
  const here = path.dirname(fileURLToPath(import.meta.url)); // <root>/src/cache (compiled: dist/src/cache)
  const srcRoot = path.dirname(here);
  for (const dir of ['lang/python', 'ir', 'discovery']) {
    const abs = path.join(srcRoot, dir);
    let names: string[] = [];
    try {
      names = readdirSync(abs).filter((n) => n.endsWith('.js') || n.endsWith('.ts')).sort();
    } catch {
      // not found: the version constants still apply
    }
    for (const n of names) {
      if (dir === 'discovery' && !/^(decode|encoding)\./.test(n)) continue;
      try {
        h.update(`${dir}/${n}\0`);
        h.update(readFileSync(path.join(abs, n)));
      } catch {
        // unreadable: ignore
      }
    }
  }
  // The facts cached with each module (ir/facts.ts) also depend on which method names by-name resolution skips.
  for (const file of ['analysis/taint/method-names']) {
    for (const ext of ['.js', '.ts']) {
      try {
        h.update(`${file}${ext}\0`);
        h.update(readFileSync(path.join(srcRoot, file + ext)));
      } catch {
        // not found: the version constants still apply
      }
    }
  }
  const require = createRequire(import.meta.url);
  for (const pkg of ['tree-sitter', 'tree-sitter-python']) {
    try {
      const pj = JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version?: string };
      h.update(`${pkg}@${pj.version ?? '?'}\0`);
    } catch {
      h.update(`${pkg}@?\0`);
    }
  }
  frontEndFingerprint = h.digest('hex').slice(0, 32);
  return frontEndFingerprint;
}

/** The cache key of one file: sha256 over the content and everything lowering depends on. */
export function cacheKey(parts: CacheKeyParts): string {
  const h = createHash('sha256');
  h.update(`${frontEndVersion()}\0${parts.relPath}\0${parts.moduleName}\0${parts.isPackage ? 1 : 0}\0${parts.maxDepth ?? ''}\0`);
  h.update(parts.bytes);
  return h.digest('hex');
}

export class ModuleCache {
  readonly dir: string;
  private prepared = false;
  private disabled = false;
  private readonly madeDirs = new Set<string>();

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  private entryPath(key: string): string {
    return path.join(this.dir, FORMAT_DIR, key.slice(0, 2), key);
  }

  /** The raw serialised module stored under `key`, validated; undefined on a miss or a bad entry. */
  readRaw(key: string): Uint8Array | undefined {
    let buf: Buffer;
    try {
      buf = readFileSync(this.entryPath(key));
    } catch {
      return undefined;
    }
    if (buf.length < HEADER_BYTES || buf.readUInt32LE(0) !== MAGIC || buf.readUInt32LE(4) !== buf.length - HEADER_BYTES) return undefined;
    const payload = buf.subarray(HEADER_BYTES);
    const sum = buf.readUInt32LE(8);
    if (crc32 && sum !== 0 && crc32(payload) >>> 0 !== sum) return undefined;
    markUsed(this.entryPath(key));
    return payload;
  }

  /** The module stored under `key` for `relPath`, or undefined (miss, corrupt or foreign entry). */
  get(key: string, relPath: string, opts?: DecodeOptions): ModuleIR | undefined {
    const raw = this.readRaw(key);
    return raw === undefined ? undefined : decodeModule(raw, relPath, opts);
  }

  /** Stores a module (or its encoded bytes). Never throws; a failed write just means a later miss. */
  put(key: string, value: ModuleIR | Uint8Array): void {
    if (this.disabled) return;
    try {
      this.prepare();
      const payload = value instanceof Uint8Array ? value : encodeModule(value);
      const header = Buffer.alloc(HEADER_BYTES);
      header.writeUInt32LE(MAGIC, 0);
      header.writeUInt32LE(payload.length, 4);
      header.writeUInt32LE(crc32 ? crc32(payload) >>> 0 : 0, 8);
      const file = this.entryPath(key);
      const dir = path.dirname(file);
      if (!this.madeDirs.has(dir)) {
        mkdirSync(dir, { recursive: true });
        this.madeDirs.add(dir);
      }
      const tmp = `${file}.${process.pid}.${threadId}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        writeParts(tmp, [header, payload]);
        renameSync(tmp, file);
      } catch (e) {
        try {
          unlinkSync(tmp);
        } catch {
          // already gone
        }
        throw e;
      }
    } catch {
      // Read-only tree, full disk, ...: stop trying for this run.
      this.disabled = true;
    }
  }

  /** Creates the directory with a `.gitignore` of `*` (and a CACHEDIR.TAG) the first time. */
  private prepare(): void {
    if (this.prepared) return;
    mkdirSync(this.dir, { recursive: true });
    const gi = path.join(this.dir, '.gitignore');
    if (!existsSync(gi)) writeFileSync(gi, '# redline cache: safe to delete\n*\n');
    const tag = path.join(this.dir, 'CACHEDIR.TAG');
    if (!existsSync(tag)) writeFileSync(tag, 'Signature: 8a477f597d28d172789f06886806bc55\n# redline module cache; see https://bford.info/cachedir/\n');
    this.prepared = true;
  }
}

/** Writes the parts one after the other into a new file, without joining them in memory first. */
function writeParts(file: string, parts: Uint8Array[]): void {
  const fd = openSync(file, 'w');
  try {
    const total = parts.reduce((n, p) => n + p.byteLength, 0);
    const written = writevSync(fd, parts);
    if (written < total) {
      // A short write (rare on regular files): the rest one part at a time.
      let skip = written;
      for (const p of parts) {
        let at = Math.min(skip, p.byteLength);
        skip -= at;
        while (at < p.byteLength) at += writeSync(fd, p, at, p.byteLength - at);
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** An entry's mtime is its last use: pruning removes entries no scan has read for a while. */
function markUsed(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // read-only cache: it is just never pruned
  }
}

export interface PruneOptions {
  /** Entries unused for longer are deleted (default 30 days). */
  maxAgeMs?: number;
  /** At most one pruning pass per this interval (default one day). */
  everyMs?: number;
  now?: number;
}

/**
 * Deletes module entries no scan has used for `maxAgeMs` (files of old revisions, deleted files).
 * Runs at most once per `everyMs` per cache directory (a marker file records the last pass); never
 * throws. Returns the number of entries deleted.
 */
export function pruneModuleCache(cacheDir: string, opts: PruneOptions = {}): number {
  const now = opts.now ?? Date.now();
  const root = path.join(path.resolve(cacheDir), FORMAT_DIR);
  const marker = path.join(root, '.last-prune');
  try {
    if (now - statSync(marker).mtimeMs < (opts.everyMs ?? DAY_MS)) return 0;
  } catch {
    if (!existsSync(root)) return 0;
  }
  let deleted = 0;
  const cutoff = now - (opts.maxAgeMs ?? 30 * DAY_MS);
  try {
    for (const shard of readdirSync(root)) {
      const dir = path.join(root, shard);
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue; // the marker file, or a shard removed meanwhile
      }
      for (const n of names) {
        const file = path.join(dir, n);
        try {
          if (statSync(file).mtimeMs < cutoff) {
            unlinkSync(file);
            deleted++;
          }
        } catch {
          // removed by another process
        }
      }
    }
    writeFileSync(marker, `${new Date(now).toISOString()}\n`);
  } catch {
    // unreadable or read-only cache: nothing to do
  }
  return deleted;
}

const DAY_MS = 24 * 60 * 60 * 1000;
