import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport } from '../../src/report/index.js';
import { cweTitle } from '../../src/core/cwe.js';
import { emptyResult, reviewResult, scanResult } from './fixtures.js';

const ANSI = /\u001b\[/;

test('no ANSI escape at all when color is off, even for hostile code', () => {
  const out = renderReport(scanResult, 'text', { color: false, showSuppressed: true });
  assert.ok(!ANSI.test(out));
  assert.ok(!out.includes('\u202e'));
  assert.ok(out.includes('\\x1b[31m'), 'the escape from the scanned file is shown, not sent');
});

test('severity colours only when color is on', () => {
  const out = renderReport(scanResult, 'text', { color: true, showSuppressed: false });
  assert.ok(out.includes(`\u001b[1;31m\u001b[1m${cweTitle(78)}\u001b[0m\u001b[0m`));
  assert.ok(out.includes('\u001b[33m'), 'medium in yellow');
  // The scanned file's own escape sequence is still neutralised.
  assert.ok(!out.includes('\u001b[31m '));
});

test('plain numbered review with location, line-numbered excerpt, issue, evidence and solution', () => {
  const out = renderReport(scanResult, 'text', { color: false, showSuppressed: false });
  assert.ok(out.includes(`1. ${cweTitle(78)} (Line 42)`));
  assert.match(out, /^ {3}`app\/views\.py:42:5` · high severity · high confidence · rule `py\/command-injection` · static evidence$/m);
  assert.match(out, /^ {3}42 \| subprocess\.run\(cmd, shell=True\)$/m);
  assert.match(out, /^ {3}Issue: `request\.args\.get\('host'\)` reaches/m);
  assert.match(out, /^ {5}1\. source `app\/views\.py:10:11`: /m);
  assert.match(out, /^ {5}3\. sink `app\/views\.py:42:5`: /m);
  assert.match(out, /^ {3}Solution: Pass an argument list/m);
  assert.match(out, /^ {3}Also: CWE-88: /m);
  assert.match(out, /^ {3}Model triage: false_positive — placeholder used only by the test suite \(small-local-model\)$/m);
  assert.match(out, /^Summary$/m);
  assert.match(out, /^General recommendations$/m);
  // Markdown syntax does not leak into the text format.
  assert.ok(!out.includes('**') && !/^\s*```/m.test(out) && !out.includes('&lt;'));
});

test('text review verdict and empty scan', () => {
  const review = renderReport(reviewResult, 'text', { color: false, showSuppressed: false });
  assert.ok(review.trimEnd().endsWith('Verdict: this change introduces 2 security defects (1 high, 1 medium).'));
  const empty = renderReport(emptyResult, 'text', { color: false, showSuppressed: false });
  assert.match(empty, /^No security defects found in 12 files \(1340 lines\) in `src`, `lib`\.$/m);
  assert.match(empty, /`lib\/latin1\.py` — note decode-error: not valid UTF-8/);
});

test('text output is deterministic', () => {
  const opts = { color: true, showSuppressed: true };
  assert.equal(renderReport(scanResult, 'text', opts), renderReport(scanResult, 'text', opts));
});
