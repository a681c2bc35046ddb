import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport } from '../../src/report/index.js';
import { JSON_REPORT_SCHEMA_ID } from '../../src/report/json.js';
import { cweCatalogVersion, cweName } from '../../src/core/cwe.js';
import { emptyResult, reviewResult, scanResult } from './fixtures.js';
import { errorsOf, validateReportJson } from './validate.js';

const opts = { color: false, showSuppressed: false };
const json = (r = scanResult) => JSON.parse(renderReport(r, 'json', opts));

test('JSON reports validate against docs/report-schema.json', () => {
  for (const r of [scanResult, reviewResult, emptyResult]) {
    const doc = json(r);
    assert.ok(validateReportJson(doc), errorsOf(validateReportJson));
  }
});

test('the schema rejects what it should (the validation can fail)', () => {
  const doc = json();
  doc.findings[0].severity = 'urgent';
  assert.equal(validateReportJson(doc), false);
  const missing = json();
  delete missing.findings[0].fingerprint;
  assert.equal(validateReportJson(missing), false);
});

test('header, CWE names from the catalog, suppression and llm verdicts', () => {
  const doc = json();
  assert.equal(doc.$schema, JSON_REPORT_SCHEMA_ID);
  assert.equal(doc.version, '1.0');
  assert.deepEqual(doc.tool, { name: 'redline', version: '0.1.0', cweCatalogVersion: cweCatalogVersion() });
  assert.equal(doc.kind, 'scan');
  assert.deepEqual(doc.roots, ['app']);
  assert.equal(doc.findings.length, 5, 'suppressed findings are included');
  const taint = doc.findings.find((f: { ruleId: string }) => f.ruleId === 'py/command-injection');
  assert.deepEqual(taint.cwes, [
    { id: 78, name: cweName(78) },
    { id: 88, name: cweName(88) },
  ]);
  assert.equal(taint.evidence.length, 3);
  assert.equal(taint.evidence[0].kind, 'source');
  const suppressed = doc.findings.find((f: { ruleId: string }) => f.ruleId === 'py/sql-injection');
  assert.deepEqual(suppressed.suppression, { kind: 'inSource', justification: 'admin-only CLI, input is trusted' });
  const model = doc.findings.find((f: { origin: string }) => f.origin === 'model-suggested');
  assert.equal(model.llm.verdict, 'true_positive');
  assert.equal(doc.llm.model, 'small-local-model');
  assert.equal(doc.diagnostics[1].line, 4);
  assert.equal(doc.stats.belowThreshold, 2);
  assert.equal('change' in doc, false);
});

test('review fields: change and resolved', () => {
  const doc = json(reviewResult);
  assert.equal(doc.kind, 'review');
  assert.equal(doc.change.base, 'origin/main');
  assert.equal(doc.change.files.length, 2);
  assert.equal(doc.resolved.length, 1);
});

test('JSON output is deterministic and ends with a newline', () => {
  const a = renderReport(scanResult, 'json', opts);
  assert.equal(a, renderReport(scanResult, 'json', opts));
  assert.ok(a.endsWith('}\n'));
});
