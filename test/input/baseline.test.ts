import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { applyBaseline, readBaseline, writeBaseline } from '../../src/core/baseline.js';
import type { Finding } from '../../src/core/finding.js';

const tempDirs: string[] = [];
after(() => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'redline-baseline-'));
  tempDirs.push(d);
  return d;
}

function finding(file: string, fingerprint: string, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'py/sql-injection',
    cwes: [89],
    severity: 'high',
    securitySeverity: 8.8,
    confidence: 'high',
    location: { file, startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 },
    code: '',
    message: '',
    fix: '',
    evidence: [],
    enclosing: 'module',
    fingerprint,
    origin: 'static',
    ...extra,
  };
}

describe('baseline', () => {
  it('writes sorted, diff-friendly JSON with a trailing newline', () => {
    const file = path.join(tempDir(), 'redline-baseline.json');
    writeBaseline(file, [finding('b.py', 'ff'), finding('a.py', 'cc'), finding('a.py', 'aa', { ruleId: 'py/x', cwes: [] })]);
    const expected = {
      version: 1,
      tool: 'redline',
      findings: [
        { fingerprint: 'aa', ruleId: 'py/x', file: 'a.py' },
        { fingerprint: 'cc', ruleId: 'py/sql-injection', file: 'a.py', cwe: 'CWE-89' },
        { fingerprint: 'ff', ruleId: 'py/sql-injection', file: 'b.py', cwe: 'CWE-89' },
      ],
    };
    assert.equal(fs.readFileSync(file, 'utf8'), `${JSON.stringify(expected, null, 2)}\n`);
  });

  it('round-trips fingerprints and marks matching findings as baseline-suppressed', () => {
    const file = path.join(tempDir(), 'nested', 'baseline.json');
    writeBaseline(file, [finding('a.py', 'old1'), finding('b.py', 'old2:2')]);
    const fingerprints = readBaseline(file);
    assert.deepEqual([...fingerprints].sort(), ['old1', 'old2:2']);

    const inSource = finding('c.py', 'old1', { suppression: { kind: 'inSource', justification: 'ok' } });
    const result = applyBaseline([finding('a.py', 'old1'), finding('a.py', 'new'), inSource], fingerprints);
    assert.deepEqual(result.map((f) => f.suppression), [{ kind: 'baseline' }, undefined, { kind: 'inSource', justification: 'ok' }]);
  });

  it('writes atomically: the target is replaced by rename and no temp file is left behind', () => {
    const dir = tempDir();
    const file = path.join(dir, 'baseline.json');
    fs.writeFileSync(file, 'previous');
    const inodeBefore = fs.statSync(file).ino;
    writeBaseline(file, [finding('a.py', 'x')]);
    assert.deepEqual(fs.readdirSync(dir), ['baseline.json']);
    assert.notEqual(fs.statSync(file).ino, inodeBefore, 'a rename gives the file a new inode; an in-place write would not');
    assert.deepEqual([...readBaseline(file)], ['x']);
  });

  it('leaves the old baseline intact and no temp file when the write fails', () => {
    const dir = tempDir();
    const file = path.join(dir, 'baseline.json');
    fs.mkdirSync(file); // renaming a file over a directory fails
    assert.throws(() => writeBaseline(file, [finding('a.py', 'x')]));
    assert.deepEqual(fs.readdirSync(dir), ['baseline.json']);
  });

  it('rejects malformed baselines with a one-line message naming the file', () => {
    const dir = tempDir();
    const cases: Array<[string, RegExp]> = [
      ['{not json', /not valid JSON/],
      ['[]', /not a redline baseline/],
      ['{"version": 1, "tool": "other", "findings": []}', /not a redline baseline/],
      ['{"version": 2, "tool": "redline", "findings": []}', /unsupported baseline version 2/],
      ['{"version": 1, "tool": "redline", "findings": [{"file": "a.py"}]}', /findings\[0\] has no "fingerprint"/],
    ];
    cases.forEach(([text, expected], i) => {
      const file = path.join(dir, `b${i}.json`);
      fs.writeFileSync(file, text);
      assert.throws(() => readBaseline(file), (err: Error) => {
        assert.match(err.message, expected);
        assert.ok(err.message.startsWith(file), err.message);
        assert.ok(!err.message.includes('\n'));
        return true;
      });
    });
    assert.throws(() => readBaseline(path.join(dir, 'missing.json')), /baseline file not found/);
  });
});
