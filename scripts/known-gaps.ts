/** Regenerates test/fixtures/known-gaps.txt from the current fixture results (`node dist/scripts/known-gaps.js`). */
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allFixtureDirs, evaluateFixtureDir } from '../src/testing/fixtures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dirs = allFixtureDirs(root);
const lines = [
  '# Known misses (FN) and false alarms (FP) of the annotated fixtures, one per line.',
  '# The fixture test fails on any gap not listed here, and on a listed gap that is fixed.',
  '# Regenerate after engine work with: npm run build && node dist/scripts/known-gaps.js',
];
for (const d of dirs) {
  const o = await evaluateFixtureDir(d);
  const rel = path.relative(root, d);
  for (const e of o.falseNegatives) lines.push(`FN ${rel}/${e.file}:${e.line} CWE-${e.cwe}`);
  for (const e of o.falsePositives) lines.push(`FP ${rel}/${e.file}:${e.line} CWE-${e.cwe}`);
}
writeFileSync(path.join(root, 'test/fixtures/known-gaps.txt'), `${lines.join('\n')}\n`);
console.log(`${lines.length - 3} known gaps written`);
