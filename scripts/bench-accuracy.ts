/** `npm run bench:accuracy`: per-CWE TP/FP/FN, precision and recall over every annotated fixture. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allFixtureDirs, evaluateFixtureDir, scoreByCwe } from '../src/testing/fixtures.js';
import { cweName } from '../src/core/cwe.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const verbose = process.argv.includes('--verbose');
const dirs = allFixtureDirs(root);
const outcomes = [];
for (const d of dirs) {
  const o = await evaluateFixtureDir(d);
  outcomes.push(o);
  if (verbose) {
    for (const e of o.falseNegatives) console.log(`FN ${path.relative(root, d)}/${e.file}:${e.line} CWE-${e.cwe}`);
    for (const e of o.falsePositives) console.log(`FP ${path.relative(root, d)}/${e.file}:${e.line} CWE-${e.cwe}`);
  }
}
const scores = scoreByCwe(outcomes);
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
console.log(`${pad('CWE', 10)}${pad('TP', 6)}${pad('FP', 6)}${pad('FN', 6)}${pad('TN', 6)}${pad('precision', 11)}${pad('recall', 8)}name`);
let tp = 0, fp = 0, fn = 0, tn = 0;
for (const s of scores) {
  tp += s.tp; fp += s.fp; fn += s.fn; tn += s.tn;
  let name = '';
  try { name = cweName(s.cwe); } catch { name = '(not in catalog)'; }
  console.log(`${pad(`CWE-${s.cwe}`, 10)}${pad(String(s.tp), 6)}${pad(String(s.fp), 6)}${pad(String(s.fn), 6)}${pad(String(s.tn), 6)}${pad(s.precision.toFixed(2), 11)}${pad(s.recall.toFixed(2), 8)}${name.slice(0, 70)}`);
}
const precision = tp + fp ? tp / (tp + fp) : 1;
const recall = tp + fn ? tp / (tp + fn) : 1;
console.log(`${pad('TOTAL', 10)}${pad(String(tp), 6)}${pad(String(fp), 6)}${pad(String(fn), 6)}${pad(String(tn), 6)}${pad(precision.toFixed(2), 11)}${pad(recall.toFixed(2), 8)}(${dirs.length} fixture programs)`);
