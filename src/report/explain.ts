/** Text for `redline explain <rule|CWE>` and `redline rules`. */
import { cweCatalogVersion, cweKind, cweName, getWeakness } from '../core/cwe.js';
import type { RuleMeta } from '../rules/types.js';
import { cweLabel } from './cwe-text.js';
import { fencedCode } from './markdown-escape.js';
import { cweUrl, ruleLanguage } from './rule-help.js';

function section(title: string, body: string): string {
  return `## ${title}\n\n${body.trim()}`;
}

export function explainRule(meta: RuleMeta): string {
  const facts = [
    `Rule: ${meta.id}`,
    `CWE: ${meta.cwes.map(cweLabel).join('; ')}`,
    `Severity: ${meta.severity} (security-severity ${meta.securitySeverity.toFixed(1)})`,
    `Precision: ${meta.precision}`,
    `Kind: ${meta.kind} · Languages: ${meta.languages.join(', ')}`,
    ...(meta.banditIds && meta.banditIds.length > 0 ? [`Bandit equivalents: ${meta.banditIds.join(', ')}`] : []),
  ];
  return `${[
    `# ${meta.name} (${meta.id})`,
    facts.join('\n'),
    meta.docs.summary,
    section('What it does', meta.docs.what),
    section('Why is this bad?', meta.docs.why),
    section('Example', fencedCode(meta.docs.example, ruleLanguage(meta), '').join('\n')),
    section('Use instead', fencedCode(meta.docs.fix, ruleLanguage(meta), '').join('\n')),
  ].join('\n\n')}\n`;
}

function rulesReporting(id: number, rules: readonly RuleMeta[]): string {
  const matching = rules.filter((r) => r.cwes.includes(id)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (matching.length === 0) return `No redline rule reports CWE-${id}.`;
  return matching.map((r) => `- ${r.id}: ${r.name} (${r.severity}, precision ${r.precision})`).join('\n');
}

/** Multi-paragraph catalog text as an indented list item body. */
function listItem(text: string): string {
  const [first, ...rest] = text.trim().split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return [`- ${first}`, ...rest.map((l) => `  ${l}`)].join('\n');
}

/** Throws when the id is not in the catalog, so the CLI can report a usage error. */
export function explainCwe(id: number, rules: RuleMeta[]): string {
  const kind = cweKind(id);
  if (kind === 'unknown') throw new Error(`CWE-${id} is not in the MITRE CWE catalog ${cweCatalogVersion()}`);
  const parts = [`# CWE-${id}: ${cweName(id)}`];
  const weakness = getWeakness(id);
  if (!weakness) {
    parts.push(`This is a CWE ${kind}, not a weakness: it groups other entries. ${cweUrl(id)}`);
  } else {
    parts.push(`Abstraction: ${weakness.abstraction} · Status: ${weakness.status} · ${cweUrl(id)}`);
    parts.push(section('Description', weakness.description));
    if (weakness.mitigations.length > 0) {
      parts.push(section('Mitigations', weakness.mitigations.map((m) => listItem(`[${m.phase}] ${m.description}`)).join('\n')));
    }
  }
  parts.push(section('redline rules that report it', rulesReporting(id, rules)));
  parts.push(`Source: MITRE CWE catalog ${cweCatalogVersion()}.`);
  return `${parts.join('\n\n')}\n`;
}

/** Plain aligned table, one rule a line, sorted by id. */
export function renderRuleList(rules: RuleMeta[]): string {
  const header = ['ID', 'CWE', 'SEVERITY', 'PRECISION', 'NAME'];
  const rows = [...rules]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => [r.id, r.cwes.map((c) => `CWE-${c}`).join(','), r.severity, r.precision, r.name]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n${rules.length === 0 ? '(no rules)\n' : ''}`;
}
