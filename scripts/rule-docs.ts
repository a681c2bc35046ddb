/** Writes docs/rules.md from the rules' metadata (`npm run docs:rules`); CWE names come from the catalog. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ruleMetas } from '../src/rules/index.js';
import { explainRule } from '../src/report/explain.js';
import { cweTitle } from '../src/core/cwe.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const metas = ruleMetas();
const out: string[] = [
  '# redline rules',
  '',
  'Generated from rule metadata by `npm run docs:rules`; do not edit by hand. `redline explain RULE` prints the same text.',
  '',
  '| rule | CWEs | severity | precision | kind |',
  '| --- | --- | --- | --- | --- |',
  ...metas.map((m) => `| [\`${m.id}\`](#${m.id.replace(/[^a-z0-9]+/g, '-')}) | ${m.cwes.map((c) => `CWE-${c}`).join(', ')} | ${m.severity} | ${m.precision} | ${m.kind} |`),
  '',
];
for (const m of metas) {
  out.push(`<a id="${m.id.replace(/[^a-z0-9]+/g, '-')}"></a>`, '', explainRule(m).trim(), '', `CWE: ${m.cwes.map((c) => cweTitle(c)).join('; ')}`, '', '---', '');
}
writeFileSync(path.join(root, 'docs', 'rules.md'), out.join('\n'));
console.log(`docs/rules.md: ${metas.length} rules`);
