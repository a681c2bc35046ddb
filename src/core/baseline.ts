/**
 * Baseline files: the fingerprints of accepted findings, so that a scan reports only new ones.
 * The file is sorted JSON with one finding per entry, to keep diffs readable in review.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Finding } from './finding.js';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file: string;
  /** Most specific CWE, "CWE-89"; absent when the finding has none. */
  cwe?: string;
}

export interface BaselineFile {
  version: number;
  tool: 'redline';
  findings: BaselineEntry[];
}

/** Sorted by file then fingerprint; one entry per fingerprint. */
export function baselineEntries(findings: readonly Finding[]): BaselineEntry[] {
  const byFingerprint = new Map<string, BaselineEntry>();
  for (const f of findings) {
    const entry: BaselineEntry = { fingerprint: f.fingerprint, ruleId: f.ruleId, file: f.location.file };
    if (f.cwes.length > 0) entry.cwe = `CWE-${f.cwes[0]}`;
    byFingerprint.set(f.fingerprint, entry);
  }
  return [...byFingerprint.values()].sort(
    (a, b) => compareStrings(a.file, b.file) || compareStrings(a.fingerprint, b.fingerprint),
  );
}

/** Writes the baseline atomically: a temp file in the same directory, then a rename over the target. */
export function writeBaseline(file: string, findings: readonly Finding[]): void {
  const doc: BaselineFile = { version: BASELINE_VERSION, tool: 'redline', findings: baselineEntries(findings) };
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  const dir = path.dirname(path.resolve(file));
  mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text, { encoding: 'utf8', flush: true });
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/** The fingerprints of a baseline file; throws a one-line Error when it is missing or malformed. */
export function readBaseline(file: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `baseline file not found: ${file}` : `${file}: cannot read baseline (${code ?? String(err)})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: baseline is not valid JSON (${(err as Error).message.split('\n', 1)[0]})`);
  }
  const shape = 'expected {"version": 1, "tool": "redline", "findings": [{"fingerprint": ...}, ...]}';
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error(`${file}: not a redline baseline; ${shape}`);
  const { version, tool, findings } = doc as Record<string, unknown>;
  if (tool !== 'redline') throw new Error(`${file}: not a redline baseline; ${shape}`);
  if (version !== BASELINE_VERSION) {
    throw new Error(`${file}: unsupported baseline version ${JSON.stringify(version)} (this redline reads version ${BASELINE_VERSION})`);
  }
  if (!Array.isArray(findings)) throw new Error(`${file}: not a redline baseline; ${shape}`);
  const fingerprints = new Set<string>();
  findings.forEach((entry: unknown, i) => {
    const fp = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)['fingerprint'] : undefined;
    if (typeof fp !== 'string' || fp === '') throw new Error(`${file}: findings[${i}] has no "fingerprint" string`);
    fingerprints.add(fp);
  });
  return fingerprints;
}

/** Marks findings whose fingerprint is in the baseline; findings already suppressed keep their reason. */
export function applyBaseline(findings: Finding[], fingerprints: ReadonlySet<string>): Finding[] {
  return findings.map((f) => (!f.suppression && fingerprints.has(f.fingerprint) ? { ...f, suppression: { kind: 'baseline' } } : f));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
