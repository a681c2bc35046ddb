/** The one finding type used by every analysis, report, baseline and review. */

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type Confidence = 'high' | 'medium' | 'low';

export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];
export const CONFIDENCES: readonly Confidence[] = ['low', 'medium', 'high'];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}
export function confidenceRank(c: Confidence): number {
  return CONFIDENCES.indexOf(c);
}

/** 1-based lines, 1-based columns (columns count Unicode code points, tabs count as one). */
export interface Location {
  file: string; // path relative to the scan root, forward slashes
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export type EvidenceKind = 'source' | 'step' | 'call' | 'return' | 'sink' | 'guard' | 'config';

export interface EvidenceStep {
  kind: EvidenceKind;
  location: Location;
  /** Human text for this step: "`request.args.get('f')` is read from the HTTP request". */
  message: string;
  /** Source code of the step's line, trimmed. */
  code?: string;
}

export interface LlmVerdict {
  verdict: 'true_positive' | 'false_positive' | 'uncertain';
  rationale: string;
  fix?: string;
  model: string;
}

export interface Suppression {
  kind: 'inSource' | 'baseline' | 'model';
  justification?: string;
}

export interface Finding {
  ruleId: string; // e.g. "py/command-injection"
  cwes: number[]; // most specific first
  severity: Severity;
  /** CVSS-like number 0.0–10.0, used as SARIF `security-severity`. */
  securitySeverity: number;
  confidence: Confidence;
  location: Location;
  /** The excerpt of the flagged line(s). */
  code: string;
  /** What is wrong in this code, speaking of this code. */
  message: string;
  /** How to fix it here. */
  fix: string;
  evidence: EvidenceStep[];
  /** Name of the enclosing function or class ("module" at top level). */
  enclosing: string;
  /** Content-based fingerprint; survives unrelated line shifts. Set by the pipeline. */
  fingerprint: string;
  origin: 'static' | 'model-suggested';
  suppression?: Suppression;
  llm?: LlmVerdict;
  /** Free-form properties a rule wants to surface (SARIF result properties). */
  properties?: Record<string, string | number | boolean>;
}

export interface Diagnostic {
  level: 'error' | 'warning' | 'note';
  /** Stable code: "binary-file", "too-large", "decode-error", "syntax-error", "budget-exceeded", ... */
  code: string;
  file?: string;
  line?: number;
  message: string;
}

export function compareLocations(a: Location, b: Location): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.startLine - b.startLine || a.startColumn - b.startColumn || a.endLine - b.endLine || a.endColumn - b.endColumn;
}

/** Deterministic order for findings: by file, position, rule. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareLocations(a.location, b.location) ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}
