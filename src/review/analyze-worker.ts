/**
 * Runs one `analyze` on a worker thread, so that `redline review` analyses the base state while the
 * main thread analyses the state after the change. Everything crossing the thread boundary is plain
 * data (structured clone); `focus` travels as the list of changed files.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { RedlineConfig } from '../config/config.js';
import { analyze, type AnalysisOutput } from '../scan.js';

export interface WorkerAnalysisRequest {
  roots: string[];
  baseDir: string;
  config: RedlineConfig;
  sources: Map<string, string | Uint8Array>;
  findingPerSource: boolean;
  /** Changed files; absent: the whole program. */
  focus?: string[];
  noCache?: boolean;
}

type WorkerReply = { ok: true; output: AnalysisOutput } | { ok: false; error: string };

function toOptions(req: WorkerAnalysisRequest): Parameters<typeof analyze>[0] {
  const changed = req.focus ? new Set(req.focus) : undefined;
  return {
    roots: req.roots,
    baseDir: req.baseDir,
    config: req.config,
    sources: req.sources,
    findingPerSource: req.findingPerSource,
    noCache: req.noCache,
    jobs: 1,
    focus: changed ? (files) => files.filter((f) => changed.has(f)) : undefined,
  };
}

/**
 * The analysis on a worker thread when there is a spare core, else in-process. A worker that fails
 * (out of memory, crash) is not fatal: the analysis is redone in-process.
 */
export async function analyzeAside(req: WorkerAnalysisRequest, useWorker: boolean): Promise<AnalysisOutput> {
  if (!useWorker) return analyze(toOptions(req));
  const heapMb = Math.ceil(getHeapStatistics().heap_size_limit / (1024 * 1024));
  const worker = new Worker(new URL('./analyze-worker.js', import.meta.url), {
    workerData: req,
    // The same young generation as the CLI's main thread (bin/redline.js: 64 MB semi-spaces; V8 sizes
    // the young generation at three semi-spaces), the same heap limit.
    resourceLimits: { maxYoungGenerationSizeMb: 192, maxOldGenerationSizeMb: heapMb },
  });
  const reply = await new Promise<WorkerReply | undefined>((resolve) => {
    worker.once('message', (m: WorkerReply) => resolve(m));
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
  void worker.terminate();
  if (reply?.ok) return reply.output;
  return analyze(toOptions(req));
}

if (parentPort && (workerData as Partial<WorkerAnalysisRequest> | undefined)?.sources instanceof Map) {
  const port = parentPort;
  analyze(toOptions(workerData as WorkerAnalysisRequest)).then(
    (output) => port.postMessage({ ok: true, output } satisfies WorkerReply),
    (e: unknown) => port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) } satisfies WorkerReply),
  );
}
