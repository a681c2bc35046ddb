/**
 * The text and Markdown reports: written like a security review by a person — what was
 * reviewed, the numbered defects with proof and fix, a summary, advice drawn from what was
 * found, and for a change review a verdict.
 */
import type { Diagnostic, EvidenceStep, Finding } from '../core/finding.js';
import type { ChangeSummary, LlmSummary, ScanResult } from '../core/result.js';
import { cweLabel, cweShortName } from './cwe-text.js';
import { buildRecommendations } from './recommendations.js';
import type { ReviewStyle } from './style.js';
import {
  activeFindings,
  countBySeverity,
  groupByPrimaryCwe,
  isSuppressed,
  languageOf,
  lineRange,
  plural,
  position,
  severityBreakdown,
  suppressedCount,
  visibleFindings,
} from './summary.js';

const MAX_LISTED_ROOTS = 5;
const MAX_LISTED_CHANGED_FILES = 20;

export function renderHumanReview(result: ScanResult, style: ReviewStyle, showSuppressed: boolean): string {
  const shown = visibleFindings(result, showSuppressed);
  const active = activeFindings(result);
  const numberOf = (f: Finding) => shown.indexOf(f) + 1;

  const blocks: string[][] = [[style.title(result.kind === 'review' ? 'redline security review of the change' : 'redline security review')]];
  blocks.push([openingSentence(result, style, active)]);
  shown.forEach((f, i) => blocks.push(findingBlock(f, i + 1, style)));
  if (result.kind === 'review' && result.resolved && result.resolved.length > 0) blocks.push(resolvedBlock(result.resolved, style));
  blocks.push(summaryBlock(result, style, active, shown));
  if (active.length > 0) blocks.push(recommendationsBlock(active, numberOf, style));
  if (result.llm) blocks.push(llmBlock(result.llm, style));
  if (result.kind === 'review') blocks.push([verdictLine(active, style)]);
  return `${blocks.map((b) => b.join('\n')).join('\n\n')}\n`;
}

function codeList(items: readonly string[], style: ReviewStyle, max: number): string {
  const listed = items.slice(0, max).map((i) => style.code(i));
  if (items.length > max) listed.push(style.text(`and ${items.length - max} more`));
  return listed.join(', ');
}

function scope(result: ScanResult, style: ReviewStyle): string {
  const { filesScanned, linesScanned } = result.stats;
  const roots = result.roots.length > 0 ? ` in ${codeList(result.roots, style, MAX_LISTED_ROOTS)}` : '';
  return `${plural(filesScanned, 'file')} (${plural(linesScanned, 'line')})${roots}`;
}

function changeDescription(change: ChangeSummary, style: ReviewStyle): string {
  const added = change.files.reduce((n, f) => n + f.addedLines, 0);
  const removed = change.files.reduce((n, f) => n + f.removedLines, 0);
  const files = change.files
    .slice(0, MAX_LISTED_CHANGED_FILES)
    .map((f) => `${style.code(f.file)} (+${f.addedLines} −${f.removedLines}, ${f.status})`);
  if (change.files.length > MAX_LISTED_CHANGED_FILES) files.push(`and ${change.files.length - MAX_LISTED_CHANGED_FILES} more`);
  const listing = files.length > 0 ? `: ${files.join(', ')}` : '';
  return `the change against ${style.code(change.base)}, ${plural(change.files.length, 'file')} changed (+${added} −${removed} lines)${listing}`;
}

function defectCount(findings: readonly Finding[]): string {
  return `${plural(findings.length, 'security defect')} (${severityBreakdown(countBySeverity(findings))})`;
}

function openingSentence(result: ScanResult, style: ReviewStyle, active: readonly Finding[]): string {
  if (result.kind === 'review' && result.change) {
    const reviewed = `Reviewed ${changeDescription(result.change, style)}; ${scope(result, style)} analysed.`;
    return active.length === 0
      ? `${reviewed} No security defects found in this change.`
      : `${reviewed} The change introduces ${defectCount(active)}:`;
  }
  return active.length === 0
    ? `No security defects found in ${scope(result, style)}.`
    : `After reviewing ${scope(result, style)}, redline found ${defectCount(active)}:`;
}

function findingTitle(f: Finding, style: ReviewStyle): string {
  const primary = f.cwes[0];
  const title = primary === undefined ? f.ruleId : cweLabel(primary);
  return `${style.severity(f.severity, style.strong(style.text(title)))} (${lineRange(f)})`;
}

function originLabel(f: Finding): string {
  return f.origin === 'model-suggested' ? 'model-suggested (not verified by static analysis)' : 'static evidence';
}

function evidenceStepLine(step: EvidenceStep, n: number, style: ReviewStyle): string {
  const where = style.code(position(step.location.file, step.location.startLine, step.location.startColumn));
  const code = step.code ? ` — ${style.code(step.code)}` : '';
  return `${n}. ${style.text(step.kind)} ${where}: ${style.prose(step.message)}${code}`;
}

function findingBlock(f: Finding, n: number, style: ReviewStyle): string[] {
  const marker = `${n}. `;
  const indent = ' '.repeat(marker.length);
  const parts: string[][] = [];

  const where = style.code(position(f.location.file, f.location.startLine, f.location.startColumn));
  const facts = [
    where,
    style.severity(f.severity, style.text(`${f.severity} severity`)),
    style.text(`${f.confidence} confidence`),
    `rule ${style.code(f.ruleId)}`,
    style.text(originLabel(f)),
  ];
  parts.push([`${marker}${findingTitle(f, style)}`, `${indent}${facts.join(' · ')}`]);
  if (f.suppression) {
    const why = f.suppression.justification ? `: ${style.prose(f.suppression.justification)}` : '';
    parts.push([`${indent}${style.label('Suppressed')} ${style.text(`(${f.suppression.kind})`)}${why}`]);
  }
  if (f.code.trim() !== '') parts.push(style.codeBlock(f.code, languageOf(f.location.file), f.location.startLine, indent));
  parts.push([`${indent}${style.label('Issue:')} ${style.prose(f.message)}`]);
  if (f.evidence.length > 0) {
    const steps = f.evidence.map((s, i) => `${indent}${style.markdown ? '' : '  '}${evidenceStepLine(s, i + 1, style)}`);
    parts.push([`${indent}${style.label('Evidence path')} ${style.text('(source → sink):')}`, ...(style.itemGap ? [''] : []), ...steps]);
  }
  parts.push([`${indent}${style.label('Solution:')} ${style.prose(f.fix)}`]);
  if (f.cwes.length > 1) parts.push([`${indent}${style.text(`Also: ${f.cwes.slice(1).map(cweLabel).join('; ')}`)}`]);
  if (f.llm) {
    const fix = f.llm.fix ? ` ${style.label('Model-suggested fix:')} ${style.prose(f.llm.fix)}` : '';
    parts.push([
      `${indent}${style.label('Model triage:')} ${style.text(f.llm.verdict)} — ${style.prose(f.llm.rationale)} ${style.text(`(${f.llm.model})`)}${fix}`,
    ]);
  }
  return parts.flatMap((p, i) => (i > 0 && style.itemGap ? ['', ...p] : p));
}

function resolvedBlock(resolved: readonly Finding[], style: ReviewStyle): string[] {
  const lines = [`${style.heading('Resolved by this change')}`, ...(style.itemGap ? [''] : [])];
  for (const f of resolved) {
    const cwe = f.cwes[0] === undefined ? '' : `${style.text(cweLabel(f.cwes[0]))} `;
    lines.push(`${style.markdown ? '' : '  '}- ${cwe}${style.text('at')} ${style.code(position(f.location.file, f.location.startLine))} (${style.code(f.ruleId)})`);
  }
  return lines;
}

function diagnosticLine(d: Diagnostic, style: ReviewStyle): string {
  const where = d.file ? `${style.code(d.line === undefined ? d.file : position(d.file, d.line))} — ` : '';
  return `${where}${style.text(`${d.level} ${d.code}: ${d.message}`)}`;
}

function summaryBlock(result: ScanResult, style: ReviewStyle, active: readonly Finding[], shown: readonly Finding[]): string[] {
  const sub = style.markdown ? '  ' : '    ';
  const lines = [style.heading('Summary'), ...(style.itemGap ? [''] : [])];
  const item = (s: string) => lines.push(`${style.markdown ? '' : '  '}- ${s}`);

  const breakdown = severityBreakdown(countBySeverity(active));
  item(style.text(`Security defects: ${active.length}${breakdown ? ` (${breakdown})` : ''}`));
  if (active.length > 0) {
    item(style.text('By CWE:'));
    for (const g of groupByPrimaryCwe(active)) lines.push(`${sub}- ${style.text(`${cweLabel(g.cwe)} — ${g.findings.length}`)}`);
  }
  const suppressed = suppressedCount(result);
  const suppressedShown = shown.some(isSuppressed);
  const note = suppressed === 0 ? '' : suppressedShown ? ' (listed above, marked suppressed)' : ' (not listed; --show-suppressed lists them)';
  item(style.text(`Suppressed: ${suppressed}${note}`));
  item(style.text(`Below the severity/confidence threshold: ${result.stats.belowThreshold}`));
  if (result.stats.filesSkipped > 0) item(style.text(`Files skipped: ${result.stats.filesSkipped}`));
  if (result.diagnostics.length > 0) {
    item(style.text(`Diagnostics (${result.diagnostics.length}), files that could not be fully analysed:`));
    for (const d of result.diagnostics) lines.push(`${sub}- ${diagnosticLine(d, style)}`);
  } else {
    item(style.text('Diagnostics: none'));
  }
  return lines;
}

function recommendationsBlock(active: readonly Finding[], numberOf: (f: Finding) => number, style: ReviewStyle): string[] {
  const lines = [style.heading('General recommendations'), ...(style.itemGap ? [''] : [])];
  for (const r of buildRecommendations(active, numberOf)) {
    const which = r.findingNumbers.every((n) => n > 0) ? ` ${style.text(`(${r.findingNumbers.length === 1 ? 'finding' : 'findings'} ${r.findingNumbers.join(', ')})`)}` : '';
    const mitigation = r.mitigation ? ` ${style.text(r.mitigation.text)} ${style.text(`(MITRE mitigation, ${r.mitigation.phase})`)}` : '';
    lines.push(
      `${style.markdown ? '' : '  '}- ${style.strong(style.text(`CWE-${r.cwe} (${cweShortName(r.cwe)})`))}${which}:${mitigation} ${style.label('Here:')} ${style.prose(r.fix)}`,
    );
  }
  return lines;
}

function llmBlock(llm: LlmSummary, style: ReviewStyle): string[] {
  const lines = [style.heading('Model triage'), ...(style.itemGap ? [''] : [])];
  const pad = style.markdown ? '' : '  ';
  lines.push(
    `${pad}- ${style.text(`Model ${llm.model} triaged ${plural(llm.triaged, 'finding')}, proposed ${plural(llm.proposed, 'new finding')}, of which ${llm.accepted} accepted.`)}`,
  );
  const rejected = llm.rejected.filter((r) => r.count > 0);
  if (rejected.length > 0) lines.push(`${pad}- ${style.text(`Rejected: ${rejected.map((r) => `${r.count} (${r.reason})`).join('; ')}.`)}`);
  for (const w of llm.warnings) lines.push(`${pad}- ${style.text(`Warning: ${w}`)}`);
  return lines;
}

function verdictLine(active: readonly Finding[], style: ReviewStyle): string {
  const verdict = active.length === 0 ? 'no new security defects.' : `this change introduces ${defectCount(active)}.`;
  return `${style.label('Verdict:')} ${style.text(verdict)}`;
}
