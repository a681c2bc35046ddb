/** Validation of open-review proposals against the CWE catalog, the code and the static findings. */
import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../core/finding.js';
import { cweKind, getWeakness } from '../core/cwe.js';
import type { RawProposal } from './open-review.js';
import { stripLineNumber } from './redacted-sources.js';
import { MODEL_SUGGESTED_RULE_ID } from './rule-meta.js';

export const REJECT = {
  malformedReply: 'malformed reply',
  malformedProposal: 'malformed proposal',
  unknownCwe: 'CWE not in the MITRE catalog',
  notAWeakness: 'CWE is a category or view, not a weakness',
  deprecatedCwe: 'deprecated CWE',
  noSuchLine: 'line not in file',
  codeMismatch: 'quoted code not on that line',
  mergedWithStatic: 'duplicate of a static finding (merged)',
  duplicate: 'duplicate proposal',
} as const;

export type ProposalOutcome = { accepted: Finding } | { rejected: string };

export interface ProposalContext {
  file: string;
  /** Original lines of the file. */
  lines: readonly string[];
  /** The same lines as sent to the model (redacted). */
  sentLines: readonly string[];
  /** Findings already in the result (static ones and accepted proposals). */
  existing: readonly Finding[];
}

export function validateProposal(p: RawProposal, ctx: ProposalContext): ProposalOutcome {
  const cwe = asInteger(typeof p.cwe === 'string' ? p.cwe.replace(/^\s*CWE-/i, '') : p.cwe);
  const line = asInteger(p.line);
  if (cwe === undefined || line === undefined || typeof p.code !== 'string' || !nonEmpty(p.issue)) return { rejected: REJECT.malformedProposal };

  const kind = cweKind(cwe);
  if (kind === 'unknown') return { rejected: REJECT.unknownCwe };
  if (kind !== 'weakness') return { rejected: REJECT.notAWeakness };
  const weakness = getWeakness(cwe)!;
  if (weakness.status === 'Deprecated') return { rejected: REJECT.deprecatedCwe };

  if (line < 1 || line > ctx.lines.length) return { rejected: REJECT.noSuchLine };
  const original = ctx.lines[line - 1]!;
  if (!quoteMatchesLine(p.code, original) && !quoteMatchesLine(p.code, ctx.sentLines[line - 1] ?? '')) return { rejected: REJECT.codeMismatch };

  const same = ctx.existing.filter((f) => f.location.file === ctx.file && f.location.startLine === line);
  if (same.some((f) => f.origin === 'static' && f.cwes.some((c) => relatedCwes(c, cwe)))) return { rejected: REJECT.mergedWithStatic };
  if (same.some((f) => f.origin === 'model-suggested' && f.cwes.includes(cwe))) return { rejected: REJECT.duplicate };

  const severity: Severity = weakness.abstraction === 'Class' || weakness.abstraction === 'Pillar' ? 'low' : 'medium';
  return {
    accepted: modelFinding({
      file: ctx.file,
      line,
      lineText: original,
      cwe,
      severity,
      issue: p.issue as string,
      solution: typeof p.solution === 'string' ? p.solution : '',
      enclosing: enclosingName(ctx.lines, line),
    }),
  };
}

/** Whitespace-normalised quote is a substring of the line, and not a trivially short one. A copied "12| " prefix is ignored. */
export function quoteMatchesLine(quote: string, line: string): boolean {
  const q = normaliseCode(stripLineNumber(quote));
  const l = normaliseCode(line);
  if (!q || !l) return false;
  return l.includes(q) && q.length >= Math.min(l.length, 6);
}

export function normaliseCode(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Same CWE, one the parent of the other, or sharing a parent. */
export function relatedCwes(a: number, b: number): boolean {
  if (a === b) return true;
  const pa = getWeakness(a)?.parents ?? [];
  const pb = getWeakness(b)?.parents ?? [];
  return pa.includes(b) || pb.includes(a) || pa.some((p) => pb.includes(p));
}

export function modelFingerprint(file: string, cwe: number, code: string): string {
  return createHash('sha256').update(`${file}\0${cwe}\0${normaliseCode(code)}`).digest('hex').slice(0, 32);
}

interface ModelFindingInput {
  file: string;
  line: number;
  lineText: string;
  cwe: number;
  severity: Severity;
  issue: string;
  solution: string;
  enclosing: string;
}

function modelFinding(i: ModelFindingInput): Finding {
  const chars = [...i.lineText];
  const indent = chars.length - [...i.lineText.trimStart()].length;
  const code = i.lineText.trim();
  return {
    ruleId: MODEL_SUGGESTED_RULE_ID,
    cwes: [i.cwe],
    severity: i.severity,
    securitySeverity: i.severity === 'low' ? 3.0 : 5.0,
    confidence: 'low',
    location: { file: i.file, startLine: i.line, startColumn: indent + 1, endLine: i.line, endColumn: chars.length + 1 },
    code,
    message: i.issue,
    fix: i.solution,
    evidence: [],
    enclosing: i.enclosing,
    fingerprint: modelFingerprint(i.file, i.cwe, code),
    origin: 'model-suggested',
  };
}

/** Dotted name of the enclosing classes/functions, from indentation ("module" at top level). */
export function enclosingName(lines: readonly string[], line: number): string {
  const names: string[] = [];
  let indent = indentOf(lines[line - 1] ?? '');
  for (let n = line - 1; n >= 1 && indent > 0; n--) {
    const text = lines[n - 1]!;
    if (!text.trim() || text.trimStart().startsWith('#')) continue;
    const ind = indentOf(text);
    if (ind >= indent) continue;
    indent = ind;
    const m = /^\s*(?:async\s+def|def|class)\s+([A-Za-z_]\w*)/.exec(text);
    if (m) names.unshift(m[1]!);
  }
  return names.length ? names.join('.') : 'module';
}

function indentOf(s: string): number {
  return s.length - s.trimStart().length;
}

function asInteger(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.trim().length > 0;
}
