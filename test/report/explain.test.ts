import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainCwe, explainRule, renderRuleList } from '../../src/report/index.js';
import { cweName, getWeakness } from '../../src/core/cwe.js';
import { ALL_RULES, commandInjectionRule } from './fixtures.js';

test('explainRule: name, id, CWEs with official names, severity, precision and the four doc sections', () => {
  const out = explainRule(commandInjectionRule);
  assert.ok(out.startsWith('# OS command built from untrusted data (py/command-injection)\n'));
  assert.ok(out.includes(`CWE: CWE-78: ${cweName(78)}; CWE-88: ${cweName(88)}`));
  assert.match(out, /^Severity: high \(security-severity 9\.8\)$/m);
  assert.match(out, /^Precision: high$/m);
  for (const h of ['## What it does', '## Why is this bad?', '## Example', '## Use instead']) assert.ok(out.includes(h), h);
  assert.ok(out.includes('```python\nsubprocess.run(["ping", "-c", "1", host], shell=False)\n```'));
});

test('explainCwe: official name, abstraction, description, mitigations and the rules reporting it', () => {
  const out = explainCwe(78, ALL_RULES);
  const w = getWeakness(78)!;
  assert.ok(out.startsWith(`# CWE-78: ${w.name}\n`));
  assert.match(out, /^Abstraction: Base · Status: /m);
  assert.ok(out.includes(w.description));
  assert.ok(out.includes(`- [${w.mitigations[0].phase}] ${w.mitigations[0].description.split('\n')[0].trim()}`));
  assert.match(out, /^- py\/command-injection: OS command built from untrusted data \(high, precision high\)$/m);
  assert.match(explainCwe(918, ALL_RULES), /No redline rule reports CWE-918\./);
});

test('explainCwe rejects an id the catalog does not have', () => {
  assert.throws(() => explainCwe(999999, ALL_RULES), /not in the MITRE CWE catalog/);
});

test('renderRuleList: aligned table sorted by id', () => {
  const out = renderRuleList([...ALL_RULES].reverse());
  const lines = out.trimEnd().split('\n');
  assert.match(lines[0], /^ID\s+CWE\s+SEVERITY\s+PRECISION\s+NAME$/);
  assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/)[0]), ['py/command-injection', 'py/hardcoded-credentials', 'py/sql-injection']);
  assert.match(lines[1], /^py\/command-injection\s+CWE-78,CWE-88\s+high\s+high\s+OS command built from untrusted data$/);
  const nameColumn = lines[0].indexOf('NAME');
  for (const l of lines.slice(1)) assert.ok(l.length > nameColumn && l[nameColumn - 1] === ' ' && l[nameColumn] !== ' ');
});
