import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as Sarif from 'sarif';
import { renderReport } from '../../src/report/index.js';
import { pascalCaseName, relativeUri } from '../../src/report/sarif.js';
import { BASE_DIR, emptyResult, reviewResult, scanResult } from './fixtures.js';
import { errorsOf, validateSarif } from './validate.js';

const opts = { color: false, showSuppressed: false };
const sarif = (r = scanResult): Sarif.Log => JSON.parse(renderReport(r, 'sarif', opts)) as Sarif.Log;

test('SARIF validates against the official 2.1.0 schema', () => {
  for (const r of [scanResult, reviewResult, emptyResult]) {
    const log = sarif(r);
    assert.ok(validateSarif(log), errorsOf(validateSarif));
  }
});

test('the vendored schema really validates (rejects a broken log)', () => {
  const log = sarif() as unknown as { runs: Array<{ results: Array<Record<string, unknown>> }> };
  log.runs[0].results[0].level = 'fatal';
  assert.equal(validateSarif(log), false);
  const noMessage = sarif() as unknown as { runs: Array<{ results: Array<Record<string, unknown>> }> };
  delete noMessage.runs[0].results[0].message;
  assert.equal(validateSarif(noMessage), false);
});

test('fields GitHub code scanning needs are present', () => {
  const log = sarif();
  assert.equal(log.version, '2.1.0');
  assert.ok(log.$schema);
  const run = log.runs[0];
  const driver = run.tool.driver;
  assert.equal(driver.name, 'redline');
  assert.equal(driver.version, '0.1.0');
  const rules = driver.rules!;
  assert.deepEqual(rules.slice(0, 3).map((r) => r.id), ['py/command-injection', 'py/hardcoded-credentials', 'py/sql-injection']);
  const cmd = rules[0];
  assert.equal(cmd.name, 'OsCommandBuiltFromUntrustedData');
  assert.equal(cmd.shortDescription!.text, 'Untrusted data reaches an OS command.');
  assert.equal(cmd.fullDescription!.text, 'Finds HTTP request data that flows into a shell command.');
  assert.match(cmd.help!.text, /Why is this bad\?/);
  assert.match(cmd.help!.markdown!, /## Use instead\n\n```python\nsubprocess\.run/);
  assert.equal(cmd.defaultConfiguration!.level, 'error');
  assert.equal(rules[1].defaultConfiguration!.level, 'warning');
  assert.deepEqual(cmd.properties!.tags, ['security', 'external/cwe/cwe-78', 'external/cwe/cwe-88', 'injection']);
  assert.equal(cmd.properties!['security-severity'], '9.8');
  assert.equal(cmd.properties!.precision, 'high');
  assert.equal(cmd.properties!['problem.severity'], 'error');

  for (const r of run.results!) {
    assert.equal(rules[r.ruleIndex!].id, r.ruleId, 'ruleIndex points at the rule');
    assert.ok(r.message.text && r.message.text.length > 0);
    const pl = r.locations![0].physicalLocation!;
    assert.equal(pl.artifactLocation!.uriBaseId, '%SRCROOT%');
    assert.ok(!pl.artifactLocation!.uri!.startsWith('/') && !pl.artifactLocation!.uri!.includes(':'));
    assert.ok(pl.region!.startLine! >= 1);
    assert.ok(r.partialFingerprints!.primaryLocationLineHash);
  }
  assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: `file://${BASE_DIR}/` } });
});

test('results: levels, snippets, code flows from evidence, suppressions, properties', () => {
  const run = sarif().runs[0];
  const byRule = (id: string) => run.results!.find((r) => r.ruleId === id)!;
  const taint = byRule('py/command-injection');
  assert.equal(taint.level, 'error');
  assert.deepEqual(taint.locations![0].physicalLocation!.region, {
    startLine: 42,
    startColumn: 5,
    endLine: 42,
    endColumn: 36,
    snippet: { text: 'subprocess.run(cmd, shell=True)' },
  });
  const flow = taint.codeFlows![0].threadFlows[0].locations;
  assert.equal(flow.length, 3);
  assert.equal(flow[0].location!.message!.text, "`request.args.get('host')` is read from the HTTP request");
  assert.equal(flow[2].location!.physicalLocation!.region!.startLine, 42);
  assert.deepEqual(taint.properties!.cwe, ['CWE-78', 'CWE-88']);
  assert.equal(taint.properties!.confidence, 'high');
  assert.equal(taint.properties!.origin, 'static');

  const pattern = run.results!.find((r) => r.partialFingerprints!.primaryLocationLineHash === 'b2c3d4e5f6071829')!;
  assert.equal(pattern.codeFlows, undefined, 'no code flow without evidence');
  assert.equal(pattern.level, 'warning');
  assert.equal(pattern.properties!.literalLength, 42);

  const suppressed = byRule('py/sql-injection');
  assert.deepEqual(suppressed.suppressions!.map((s) => [s.kind, s.justification]), [['inSource', 'admin-only CLI, input is trusted']]);

  const model = byRule('py/model-path-traversal');
  assert.equal(model.level, 'note');
  assert.equal(model.properties!.origin, 'model-suggested');
  assert.equal(model.properties!.llmVerdict, 'true_positive');
  assert.match(model.message.text!, /^\[model-suggested, not verified by static analysis\]/);
  // A finding whose rule did not run still gets a descriptor.
  const rules = run.tool.driver.rules!;
  assert.equal(rules[model.ruleIndex!].id, 'py/model-path-traversal');
  assert.deepEqual(rules[model.ruleIndex!].properties!.tags, ['security', 'external/cwe/cwe-22']);
});

test('diagnostics become tool execution notifications', () => {
  const inv = sarif().runs[0].invocations![0];
  assert.equal(inv.executionSuccessful, true);
  const notes = inv.toolExecutionNotifications!;
  assert.equal(notes.length, 2);
  assert.equal(notes[1].level, 'error');
  assert.equal(notes[1].descriptor!.id, 'syntax-error');
  assert.equal(notes[1].locations![0].physicalLocation!.artifactLocation!.uri, 'app/broken.py');
  assert.equal(notes[1].locations![0].physicalLocation!.region!.startLine, 4);
});

test('deterministic, and the base directory appears only in originalUriBaseIds', () => {
  const a = renderReport(scanResult, 'sarif', opts);
  assert.equal(a, renderReport(scanResult, 'sarif', opts));
  assert.equal(a.split(BASE_DIR).length - 1, 1);
  assert.ok(!/"(start|end)TimeUtc"/.test(a));
});

test('URIs and rule names', () => {
  assert.equal(relativeUri('app/my file#1.py'), 'app/my%20file%231.py');
  assert.equal(relativeUri('./a\\b.py'), 'a/b.py');
  assert.equal(pascalCaseName('SQL query built from untrusted data'), 'SqlQueryBuiltFromUntrustedData');
});
