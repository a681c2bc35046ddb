/** What a scan or review produces; every report format renders one of these. */
import type { Diagnostic, Finding } from './finding.js';
import type { RuleMeta } from '../rules/types.js';

export interface ScanStats {
  filesScanned: number;
  filesSkipped: number;
  linesScanned: number;
  bytesScanned: number;
  durationMs: number;
  /** Findings hidden by in-source suppressions, baseline or the model filter. */
  suppressed: number;
  /** Findings below --min-severity / --min-confidence. */
  belowThreshold: number;
}

export interface ChangeSummary {
  /** Git revision or diff description the review compares against. */
  base: string;
  files: Array<{ file: string; addedLines: number; removedLines: number; status: 'added' | 'modified' | 'deleted' | 'renamed' }>;
}

export interface LlmSummary {
  model: string;
  triaged: number;
  proposed: number;
  accepted: number;
  rejected: Array<{ reason: string; count: number }>;
  warnings: string[];
}

export interface ScanResult {
  tool: { name: 'redline'; version: string };
  kind: 'scan' | 'review';
  /** Scan roots as given (relative or absolute, as typed). */
  roots: string[];
  /** Absolute path that finding file paths are relative to. */
  baseDir: string;
  findings: Finding[]; // sorted with compareFindings; includes suppressed ones (check .suppression)
  diagnostics: Diagnostic[];
  /** Metadata of every rule that ran (reports need names, docs, CWEs). */
  rules: RuleMeta[];
  stats: ScanStats;
  /** For `redline review`. */
  change?: ChangeSummary;
  /** Findings the change resolves (review only). */
  resolved?: Finding[];
  llm?: LlmSummary;
}
