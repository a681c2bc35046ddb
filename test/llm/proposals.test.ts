import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../src/core/finding.js';
import { REJECT, enclosingName, modelFingerprint, quoteMatchesLine, relatedCwes, validateProposal, type ProposalContext } from '../../src/llm/proposals.js';
import { chunkFile, parseProposals } from '../../src/llm/open-review.js';
import { RedactedSources } from '../../src/llm/redacted-sources.js';
import type { ScanResult } from '../../src/core/result.js';

const lines = ['import os', '', 'class Api:', '    def run(self, arg):', '        os.system("ls " + arg)', '    token = "tok"'];

function ctx(existing: Finding[] = []): ProposalContext {
  return { file: 'a.py', lines, sentLines: lines.map((l) => l.replace('"tok"', '"<redacted>"')), existing };
}

function staticAt(line: number, cwe: number): Finding {
  return {
    ruleId: 'py/x', cwes: [cwe], severity: 'high', securitySeverity: 8, confidence: 'high',
    location: { file: 'a.py', startLine: line, startColumn: 1, endLine: line, endColumn: 2 },
    code: '', message: '', fix: '', evidence: [], enclosing: 'module', fingerprint: 'f', origin: 'static',
  };
}

const proposal = (cwe: unknown, line: unknown, code: unknown) => ({ cwe, line, code, issue: 'bad', solution: 'fix it' });

test('a valid proposal becomes a low-confidence model-suggested finding', () => {
  const out = validateProposal(proposal(78, 5, 'os.system("ls " + arg)'), ctx());
  assert.ok('accepted' in out, JSON.stringify(out));
  const f = out.accepted;
  assert.equal(f.ruleId, 'llm/model-suggested');
  assert.equal(f.origin, 'model-suggested');
  assert.equal(f.confidence, 'low');
  assert.equal(f.severity, 'medium');
  assert.deepEqual(f.cwes, [78]);
  assert.deepEqual(f.location, { file: 'a.py', startLine: 5, startColumn: 9, endLine: 5, endColumn: 31 });
  assert.equal(f.code, 'os.system("ls " + arg)');
  assert.equal(f.enclosing, 'Api.run');
  assert.deepEqual(f.evidence, []);
  assert.match(f.fingerprint, /^[0-9a-f]{32}$/);
  assert.equal(f.fingerprint, modelFingerprint('a.py', 78, 'os.system("ls "   +   arg)'));
});

test('each kind of invalid proposal is rejected with its reason', () => {
  const cases: Array<[ReturnType<typeof proposal>, string]> = [
    [proposal(99999, 5, 'os.system'), REJECT.unknownCwe],
    [proposal(1211, 5, 'os.system'), REJECT.notAWeakness],
    [proposal(1000, 5, 'os.system'), REJECT.notAWeakness],
    [proposal(71, 5, 'os.system'), REJECT.deprecatedCwe],
    [proposal(78, 99, 'os.system'), REJECT.noSuchLine],
    [proposal(78, 0, 'os.system'), REJECT.noSuchLine],
    [proposal(78, 4, 'os.system("ls " + arg)'), REJECT.codeMismatch], // right code, wrong line
    [proposal(78, 5, 'subprocess.call(arg, shell=True)'), REJECT.codeMismatch],
    [proposal(78, 5, '('), REJECT.codeMismatch], // too short to identify the line
    [proposal('seventy-eight', 5, 'os.system'), REJECT.malformedProposal],
    [{ cwe: 78, line: 5, code: 'os.system', issue: '', solution: '' }, REJECT.malformedProposal],
  ];
  for (const [p, reason] of cases) assert.deepEqual(validateProposal(p, ctx()), { rejected: reason }, JSON.stringify(p));
});

test('quotes: whitespace-normalised, line-number prefix ignored, redacted form accepted', () => {
  assert.ok(quoteMatchesLine('os.system( "ls "  + arg)'.replace('( ', '('), '        os.system("ls " + arg)'));
  assert.ok(quoteMatchesLine('    5| os.system("ls " + arg)', '        os.system("ls " + arg)'));
  assert.ok(!quoteMatchesLine('', 'x = 1'));
  const out = validateProposal(proposal(798, 6, 'token = "<redacted>"'), ctx());
  assert.ok('accepted' in out);
  assert.equal(out.accepted.code, 'token = "tok"');
  assert.equal(out.accepted.enclosing, 'Api');
  assert.ok('accepted' in validateProposal(proposal('CWE-78', '5', 'os.system'), ctx()));
});

test('class-level CWEs get low severity', () => {
  const out = validateProposal(proposal(20, 5, 'os.system'), ctx());
  assert.ok('accepted' in out);
  assert.equal(out.accepted.severity, 'low');
});

test('duplicates of static findings are merged: same CWE, parent/child, shared parent', () => {
  assert.deepEqual(validateProposal(proposal(78, 5, 'os.system'), ctx([staticAt(5, 78)])), { rejected: REJECT.mergedWithStatic });
  assert.deepEqual(validateProposal(proposal(77, 5, 'os.system'), ctx([staticAt(5, 78)])), { rejected: REJECT.mergedWithStatic });
  assert.deepEqual(validateProposal(proposal(89, 5, 'os.system'), ctx([staticAt(5, 78)])), { rejected: REJECT.mergedWithStatic });
  assert.ok('accepted' in validateProposal(proposal(78, 5, 'os.system'), ctx([staticAt(4, 78)]))); // other line
  assert.ok('accepted' in validateProposal(proposal(798, 6, 'token = '), ctx([staticAt(6, 78)]))); // unrelated CWE
  const first = validateProposal(proposal(78, 5, 'os.system'), ctx());
  assert.ok('accepted' in first);
  assert.deepEqual(validateProposal(proposal(78, 5, 'os.system'), ctx([first.accepted])), { rejected: REJECT.duplicate });
  assert.ok(relatedCwes(564, 89));
  assert.ok(!relatedCwes(798, 89));
});

test('enclosing names from indentation', () => {
  assert.equal(enclosingName(lines, 1), 'module');
  assert.equal(enclosingName(lines, 5), 'Api.run');
});

test('proposals parse defensively', () => {
  assert.equal(parseProposals('no'), undefined);
  assert.equal(parseProposals('{"issues": []}'), undefined);
  assert.deepEqual(parseProposals('{"findings": []}'), []);
  assert.equal(parseProposals('{"findings": [null, {"cwe": 1}]}')!.length, 2);
});

test('files are chunked at line boundaries with the static findings of each chunk', () => {
  const src = Array.from({ length: 50 }, (_, i) => `x${i} = ${i}`);
  const sources = new RedactedSources(new Map([['big.py', src]]));
  const result = { findings: [{ ...staticAt(30, 89), location: { ...staticAt(30, 89).location, file: 'big.py' } }] } as unknown as ScanResult;
  const chunks = chunkFile('big.py', sources, result, 200);
  assert.ok(chunks.length > 3);
  assert.equal(chunks[0]!.firstLine, 1);
  assert.equal(chunks[chunks.length - 1]!.lastLine, 50);
  for (let i = 1; i < chunks.length; i++) assert.equal(chunks[i]!.firstLine, chunks[i - 1]!.lastLine + 1);
  for (const c of chunks) assert.ok(c.text.length <= 200);
  const withFinding = chunks.find((c) => c.firstLine <= 30 && c.lastLine >= 30)!;
  assert.deepEqual(withFinding.alreadyReported, ['line 30: CWE-89']);
  assert.match(withFinding.text, /^\s+\d+\| x\d+ = \d+/);
});
