/** Counts and groupings that the human formats (text, markdown) report. */
import { SEVERITIES, compareFindings, severityRank, type Finding, type Severity } from '../core/finding.js';
import type { ScanResult } from '../core/result.js';

export function isSuppressed(f: Finding): boolean {
  return f.suppression !== undefined;
}

/** Worst first, then by place: a reviewer reads the most serious defect first. */
export function bySeverityThenPlace(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || compareFindings(a, b);
}

/** Findings a human report lists, in reading order: defects first, then (if shown) suppressed ones. */
export function visibleFindings(result: ScanResult, showSuppressed: boolean): Finding[] {
  const suppressed = showSuppressed ? result.findings.filter(isSuppressed).sort(bySeverityThenPlace) : [];
  return [...activeFindings(result), ...suppressed];
}

/** Findings that count as defects: everything not suppressed. */
export function activeFindings(result: ScanResult): Finding[] {
  return result.findings.filter((f) => !isSuppressed(f)).sort(bySeverityThenPlace);
}

export type SeverityCounts = Record<Severity, number>;

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** "1 high, 2 medium" (worst first, zero counts left out). */
export function severityBreakdown(counts: SeverityCounts): string {
  return [...SEVERITIES]
    .reverse()
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
}

/** Primary CWE (most specific, first) -> findings, ordered by count then id. */
export function groupByPrimaryCwe(findings: readonly Finding[]): Array<{ cwe: number; findings: Finding[] }> {
  const groups = new Map<number, Finding[]>();
  for (const f of findings) {
    const cwe = f.cwes[0];
    if (cwe === undefined) continue;
    const list = groups.get(cwe) ?? [];
    list.push(f);
    groups.set(cwe, list);
  }
  return [...groups.entries()]
    .map(([cwe, list]) => ({ cwe, findings: list }))
    .sort((a, b) => b.findings.length - a.findings.length || a.cwe - b.cwe);
}

/**
 * The pipeline may drop suppressed findings (stats.suppressed) or keep them marked in the list;
 * either way the summary reports the larger of the two counts.
 */
export function suppressedCount(result: ScanResult): number {
  return Math.max(result.stats.suppressed, result.findings.filter(isSuppressed).length);
}

export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

export function lineRange(f: Finding): string {
  const { startLine, endLine } = f.location;
  return endLine > startLine ? `Lines ${startLine}–${endLine}` : `Line ${startLine}`;
}

export function position(file: string, line: number, column?: number): string {
  return column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
}

/** Fence info string for a code excerpt, from the file extension. */
export function languageOf(file: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(file)?.[1]?.toLowerCase();
  switch (ext) {
    case 'py':
    case 'pyi':
    case 'pyw':
      return 'python';
    case 'js':
    case 'mjs':
    case 'cjs':
      return 'javascript';
    case 'ts':
      return 'typescript';
    case 'c':
    case 'h':
      return 'c';
    default:
      return '';
  }
}
