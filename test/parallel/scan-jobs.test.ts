/**
 * #6: `--jobs 1` and `--jobs 2` give the same report, byte for byte, in every machine format. The
 * whole fixture tree is scanned as one program, once in-process and once with a worker beside
 * this thread (forced: the tree is below the size where workers pay off).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/scan.js';
import { defaultConfig } from '../../src/config/schema.js';
import { renderReport } from '../../src/report/index.js';
import type { ScanResult } from '../../src/core/result.js';

// dist/test/parallel -> the repository
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const tree = path.join(root, 'test', 'fixtures', 'python');

/** The report in a machine format, with the run's duration (the one field that may differ) fixed. */
function render(result: ScanResult, format: 'json' | 'sarif'): string {
  return renderReport({ ...result, stats: { ...result.stats, durationMs: 0 } }, format, { color: false, showSuppressed: true });
}

test('a scan with --jobs 1 and with --jobs 2 gives identical JSON and SARIF', async () => {
  const config = { ...defaultConfig(tree), cache: false };
  const one = await analyze({ roots: [tree], baseDir: tree, config, jobs: 1 });
  const two = await analyze({ roots: [tree], baseDir: tree, config, jobs: 2, parallelThreshold: false });
  assert.equal(one.workers, 0);
  assert.equal(two.workers, 1, 'the second scan must go through a worker thread');
  assert.ok(one.result.findings.length > 50, `${one.result.findings.length} findings: the comparison must cover real flows`);
  for (const format of ['json', 'sarif'] as const) {
    assert.equal(render(two.result, format), render(one.result, format), `${format} differs between --jobs 1 and --jobs 2`);
  }
});
