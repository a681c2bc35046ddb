/** Nothing in redline's LLM support opens a socket unless applyLlm is called. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';

test('importing src/llm and reading options opens no connection; applyLlm does', async () => {
  const connects: unknown[][] = [];
  const original = Socket.prototype.connect;
  Socket.prototype.connect = function (this: Socket, ...args: unknown[]) {
    connects.push(args);
    return (original as (...a: unknown[]) => Socket).apply(this, args);
  } as typeof Socket.prototype.connect;
  try {
    // Dynamic import: the spy must be in place before the module graph (and openai) loads.
    const llm = await import('../../src/llm/index.js');
    const opts = llm.llmOptionsFromEnv({ REDLINE_LLM_URL: 'http://127.0.0.1:1/v1', REDLINE_LLM_MODEL: 'm' });
    assert.ok(!('error' in opts));
    await new Promise((r) => setTimeout(r, 50)); // let any stray work at import time run
    assert.equal(connects.length, 0);

    // The spy does see a connection when one is made: applyLlm against a local server.
    const server = createServer((_req, res) => res.writeHead(500).end('{}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const result = {
        tool: { name: 'redline' as const, version: '0' }, kind: 'scan' as const, roots: ['.'], baseDir: '/', findings: [], diagnostics: [], rules: [],
        stats: { filesScanned: 1, filesSkipped: 0, linesScanned: 1, bytesScanned: 1, durationMs: 0, suppressed: 0, belowThreshold: 0 },
      };
      const out = await llm.applyLlm(result, new Map([['a.py', ['x = 1']]]), { ...opts, url: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
      assert.equal(out.llm?.warnings.length, 1);
      assert.ok(connects.length > 0, 'the spy saw no connection');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  } finally {
    Socket.prototype.connect = original;
  }
});
