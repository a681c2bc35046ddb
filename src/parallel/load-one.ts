/**
 * The per-file work of the front end, shared by the in-process path and the worker threads:
 * read, decode, look up the cache, parse and lower, store in the cache. Never throws.
 */
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../core/finding.js';
import type { ModuleIR } from '../ir/types.js';
import { decodeSource } from '../discovery/decode.js';
import { normaliseLineEnds, parsePython } from '../lang/python/lower.js';
import { walkSyntax, type SyntaxWalk } from '../lang/python/parser.js';
import { cacheKey, ModuleCache } from '../cache/module-cache.js';
import { decodeModule, encodeModule } from '../cache/module-payload.js';

export interface LoadInput {
  /** Relative to the scan's base directory, forward slashes (becomes ModuleIR.file). */
  relPath: string;
  absPath: string;
  moduleName: string;
  isPackage: boolean;
  /** Already-decoded source (a patched file in review); when set the file is not read. */
  text?: string;
  /** The file's bytes from elsewhere (a git blob of review's base), decoded like a file on disk; when set the file is not read. */
  bytes?: Uint8Array;
  /** File size in bytes when known (discovery has it); only used to pick in-process vs workers. */
  size?: number;
}

export interface LoadSettings {
  maxDepth?: number;
  cacheDir?: string;
  /** Modules read from the cache keep their function bodies encoded until touched (cache/module-payload.ts). */
  lazyBodies?: boolean;
  /** Testing only: a file whose relPath matches this regular expression throws inside the parser step. */
  failOn?: string;
  /** Testing only: a worker that reaches a file whose relPath matches this regular expression exits (simulates a crash). */
  crashOn?: string;
  /**
   * What a worker sends back for a file it parses: the module encoded ('payload'), or only the
   * syntax walk and the text ('walk'), which the receiving thread lowers (and encodes for the
   * cache) itself. Lowering a walk costs that thread about half of what decoding the module
   * would, and the worker only parses: no lowering, encoding or cache write is done twice.
   */
  workerOutput?: 'payload' | 'walk';
}

/** How `FileLoader.load` returns a module: as an object, as encoded bytes, or (cache misses) as a syntax walk. */
export type LoadOutputKind = 'module' | 'payload' | 'walk';

/** What one file produced. `payload` is the encoded module (output 'payload'; 'walk' on a cache hit). */
export type FileResult =
  | { kind: 'module'; module?: ModuleIR; payload?: Uint8Array; bytes: number; cacheHit: boolean }
  /** Output 'walk' on a cache miss: the text as parsed and its syntax walk, for `lowerWalked`; the cache entry to write, if any. */
  | { kind: 'walked'; text: string; syntax: SyntaxWalk; bytes: number; cacheKey?: string }
  | { kind: 'skipped'; diagnostic: Diagnostic; bytes: number };

export class FileLoader {
  private readonly cache: ModuleCache | undefined;
  private readonly failOn: RegExp | undefined;

  constructor(private readonly settings: LoadSettings) {
    this.cache = settings.cacheDir ? new ModuleCache(settings.cacheDir) : undefined;
    this.failOn = settings.failOn ? new RegExp(settings.failOn) : undefined;
  }

  /**
   * Loads one file. With output 'payload', the module is returned as encoded bytes (what a worker
   * sends back; a cache hit is passed through without being decoded here); with 'walk', a cache
   * miss is returned as its syntax walk, and `lowerWalked` (in the receiving thread) writes the
   * cache entry; otherwise as an object.
   */
  load(f: LoadInput, output: LoadOutputKind): FileResult {
    const serialized = output !== 'module';
    let bytes: Uint8Array;
    let text: string;
    if (f.text !== undefined) {
      text = f.text;
      bytes = Buffer.from(text, 'utf8');
    } else {
      let buf: Buffer;
      try {
        buf = f.bytes ? Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength) : readFileSync(f.absPath);
      } catch (e) {
        return {
          kind: 'skipped',
          bytes: 0,
          diagnostic: { level: 'warning', code: 'unreadable-file', file: f.relPath, message: `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` },
        };
      }
      bytes = buf;
      const decoded = decodeSource(buf, f.relPath);
      if ('diagnostic' in decoded) return { kind: 'skipped', diagnostic: decoded.diagnostic, bytes: 0 };
      text = decoded.text;
    }
    const size = bytes.length;

    let key: string | undefined;
    if (this.cache) {
      try {
        key = cacheKey({ bytes, relPath: f.relPath, moduleName: f.moduleName, isPackage: f.isPackage, maxDepth: this.settings.maxDepth });
        const raw = this.cache.readRaw(key);
        if (raw !== undefined) {
          // A worker passes the (CRC-checked) bytes on untouched: the main thread deserialises them once
          // and falls back to parsing in-process should they still not decode.
          if (serialized) return { kind: 'module', payload: raw, bytes: size, cacheHit: true };
          const module = decodeModule(raw, f.relPath, { lazyBodies: this.settings.lazyBodies });
          if (module) return { kind: 'module', module, bytes: size, cacheHit: true };
        }
      } catch {
        key = undefined;
      }
    }

    if (this.failOn?.test(f.relPath)) return internalError(f, size, new Error('injected failure (testing)'));
    if (output === 'walk') {
      try {
        const parsedText = normaliseLineEnds(text);
        // The receiving thread lowers the walk and writes the cache entry: lowering here too (to
        // encode) would do that work twice.
        return { kind: 'walked', text: parsedText, syntax: walkSyntax(parsedText, 0, parsedText.length, true), bytes: size, cacheKey: key };
      } catch {
        // tree-sitter failed: lowering below meets the same failure and records it.
      }
    }

    let module: ModuleIR;
    try {
      module = parsePython(text, f.relPath, { moduleName: f.moduleName, isPackage: f.isPackage, maxDepth: this.settings.maxDepth }).module;
    } catch (e) {
      return internalError(f, size, e);
    }

    let payload: Uint8Array | undefined;
    if (serialized || (this.cache && key)) {
      try {
        payload = encodeModule(module);
      } catch (e) {
        return internalError(f, size, e);
      }
      if (this.cache && key) this.cache.put(key, payload);
    }
    return serialized ? { kind: 'module', payload, bytes: size, cacheHit: false } : { kind: 'module', module, bytes: size, cacheHit: false };
  }

  /** The module of a syntax walk another thread did (`load` with output 'walk'), stored in the cache when it has a key. Never throws. */
  lowerWalked(f: LoadInput, r: Extract<FileResult, { kind: 'walked' }>): FileResult {
    try {
      const module = parsePython(r.text, f.relPath, { moduleName: f.moduleName, isPackage: f.isPackage, maxDepth: this.settings.maxDepth, syntax: r.syntax }).module;
      if (this.cache && r.cacheKey) this.cache.put(r.cacheKey, encodeModule(module));
      return { kind: 'module', module, bytes: r.bytes, cacheHit: false };
    } catch (e) {
      return internalError(f, r.bytes, e);
    }
  }
}

function internalError(f: LoadInput, size: number, e: unknown): FileResult {
  return {
    kind: 'skipped',
    bytes: size,
    diagnostic: { level: 'error', code: 'internal-error', file: f.relPath, message: `could not analyse file: ${(e as Error)?.message ?? String(e)}` },
  };
}
