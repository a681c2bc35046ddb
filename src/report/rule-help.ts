/** Rule documentation as plain text and Markdown: SARIF `help`, and `redline explain`. */
import type { RuleMeta } from '../rules/types.js';
import { cweLabel } from './cwe-text.js';
import { fencedCode } from './markdown-escape.js';

export function cweUrl(id: number): string {
  return `https://cwe.mitre.org/data/definitions/${id}.html`;
}

export function ruleLanguage(meta: RuleMeta): string {
  return meta.languages[0] ?? '';
}

export function ruleCweLines(meta: RuleMeta): string[] {
  return meta.cwes.map(cweLabel);
}

export function ruleHelpText(meta: RuleMeta): string {
  return [
    `What it does\n${meta.docs.what}`,
    `Why is this bad?\n${meta.docs.why}`,
    `Example\n${meta.docs.example}`,
    `Use instead\n${meta.docs.fix}`,
    `References\n${ruleCweLines(meta).join('\n')}`,
  ].join('\n\n');
}

/** Rule docs are redline's own text (not scanned code), so they are written as Markdown directly. */
export function ruleHelpMarkdown(meta: RuleMeta): string {
  return [
    `## What it does\n\n${meta.docs.what}`,
    `## Why is this bad?\n\n${meta.docs.why}`,
    `## Example\n\n${fencedCode(meta.docs.example, ruleLanguage(meta), '').join('\n')}`,
    `## Use instead\n\n${fencedCode(meta.docs.fix, ruleLanguage(meta), '').join('\n')}`,
    `## References\n\n${meta.cwes.map((id) => `- [${cweLabel(id)}](${cweUrl(id)})`).join('\n')}`,
  ].join('\n\n');
}
