import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../src/core/finding.js';
import { assignFingerprints, fingerprintFinding, normaliseCode } from '../../src/core/fingerprint.js';

const SOURCE = [
  'import subprocess',
  'from flask import request',
  '',
  'def run():',
  "    cmd = request.args.get('cmd')",
  '    subprocess.run(cmd, shell=True)',
];

function finding(sinkLine: number, sourceLine: number, overrides: Partial<Finding> = {}): Omit<Finding, 'fingerprint'> {
  const loc = (line: number) => ({ file: 'app/views.py', startLine: line, startColumn: 5, endLine: line, endColumn: 30 });
  return {
    ruleId: 'py/command-injection',
    cwes: [78, 77],
    severity: 'critical',
    securitySeverity: 9.8,
    confidence: 'high',
    location: loc(sinkLine),
    code: 'subprocess.run(cmd, shell=True)',
    message: 'm',
    fix: 'f',
    evidence: [{ kind: 'source', location: loc(sourceLine), message: 'source' }],
    enclosing: 'run',
    origin: 'static',
    ...overrides,
  };
}

describe('fingerprintFinding', () => {
  it('is a 32-character hex string', () => {
    assert.match(fingerprintFinding(finding(6, 5), SOURCE), /^[0-9a-f]{32}$/);
  });

  it('is unchanged when 50 lines are inserted above', () => {
    const shifted = [...Array.from({ length: 50 }, (_, i) => `# filler ${i}`), ...SOURCE];
    assert.equal(fingerprintFinding(finding(56, 55), shifted), fingerprintFinding(finding(6, 5), SOURCE));
  });

  it('is unchanged by reformatting and comments', () => {
    const reformatted = [...SOURCE.slice(0, 5), '    subprocess.run( cmd,shell = True )  # TODO: fix'];
    assert.equal(fingerprintFinding(finding(6, 5), reformatted), fingerprintFinding(finding(6, 5), SOURCE));
  });

  it('changes when the sink code, the source code, the rule, the CWEs, the function or the file change', () => {
    const base = fingerprintFinding(finding(6, 5), SOURCE);
    const otherSink = [...SOURCE.slice(0, 5), '    subprocess.call(cmd, shell=True)'];
    const otherSource = [...SOURCE.slice(0, 4), "    cmd = request.form['cmd']", SOURCE[5]!];
    const variants = [
      fingerprintFinding(finding(6, 5), otherSink),
      fingerprintFinding(finding(6, 5), otherSource),
      fingerprintFinding(finding(6, 5, { ruleId: 'py/code-injection' }), SOURCE),
      fingerprintFinding(finding(6, 5, { cwes: [78] }), SOURCE),
      fingerprintFinding(finding(6, 5, { enclosing: 'other' }), SOURCE),
      fingerprintFinding({ ...finding(6, 5), location: { ...finding(6, 5).location, file: 'app/other.py' } }, SOURCE),
    ];
    for (const v of variants) assert.notEqual(v, base);
    assert.equal(new Set(variants).size, variants.length);
  });

  it('does not depend on CWE order', () => {
    assert.equal(fingerprintFinding(finding(6, 5, { cwes: [77, 78] }), SOURCE), fingerprintFinding(finding(6, 5), SOURCE));
  });
});

describe('assignFingerprints', () => {
  it('adds an occurrence suffix to later findings sharing a hash, in location order', () => {
    const lines = ['def f(x):', '    eval(x)', '    eval(x)', '    exec(x)'];
    const mk = (line: number) => finding(line, 1, { ruleId: 'py/eval', evidence: [] });
    const findings = [mk(3), mk(2), mk(4)];
    assignFingerprints(findings, () => lines);
    const [third, second, fourth] = findings.map((f) => (f as Finding).fingerprint);
    assert.match(second!, /^[0-9a-f]{32}$/);
    assert.equal(third, `${second}:2`);
    assert.match(fourth!, /^[0-9a-f]{32}$/);
    assert.notEqual(fourth, second);
  });
});

describe('normaliseCode', () => {
  it('drops comments and layout but keeps string contents', () => {
    assert.equal(normaliseCode("  x = f( 'a # b' , c )  # note"), "x=f('a # b',c)");
    assert.equal(normaliseCode('s = "it\\"s  here"'), 's="it\\"s  here"');
    assert.equal(normaliseCode('q = """a  b""" # c'), 'q="""a  b"""');
  });
});
