/** One test over every annotated fixture: each `# expect:` line flagged, each `# safe:` line silent. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allFixtureDirs, evaluateFixtureDir } from '../src/testing/fixtures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dirs = allFixtureDirs(root);

/**
 * Known misses and false alarms, listed so the suite stays green while they are worked on.
 * Each entry is `dir/file:line CWE-N`; an entry that starts passing fails the test so the list shrinks.
 */
import { readFileSync } from 'node:fs';
const KNOWN = new Set(
  readFileSync(path.join(root, 'test/fixtures/known-gaps.txt'), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean),
);

for (const dir of dirs) {
  test(`fixtures: ${path.relative(root, dir)}`, async () => {
    const o = await evaluateFixtureDir(dir);
    assert.ok(o.expectations.length > 0, 'fixture has annotations');
    const rel = path.relative(root, dir);
    const key = (e: { file: string; line: number; cwe: number }) => `${rel}/${e.file}:${e.line} CWE-${e.cwe}`;
    const misses = o.falseNegatives.map(key).filter((k) => !KNOWN.has(`FN ${k}`));
    const alarms = o.falsePositives.map(key).filter((k) => !KNOWN.has(`FP ${k}`));
    const fixed = [...o.truePositives.map((e) => `FN ${key(e)}`), ...o.expectations.filter((e) => e.kind === 'safe' && !o.falsePositives.includes(e)).map((e) => `FP ${key(e)}`)].filter((k) => KNOWN.has(k));
    assert.deepEqual({ misses, alarms, nowPassingRemoveFromKnownGaps: fixed }, { misses: [], alarms: [], nowPassingRemoveFromKnownGaps: [] });
  });
}
