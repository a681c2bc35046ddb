/**
 * Worker-thread entry of the front-end pool (see load-modules.ts). Receives batches of files,
 * answers with one result per file; modules travel as encoded bytes, and parsed files (with
 * `workerOutput: 'walk'`) as syntax walks, whose ArrayBuffers are transferred, not copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FileLoader, type FileResult, type LoadInput, type LoadSettings } from './load-one.js';

export interface BatchRequest {
  id: number;
  files: LoadInput[];
}

export interface BatchReply {
  id: number;
  results: FileResult[];
}

/** Sent once the worker's modules (parser included) have loaded. */
export interface ReadyMessage {
  ready: true;
}

const settings = workerData as LoadSettings;
const loader = new FileLoader(settings);
const crashOn = settings.crashOn ? new RegExp(settings.crashOn) : undefined;

parentPort!.on('message', (req: BatchRequest) => {
  const results: FileResult[] = [];
  const transfer: ArrayBuffer[] = [];
  for (const f of req.files) {
    if (crashOn?.test(f.relPath)) process.exit(70);
    const r = loader.load(f, settings.workerOutput ?? 'payload');
    if (r.kind === 'walked') transfer.push(r.syntax.nodes.buffer as ArrayBuffer);
    else if (r.kind === 'module' && r.payload) {
      // Transfer only a buffer the payload owns whole: a pooled or sliced one is copied first.
      let p = r.payload;
      if (p.byteOffset !== 0 || p.byteLength !== p.buffer.byteLength) p = new Uint8Array(p);
      r.payload = p;
      transfer.push(p.buffer as ArrayBuffer);
    }
    results.push(r);
  }
  const reply: BatchReply = { id: req.id, results };
  parentPort!.postMessage(reply, transfer);
});

parentPort!.postMessage({ ready: true } satisfies ReadyMessage);
