import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../src/core/finding.js';
import { applySuppressions, parseSuppressions, type SuppressionOptions } from '../../src/core/suppressions.js';
import type { Comment } from '../../src/ir/types.js';

function finding(line: number, ruleId = 'py/command-injection', cwes = [78]): Finding {
  return {
    ruleId,
    cwes,
    severity: 'critical',
    securitySeverity: 9.8,
    confidence: 'high',
    location: { file: 'app.py', startLine: line, startColumn: 1, endLine: line, endColumn: 10 },
    code: '',
    message: '',
    fix: '',
    evidence: [],
    enclosing: 'module',
    fingerprint: `fp${line}${ruleId}`,
    origin: 'static',
  };
}

const OPTIONS: SuppressionOptions = {
  nosec: true,
  knownRuleIds: new Set(['py/command-injection', 'py/sql-injection']),
  banditIdsByRule: new Map([['py/command-injection', ['B602', 'B605']]]),
};

/** Lines 1-3 are one call; lines 4-6 are single-line statements. */
const RANGES = Int32Array.from([1, 3, 1, 3, 1, 3, 4, 4, 5, 5, 6, 6]);

function run(comments: Comment[], findings: Finding[], opts: Partial<SuppressionOptions> = {}) {
  return applySuppressions(findings, new Map([['app.py', { comments, statementRanges: RANGES }]]), { ...OPTIONS, ...opts });
}

const suppressed = (r: { findings: Finding[] }) => r.findings.map((f) => f.suppression?.kind ?? '-');

describe('parseSuppressions', () => {
  it('parses redline comments: bare, with ids, with a reason', () => {
    assert.deepEqual(
      parseSuppressions([
        { line: 1, text: ' redline: ignore' },
        { line: 2, text: ' redline: ignore[cwe-78]' },
        { line: 3, text: ' redline: ignore[py/command-injection, CWE-89] -- input is an enum, validated above' },
        { line: 4, text: ' redline:ignore -- test fixture' },
      ]),
      [
        { line: 1, kind: 'redline', all: true, ids: [] },
        { line: 2, kind: 'redline', all: false, ids: ['CWE-78'] },
        { line: 3, kind: 'redline', all: false, ids: ['py/command-injection', 'CWE-89'], reason: 'input is an enum, validated above' },
        { line: 4, kind: 'redline', all: true, ids: [], reason: 'test fixture' },
      ],
    );
  });

  it("parses Bandit's nosec forms", () => {
    assert.deepEqual(
      parseSuppressions([
        { line: 1, text: ' nosec' },
        { line: 2, text: ' nosec B602' },
        { line: 3, text: ' nosec: B602, B607' },
        { line: 4, text: ' nosec because this is a test' },
      ]),
      [
        { line: 1, kind: 'nosec', all: true, ids: [] },
        { line: 2, kind: 'nosec', all: false, ids: ['B602'] },
        { line: 3, kind: 'nosec', all: false, ids: ['B602', 'B607'] },
        { line: 4, kind: 'nosec', all: true, ids: [] },
      ],
    );
  });

  it('finds markers after another comment but not inside prose', () => {
    const parsed = parseSuppressions([
      { line: 1, text: ' type: ignore  # redline: ignore[CWE-89]' },
      { line: 2, text: ' this does not say redline: ignore at the start' },
      { line: 3, text: ' not a nosec comment' },
      { line: 4, text: ' nosecurity' },
    ]);
    assert.deepEqual(parsed, [{ line: 1, kind: 'redline', all: false, ids: ['CWE-89'] }]);
  });

  it('does not treat malformed redline comments as suppress-all', () => {
    assert.deepEqual(parseSuppressions([{ line: 1, text: ' redline: ignore py/command-injection' }]), []);
    assert.deepEqual(parseSuppressions([{ line: 1, text: ' redline: ignore[CWE-78' }]), []);
  });
});

describe('applySuppressions', () => {
  it('a comment on the last line of a 3-line call suppresses a finding on its first line', () => {
    const r = run([{ line: 3, text: ' redline: ignore -- reviewed' }], [finding(1), finding(4)]);
    assert.deepEqual(r.findings[0]!.suppression, { kind: 'inSource', justification: 'reviewed' });
    assert.equal(r.findings[1]!.suppression, undefined);
    assert.deepEqual(r.warnings, []);
  });

  it('the same comment on an unrelated line does not', () => {
    const r = run([{ line: 5, text: ' redline: ignore' }], [finding(1), finding(4)]);
    assert.deepEqual(suppressed(r), ['-', '-']);
  });

  it('matches CWE ids, rule ids and nothing else', () => {
    const findings = [finding(4), finding(5, 'py/sql-injection', [89]), finding(6)];
    const r = run(
      [
        { line: 4, text: ' redline: ignore[CWE-89]' },
        { line: 5, text: ' redline: ignore[CWE-89]' },
        { line: 6, text: ' redline: ignore[py/command-injection]' },
      ],
      findings,
    );
    assert.deepEqual(suppressed(r), ['-', 'inSource', 'inSource']);
    assert.equal(r.findings[1]!.suppression!.justification, undefined);
    assert.equal(findings[1]!.suppression, undefined, 'input findings are not mutated');
  });

  it('honours nosec with and without Bandit ids, and only when enabled', () => {
    const comments: Comment[] = [
      { line: 4, text: ' nosec' },
      { line: 5, text: ' nosec B602' },
      { line: 6, text: ' nosec: B101' },
    ];
    const findings = [finding(4), finding(5), finding(6)];
    assert.deepEqual(suppressed(run(comments, findings)), ['inSource', 'inSource', '-']);
    assert.deepEqual(suppressed(run(comments, findings, { nosec: false })), ['-', '-', '-']);
  });

  it('warns about unknown ids with file and line, but not about CWE or Bandit ids', () => {
    const r = run([{ line: 4, text: ' redline: ignore[py/comand-injection, CWE-1, B999]' }], [finding(4)]);
    assert.deepEqual(suppressed(r), ['-']);
    assert.equal(r.warnings.length, 1);
    assert.equal(r.warnings[0]!.code, 'unknown-suppression');
    assert.equal(r.warnings[0]!.level, 'warning');
    assert.equal(r.warnings[0]!.file, 'app.py');
    assert.equal(r.warnings[0]!.line, 4);
    assert.match(r.warnings[0]!.message, /py\/comand-injection/);
  });

  it('warns about malformed redline comments', () => {
    const r = run([{ line: 4, text: ' redline: ignore py/command-injection' }], [finding(4)]);
    assert.deepEqual(suppressed(r), ['-']);
    assert.deepEqual(r.warnings.map((w) => [w.code, w.line]), [['malformed-suppression', 4]]);
  });

  it('keeps an earlier suppression and leaves findings of other files alone', () => {
    const baselined: Finding = { ...finding(4), suppression: { kind: 'baseline' } };
    const elsewhere: Finding = { ...finding(4), location: { ...finding(4).location, file: 'other.py' } };
    const r = run([{ line: 4, text: ' redline: ignore -- why' }], [baselined, elsewhere]);
    assert.deepEqual(r.findings.map((f) => f.suppression), [{ kind: 'baseline' }, undefined]);
  });
});
