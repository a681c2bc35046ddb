/** The code a triage prompt shows: the finding's evidence path, with context lines, redacted. */
import type { Finding } from '../core/finding.js';
import { redactSecrets } from './redact.js';
import { numberLine, type RedactedSources } from './redacted-sources.js';

export const CONTEXT_LINES = 3;
/** A step spanning more lines than this shows only its first lines. */
const MAX_LINES_PER_STEP = 20;

interface Range {
  start: number;
  end: number;
}

/** Text listing the evidence path and guards, then each file's relevant lines. Secrets redacted. */
export function evidenceSlice(finding: Finding, sources: RedactedSources, context = CONTEXT_LINES): string {
  const parts: string[] = [];
  parts.push(`Finding at ${finding.location.file}:${finding.location.startLine}: ${redactSecrets(finding.message)}`);
  parts.push(`Flagged code: ${redactSecrets(finding.code)}`);
  const path = finding.evidence.filter((s) => s.kind !== 'guard');
  if (path.length) {
    parts.push('Evidence path:');
    path.forEach((s, i) => parts.push(`${i + 1}. ${s.kind} at ${s.location.file}:${s.location.startLine}: ${redactSecrets(s.message)}`));
  }
  const guards = finding.evidence.filter((s) => s.kind === 'guard');
  parts.push(guards.length ? 'Guards seen:' : 'Guards seen: none');
  for (const g of guards) parts.push(`- at ${g.location.file}:${g.location.startLine}: ${redactSecrets(g.message)}`);

  for (const [file, ranges] of rangesByFile(finding, context)) {
    const lines = sources.redacted(file);
    if (!lines) continue;
    parts.push('', `File ${file}:`);
    let previousEnd = 0;
    for (const r of ranges) {
      const end = Math.min(r.end, lines.length);
      if (r.start > end) continue;
      if (previousEnd && r.start > previousEnd + 1) parts.push('  ...');
      for (let n = r.start; n <= end; n++) parts.push(numberLine(n, lines[n - 1]!));
      previousEnd = end;
    }
  }
  return parts.join('\n');
}

/** Merged, sorted line ranges per file: the finding and every evidence step, ± context. */
function rangesByFile(finding: Finding, context: number): Map<string, Range[]> {
  const raw = new Map<string, Range[]>();
  for (const loc of [finding.location, ...finding.evidence.map((s) => s.location)]) {
    const end = Math.min(loc.endLine, loc.startLine + MAX_LINES_PER_STEP - 1);
    const list = raw.get(loc.file) ?? [];
    list.push({ start: Math.max(1, loc.startLine - context), end: end + context });
    raw.set(loc.file, list);
  }
  const merged = new Map<string, Range[]>();
  for (const file of [...raw.keys()].sort()) {
    const sorted = raw.get(file)!.sort((a, b) => a.start - b.start);
    const out: Range[] = [];
    for (const r of sorted) {
      const last = out[out.length - 1];
      if (last && r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
      else out.push({ ...r });
    }
    merged.set(file, out);
  }
  return merged;
}
