import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport } from '../../src/report/index.js';
import { cweName, cweTitle } from '../../src/core/cwe.js';
import { HOSTILE_CODE, emptyResult, emptyReviewResult, reviewResult, scanResult } from './fixtures.js';
import { splitMarkdown } from './markdown-inspect.js';

const md = (r = scanResult, showSuppressed = false) => renderReport(r, 'markdown', { color: false, showSuppressed });

test('findings are numbered in severity order with the official CWE title in bold and the line', () => {
  const out = md();
  const items = [...out.matchAll(/^(\d+)\. \*\*(.+?)\*\* \((Lines? [\d–]+)\)$/gm)].map((m) => [m[1], m[2], m[3]]);
  assert.deepEqual(items.map((i) => i[0]), ['1', '2', '3', '4']);
  assert.equal(items[0][1], cweTitle(78).replace(/'/g, "'").replace(/[\\`*_[\]{}|~#!]/g, (c) => `\\${c}`));
  assert.equal(items[0][2], 'Line 42');
  assert.match(out, new RegExp(`1\\. \\*\\*CWE-78: ${cweName(78).replace(/[()]/g, '\\$&')}\\*\\* \\(Line 42\\)`));
  // high before medium before low
  assert.ok(out.indexOf('CWE-78:') < out.indexOf('CWE-798:'));
  assert.ok(out.indexOf('CWE-798:') < out.indexOf('CWE-22:'));
});

test('opening sentence states what was reviewed and what was found', () => {
  const out = md();
  assert.match(out, /After reviewing 12 files \(1340 lines\) in `app`, redline found 4 security defects \(1 high, 2 medium, 1 low\):/);
});

test('hostile code and messages cannot inject HTML, mentions or break the code fence', () => {
  const out = md();
  const { fences, spans, prose } = splitMarkdown(out);
  assert.ok(!/<script/i.test(prose), 'no raw <script> outside code');
  assert.ok(!/@(admin|team)/.test(prose), 'no @-mention outside code');
  assert.ok(!/(?<!\\)\|/.test(prose), 'every | outside code is escaped');
  assert.ok(!/(?<!\\)\[link\]/.test(prose), 'no link syntax');
  assert.ok(prose.includes('&lt;script&gt;'), 'HTML shown as text');
  // The excerpt with a run of four backticks sits whole inside one fence (a longer one).
  const fence = fences.find((f) => f.includes('<script>alert(1)</script>'));
  assert.ok(fence, 'code excerpt present');
  assert.ok(fence!.startsWith('API_KEY = "````'));
  assert.match(out, /^ {3}`{5}python$/m);
  // ANSI escape and bidi override made visible
  assert.ok(!out.includes('\u001b') && !out.includes('\u202e'));
  assert.ok(fence!.includes('\\x1b[31m') && fence!.includes('<U+202E>'));
  // backtick-quoted code in messages stays code
  assert.ok(spans.includes('API_KEY'));
  assert.ok(spans.includes("request.args.get('host')"));
  void HOSTILE_CODE;
});

test('taint finding shows the evidence path as numbered steps, solution and extra CWEs', () => {
  const out = md();
  assert.match(out, /\*\*Evidence path\*\* \(source → sink\):/);
  assert.match(out, /^ {3}1\. source `app\/views\.py:10:11`: `request\.args\.get\('host'\)` is read from the HTTP request — `host = request\.args\.get\('host'\)`$/m);
  assert.match(out, /^ {3}2\. step `app\/views\.py:11:5`/m);
  assert.match(out, /^ {3}3\. sink `app\/views\.py:42:5`/m);
  assert.match(out, /\*\*Solution:\*\* Pass an argument list/);
  assert.ok(out.includes(`Also: CWE-88: ${cweName(88).replace(/[\\`*_[\]{}|~#!]/g, (c) => `\\${c}`)}`));
  assert.match(out, /`app\/views\.py:42:5` · high severity · high confidence · rule `py\/command-injection` · static evidence/);
});

test('model-suggested findings and model verdicts are labelled', () => {
  const out = md();
  assert.match(out, /model-suggested \(not verified by static analysis\)/);
  assert.match(out, /\*\*Model triage:\*\* false\\_positive — placeholder used only by the test suite \(small-local-model\)/);
  assert.match(out, /\*\*Model triage:\*\* true\\_positive — the route passes `name` straight from the URL/);
  assert.match(out, /#### Model triage\n\n- Model small-local-model triaged 4 findings, proposed 2 new findings, of which 1 accepted\./);
  assert.match(out, /Rejected: 1 \(no static path to the sink\)\./);
  assert.match(out, /Warning: model reply for app\/db\.py was not valid JSON/);
});

test('suppressed findings are hidden but counted, and listed with showSuppressed', () => {
  const hidden = md();
  assert.ok(!hidden.includes('app/db.py:20'));
  assert.match(hidden, /- Suppressed: 1 \(not listed; --show-suppressed lists them\)/);
  const shown = md(scanResult, true);
  assert.match(shown, /\*\*Suppressed\*\* \(inSource\): admin-only CLI, input is trusted/);
  assert.match(shown, /^5\. \*\*CWE-89/m);
  assert.match(shown, /- Suppressed: 1 \(listed above, marked suppressed\)/);
  // A suppressed finding is not a defect.
  assert.match(shown, /redline found 4 security defects/);
});

test('summary counts by severity and CWE, threshold and diagnostics', () => {
  const out = md();
  assert.match(out, /- Security defects: 4 \(1 high, 2 medium, 1 low\)/);
  assert.ok(out.includes(`  - CWE-798: ${cweName(798)} — 2`));
  assert.match(out, /- Below the severity\/confidence threshold: 2/);
  assert.match(out, /`app\/vendor\/big\.py` — warning too-large: file is larger than 2 MiB and was skipped/);
  assert.match(out, /`app\/broken\.py:4` — error syntax-error: invalid syntax near '&lt;script&gt;'/);
});

test('general recommendations: one per CWE, from the catalog mitigations and the fix', () => {
  const out = md();
  const section = out.slice(out.indexOf('#### General recommendations'), out.indexOf('#### Model triage'));
  const items = section.split('\n').filter((l) => l.startsWith('- '));
  assert.equal(items.length, 3);
  assert.match(items[0], /^- \*\*CWE-78 \(OS Command Injection\)\*\* \(finding 1\): If at all possible, use library calls rather than external processes/);
  assert.match(items[0], /\(MITRE mitigation, Architecture and Design\)/);
  assert.match(items[0], /\*\*Here:\*\* Pass an argument list/);
  assert.match(items[1], /^- \*\*CWE-798 \(Use of Hard-coded Credentials\)\*\* \(findings 2, 3\)/);
  assert.match(items[2], /^- \*\*CWE-22 \(Path Traversal\)\*\* \(finding 4\)/);
  // The client-side boilerplate mitigation is never chosen.
  assert.ok(!section.includes('client side'));
});

test('no findings: plain statement, diagnostics still listed, no recommendations', () => {
  const out = md(emptyResult);
  assert.match(out, /No security defects found in 12 files \(1340 lines\) in `src`, `lib`\./);
  assert.match(out, /`lib\/latin1\.py` — note decode-error: not valid UTF-8/);
  assert.ok(!out.includes('General recommendations'));
  assert.ok(!/^1\. /m.test(out));
});

test('review: the change, resolved findings and a verdict', () => {
  const out = md(reviewResult);
  assert.match(out, /Reviewed the change against `origin\/main`, 2 files changed \(\+33 −2 lines\): `app\/views\.py` \(\+30 −2, modified\), `app\/settings\.py` \(\+3 −0, added\)/);
  assert.match(out, /The change introduces 2 security defects \(1 high, 1 medium\):/);
  assert.match(out, /#### Resolved by this change\n\n- CWE-89: .* at `app\/db\.py:20` \(`py\/sql-injection`\)/);
  assert.ok(out.trimEnd().endsWith('**Verdict:** this change introduces 2 security defects \\(1 high, 1 medium\\).') ||
    out.trimEnd().endsWith('**Verdict:** this change introduces 2 security defects (1 high, 1 medium).'));
  const clean = md(emptyReviewResult);
  assert.match(clean, /No security defects found in this change\./);
  assert.ok(clean.trimEnd().endsWith('**Verdict:** no new security defects.'));
});

test('markdown output is deterministic', () => {
  assert.equal(md(), md());
  assert.equal(md(reviewResult, true), md(reviewResult, true));
});
