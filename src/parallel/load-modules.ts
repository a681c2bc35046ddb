/**
 * The front end at scale: read, decode, parse and lower many files, on a pool of worker threads
 * when that pays, with an optional content-hash cache (src/cache/module-cache.ts).
 *
 * The result does not depend on `jobs`: modules are inserted in `files` order and diagnostics come
 * in `files` order too. Workers send cache hits back as the cache's bytes, and the files they
 * parse as syntax walks (lang/python/parser.ts) that this thread lowers, both in transferred
 * buffers; a focused analysis (lazyBodies) gets modules encoded (cache/module-payload.ts) instead,
 * whose outlines decode faster than a lowering. A file that makes the front end throw yields an `internal-error`
 * diagnostic; a worker that dies (out of memory, ...) is replaced and the files it held are retried
 * one by one, so one bad file never kills the scan.
 */
import { availableParallelism } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { Diagnostic } from '../core/finding.js';
import type { ModuleIR } from '../ir/types.js';
import { decodeModule } from '../cache/module-payload.js';
import { FileLoader, type FileResult, type LoadInput, type LoadSettings } from './load-one.js';
import type { BatchReply, BatchRequest, ReadyMessage } from './worker.js';

export type { LoadInput } from './load-one.js';

export interface LoadOutput {
  /** relPath -> module, in `files` order; files that were skipped are absent. */
  modules: Map<string, ModuleIR>;
  /**
   * Per-file diagnostics in `files` order: unreadable-file, binary-file/decode-error (file skipped),
   * internal-error (file skipped), syntax-error and budget-exceeded (file analysed).
   */
  diagnostics: Diagnostic[];
  /** Bytes of the files that were decoded. */
  bytes: number;
  cacheHits: number;
  /** Source lines of the modules loaded. */
  lines: number;
  /** Files that produced no module. */
  skipped: number;
  /** Worker threads used (0: everything ran in-process). */
  workers: number;
}

export interface LoadOptions {
  /** Worker threads; 1 runs in-process. Capped by the file count. */
  jobs: number;
  /** Cache directory; no cache when absent. */
  cacheDir?: string;
  /**
   * Modules from the cache or from workers keep their function bodies encoded until something
   * touches one (cache/module-payload.ts): for analyses that read a small part of the program.
   */
  lazyBodies?: boolean;
  maxDepth?: number;
  /**
   * Below both limits the work runs in-process even when jobs > 1: starting workers and copying
   * modules across threads costs more than it saves on small inputs. `false` always uses workers
   * when jobs > 1 (tests).
   */
  parallelThreshold?: ParallelThreshold | false;
  /** Files per batch sent to a worker (default: adaptive, about 64 kB of source or 16 files). */
  batchFiles?: number;
  /** Testing only: files whose relPath matches this regular expression throw inside the front end. */
  failOn?: string;
  /** Testing only: a worker exits when it reaches a file whose relPath matches this regular expression. */
  crashOn?: string;
  /**
   * Files at least this large (bytes; default ISOLATE_BYTES) are lowered one at a time in a worker
   * with a heap limit, whatever `jobs` is: if one exhausts memory it becomes an `internal-error`
   * diagnostic instead of killing the scan. `false` disables the isolation.
   */
  isolateBytes?: number | false;
  /** Heap limit of that isolation worker (default: 3/4 of this thread's heap limit, at most 8 GiB). */
  isolateHeapMb?: number;
  /**
   * With workers, this thread loads batches too (from the other end of the queue) and the pool has
   * `jobs - 1` workers (default true). `false`: `jobs` workers and this thread only deserialises.
   */
  mainThreadLoads?: boolean;
  /** Called with (files done, total) as the in-process loop goes, and once when a pool finishes. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Lowering peaks at ~215 bytes of RSS per source byte (a 10 MB file peaks at ~2.25 GB), so a file of
 * some tens of MB exhausts the default V8 heap. Only reachable when `max-file-size` is raised above
 * its 2 MB default.
 */
export const ISOLATE_BYTES = 8 * 1024 * 1024;

/** When workers are used (jobs > 1): at least `files` files or `bytes` bytes, and at least `minCores` cores. */
export interface ParallelThreshold {
  files: number;
  bytes: number;
  minCores: number;
}

/**
 * Measured on the Python 3.11 standard library (1,790 files, 31.5 MB; BENCHMARKS.md): workers
 * only parse (tree-sitter and the cursor walk, ~80% of the front end) and send syntax walks, and
 * this thread lowers them, so one worker beside a main thread that also parses cuts the front
 * end's wall time by about a third on 2 cores (11.6 -> 7.4 s without a cache). When workers sent
 * lowered modules, their (de)serialisation cost ~35% of the parse and the gain was 10-25%. Small
 * inputs stay in-process: start-up is not amortised.
 */
export const DEFAULT_PARALLEL_THRESHOLD: ParallelThreshold = { files: 200, bytes: 2 * 1024 * 1024, minCores: 2 };

/** The default number of jobs: the cores available to this process. */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

export async function loadModules(files: LoadInput[], opts: LoadOptions): Promise<LoadOutput> {
  const settings: LoadSettings = { maxDepth: opts.maxDepth, cacheDir: opts.cacheDir, lazyBodies: opts.lazyBodies, failOn: opts.failOn, crashOn: opts.crashOn };
  const results: Array<FileResult | undefined> = new Array(files.length);
  let workers = 0;
  const isolate = opts.isolateBytes ?? ISOLATE_BYTES;
  const big: number[] = [];
  const rest: number[] = [];
  files.forEach((f, i) => (isolate !== false && sizeOf(f) >= isolate ? big : rest).push(i));
  if (big.length > 0) {
    const heapMb = opts.isolateHeapMb ?? Math.min(8192, Math.floor((getHeapStatistics().heap_size_limit / 2 ** 20) * 0.75));
    // Running out of heap inside tree-sitter's native code aborts the whole process (not just the
    // worker), so files that cannot fit are refused up front rather than attempted.
    const fits: number[] = [];
    for (const i of big) {
      const needMb = (sizeOf(files[i]!) * MEMORY_PER_SOURCE_BYTE) / 2 ** 20;
      if (needMb <= heapMb) fits.push(i);
      else results[i] = tooLargeForMemory(files[i]!, needMb, heapMb);
    }
    // The point of this worker is that the lowering happens under its heap limit: it sends modules.
    if (fits.length > 0) workers += await runPool(files, fits, { ...settings, workerOutput: 'payload' }, { workers: 1, batchFiles: 1, resourceLimits: { maxOldGenerationSizeMb: heapMb } }, results);
  }
  if (shouldUseWorkers(rest.map((i) => files[i]!), opts)) {
    const mainThreadLoads = opts.mainThreadLoads ?? true;
    const poolSize = Math.min(Math.floor(opts.jobs) - (mainThreadLoads ? 1 : 0), rest.length);
    // Lowering a walk here costs about half of decoding the module, but a focused analysis decodes
    // only module outlines (lazyBodies), which is cheaper still.
    workers += await runPool(files, rest, { ...settings, workerOutput: opts.lazyBodies ? 'payload' : 'walk' }, { workers: poolSize, batchFiles: opts.batchFiles, mainThreadLoads, onProgress: opts.onProgress }, results);
  }
  // In-process: everything when no pool was used, and whatever a pool left (a file whose cached or
  // transferred bytes did not decode, or files left after too many worker deaths).
  let local: FileLoader | undefined;
  opts.onProgress?.(results.filter(Boolean).length, files.length);
  let sinceYield = 0;
  for (let i = 0; i < files.length; i++) {
    const r = results[i];
    if (r && !(r.kind === 'module' && !r.module)) continue;
    local ??= new FileLoader(settings);
    results[i] = local.load(files[i]!, 'module');
    if (opts.onProgress && (i & 15) === 15) opts.onProgress(i + 1, files.length);
    sinceYield += sizeOf(files[i]!) || 16_384;
    if (sinceYield >= YIELD_EVERY_BYTES) {
      sinceYield = 0;
      await turnOfEventLoop();
    }
  }
  opts.onProgress?.(files.length, files.length);
  return assemble(files, results as FileResult[], workers);
}

/**
 * tree-sitter frees a syntax tree in a finaliser that Node runs on the event loop, not during a
 * synchronous loop: without yielding, the native trees of every file parsed pile up (~1 GB for the
 * 31 MB standard library, twice the size of all modules' IR).
 */
const YIELD_EVERY_BYTES = 256 * 1024;

function turnOfEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Peak memory per byte of source while lowering one file (measured: 10.5 MB -> 2.25 GB RSS), rounded up. */
const MEMORY_PER_SOURCE_BYTE = 256;

function tooLargeForMemory(f: LoadInput, needMb: number, heapMb: number): FileResult {
  const gb = (mb: number): string => (mb / 1024).toFixed(1);
  return {
    kind: 'skipped',
    bytes: 0,
    diagnostic: {
      level: 'warning',
      code: 'too-large',
      file: f.relPath,
      message: `file of ${(sizeOf(f) / 2 ** 20).toFixed(1)} MB needs about ${gb(needMb)} GB to analyse, more than the ${gb(heapMb)} GB available; skipped (NODE_OPTIONS=--max-old-space-size raises the limit)`,
    },
  };
}

function sizeOf(f: LoadInput): number {
  return f.size ?? f.text?.length ?? f.bytes?.byteLength ?? 0;
}

function shouldUseWorkers(files: LoadInput[], opts: LoadOptions): boolean {
  const jobs = Math.floor(opts.jobs);
  if (!(jobs > 1) || files.length < 2) return false;
  const threshold = opts.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD;
  if (threshold === false) return true;
  if (availableParallelism() < threshold.minCores) return false;
  if (files.length >= threshold.files) return true;
  let total = 0;
  for (const f of files) total += sizeOf(f);
  return total >= threshold.bytes;
}

function assemble(files: LoadInput[], results: FileResult[], workers: number): LoadOutput {
  const out: LoadOutput = { modules: new Map(), diagnostics: [], bytes: 0, cacheHits: 0, lines: 0, skipped: 0, workers };
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    const r = results[i]!;
    out.bytes += r.bytes;
    // ('walked' never gets here: the pool lowers walks as they arrive.)
    if (r.kind !== 'module') {
      if (r.kind === 'skipped') out.diagnostics.push(r.diagnostic);
      out.skipped++;
      continue;
    }
    const m = r.module!;
    if (r.cacheHit) out.cacheHits++;
    // Two numbers per line (ir/types.ts): counted without decoding lines left encoded (lazyBodies).
    out.lines += m.statementRanges.length / 2;
    if (m.syntaxErrors.length) {
      const first = m.syntaxErrors[0]!;
      out.diagnostics.push({
        level: 'warning',
        code: 'syntax-error',
        file: f.relPath,
        line: first.startLine,
        message: `syntax error at line ${first.startLine}${m.syntaxErrors.length > 1 ? ` (and ${m.syntaxErrors.length - 1} more)` : ''}; the rest of the file was analysed`,
      });
    }
    if (m.truncatedAt?.length) {
      const at = m.truncatedAt[0]!.startLine;
      out.diagnostics.push({ level: 'warning', code: 'budget-exceeded', file: f.relPath, line: at, message: `nesting deeper than the analysis limit at line ${at}; the deepest parts were not analysed` });
    }
    out.modules.set(f.relPath, m);
  }
  return out;
}

/** Splits file indices into batches of about `targetBytes` of source (or `maxFiles` files). */
function makeBatches(files: LoadInput[], indices: number[], batchFiles: number | undefined, workerCount: number): number[][] {
  const batches: number[][] = [];
  const maxFiles = batchFiles ?? 16;
  // Small enough that the last batches balance across workers, large enough to amortise messaging.
  let totalBytes = 0;
  for (const i of indices) totalBytes += files[i]!.size ?? 16_384;
  const targetBytes = batchFiles ? Infinity : Math.max(16_384, Math.min(256 * 1024, totalBytes / (workerCount * 8)));
  let cur: number[] = [];
  let curBytes = 0;
  for (const i of indices) {
    cur.push(i);
    curBytes += files[i]!.size ?? 16_384;
    if (cur.length >= maxFiles || curBytes >= targetBytes) {
      batches.push(cur);
      cur = [];
      curBytes = 0;
    }
  }
  if (cur.length) batches.push(cur);
  return batches;
}

interface PoolWorker {
  worker: Worker;
  inFlight: Map<number, number[]>;
  dead: boolean;
  /** Its modules loaded (it sent ReadyMessage). */
  ready: boolean;
}

/** Batches kept queued at each worker, so it never waits for the main thread between batches. */
const IN_FLIGHT_PER_WORKER = 4;
/** Worker deaths tolerated before the rest runs in-process. */
const MAX_RESPAWNS = 16;

interface PoolOptions {
  workers: number;
  batchFiles?: number;
  resourceLimits?: ResourceLimits;
  /** This thread loads batches too (from the other end of the queue), besides the workers. */
  mainThreadLoads?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** Runs files[indices] on a worker pool, filling `results`; returns the number of workers started. */
async function runPool(files: LoadInput[], indices: number[], settings: LoadSettings, opts: PoolOptions, results: Array<FileResult | undefined>): Promise<number> {
  const size = Math.max(opts.mainThreadLoads ? 0 : 1, Math.min(opts.workers, indices.length));
  const queue: number[][] = makeBatches(files, indices, opts.batchFiles, size);
  const workerUrl = new URL('./worker.js', import.meta.url);
  let nextId = 0;
  let started = 0;
  let respawns = 0;
  let startupFailures = 0;
  const pool: PoolWorker[] = [];
  // This thread's loader: it loads batches (mainThreadLoads) and lowers the walks workers send.
  let ownLoader: FileLoader | undefined;
  const loader = (): FileLoader => (ownLoader ??= new FileLoader(settings));

  return new Promise<number>((resolve) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      for (const p of pool) {
        p.dead = true;
        void p.worker.terminate();
      }
      resolve(started);
    };
    let mainBusy = false;
    const busy = (): boolean => mainBusy || pool.some((p) => !p.dead && p.inFlight.size > 0);
    let done = 0;
    const progress = (n: number): void => {
      done += n;
      opts.onProgress?.(done, files.length);
    };
    const checkDone = (): void => {
      if (queue.length === 0 && !busy()) finish();
    };

    const feed = (p: PoolWorker): void => {
      while (!p.dead && p.inFlight.size < IN_FLIGHT_PER_WORKER && queue.length > 0) {
        const batch = queue.shift()!;
        const id = nextId++;
        p.inFlight.set(id, batch);
        const req: BatchRequest = { id, files: batch.map((i) => files[i]!) };
        p.worker.postMessage(req);
      }
    };

    const onDeath = (p: PoolWorker, err?: unknown): void => {
      if (p.dead) return;
      p.dead = true;
      void p.worker.terminate();
      const held = [...p.inFlight.entries()].sort((a, b) => a[0] - b[0]).map(([, batch]) => batch);
      p.inFlight.clear();
      if (!p.ready) {
        // It never started (cannot load its modules?): no file is to blame; retry elsewhere, or in-process.
        startupFailures++;
        queue.unshift(...held);
      } else {
        // The worker handles its batches in order, so the first one held is the one it died on:
        // retry that one file by file; a single file that kills a worker is given up on.
        const [culprit, ...waiting] = held;
        queue.unshift(...waiting);
        if (culprit && culprit.length > 1) queue.unshift(...culprit.map((i) => [i]));
        else if (culprit) {
          const i = culprit[0]!;
          results[i] = {
            kind: 'skipped',
            bytes: 0,
            diagnostic: {
              level: 'error',
              code: 'internal-error',
              file: files[i]!.relPath,
              message:
                (err as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY'
                  ? 'could not analyse file: out of memory (the file is too large to analyse); skipped'
                  : 'could not analyse file: the worker thread analysing it stopped',
            },
          };
        }
      }
      if (queue.length > 0 && respawns < MAX_RESPAWNS && startupFailures < 2) {
        respawns++;
        spawn();
      }
      if (!pool.some((q) => !q.dead)) {
        // No worker left: the caller loads whatever has no result in-process.
        queue.length = 0;
        finish();
        return;
      }
      checkDone();
    };

    const spawn = (): void => {
      let worker: Worker;
      try {
        worker = new Worker(workerUrl, { workerData: settings, ...(opts.resourceLimits ? { resourceLimits: opts.resourceLimits } : {}) });
      } catch {
        queue.length = 0;
        if (!busy()) finish();
        return;
      }
      started++;
      const p: PoolWorker = { worker, inFlight: new Map(), dead: false, ready: false };
      pool.push(p);
      worker.on('message', (msg: BatchReply | ReadyMessage) => {
        if ('ready' in msg) {
          p.ready = true;
          return;
        }
        const reply = msg;
        const batch = p.inFlight.get(reply.id);
        if (!batch) return;
        p.inFlight.delete(reply.id);
        feed(p); // keep the worker busy while this thread deserialises
        for (let j = 0; j < batch.length; j++) {
          const i = batch[j]!;
          const r = reply.results[j]!;
          if (r.kind === 'walked') {
            results[i] = loader().lowerWalked(files[i]!, r);
          } else if (r.kind === 'module') {
            const module = r.payload ? decodeModule(r.payload, files[i]!.relPath, { lazyBodies: settings.lazyBodies }) : undefined;
            // Undecodable bytes (a cache entry corrupted past its checksum): leave for the in-process pass.
            results[i] = module ? { kind: 'module', module, bytes: r.bytes, cacheHit: r.cacheHit } : undefined;
          } else {
            results[i] = r;
          }
        }
        progress(batch.length);
        checkDone();
      });
      worker.on('error', (err) => onDeath(p, err));
      worker.on('exit', () => onDeath(p));
      feed(p);
    };

    for (let k = 0; k < size; k++) spawn();
    if (opts.mainThreadLoads) {
      mainBusy = true;
      const step = (): void => {
        const batch = finished ? undefined : queue.pop();
        if (!batch) {
          mainBusy = false;
          checkDone();
          return;
        }
        for (const i of batch) results[i] = loader().load(files[i]!, 'module');
        progress(batch.length);
        setImmediate(step);
      };
      setImmediate(step);
    }
    checkDone();
  });
}
