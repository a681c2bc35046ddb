/**
 * In-source suppressions: `# redline: ignore[...] -- reason` and Bandit's `# nosec [B602, ...]`.
 * A comment on any line of a (multi-line) statement suppresses findings starting in that statement.
 */
import { statementRange, type Comment } from '../ir/types.js';
import type { Diagnostic, Finding } from './finding.js';

export interface SuppressionComment {
  line: number;
  /** No ids listed: suppresses every finding of the statement. */
  all: boolean;
  /** As written, with `CWE-` upper-cased: rule ids, `CWE-N`, Bandit `BNNN`. */
  ids: string[];
  reason?: string;
  kind: 'redline' | 'nosec';
}

interface MalformedSuppression {
  line: number;
  message: string;
}

// `# type: ignore  # redline: ignore[...]` arrives as one comment, so markers may follow another `#`.
const REDLINE_MARKER = /(?:^|#)\s*redline\s*:\s*ignore\b(.*)$/i;
const NOSEC_MARKER = /(?:^|#)\s*nosec\b(.*)$/i;
const BANDIT_ID = /^B\d{3}$/i;
const CWE_ID = /^CWE-\d+$/i;

export function parseSuppressions(comments: Comment[]): SuppressionComment[] {
  return scanComments(comments).suppressions;
}

function scanComments(comments: Comment[]): { suppressions: SuppressionComment[]; malformed: MalformedSuppression[] } {
  const suppressions: SuppressionComment[] = [];
  const malformed: MalformedSuppression[] = [];
  for (const c of comments) {
    const redline = REDLINE_MARKER.exec(c.text);
    if (redline) {
      const parsed = parseRedlineTail(redline[1]!);
      if ('error' in parsed) malformed.push({ line: c.line, message: parsed.error });
      else suppressions.push({ line: c.line, kind: 'redline', ...parsed });
    }
    const nosec = NOSEC_MARKER.exec(c.text);
    if (nosec) suppressions.push({ line: c.line, kind: 'nosec', ...parseNosecTail(nosec[1]!) });
  }
  return { suppressions, malformed };
}

/** What follows `redline: ignore`: optional `[id, ...]`, optional `-- reason`. */
function parseRedlineTail(tail: string): { all: boolean; ids: string[]; reason?: string } | { error: string } {
  let rest = tail;
  let ids: string[] = [];
  const bracket = /^\s*\[/.exec(rest);
  if (bracket) {
    const close = rest.indexOf(']');
    if (close === -1) return { error: "unclosed '[' in '# redline: ignore[...]'; nothing suppressed" };
    ids = rest
      .slice(bracket[0].length, close)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => (CWE_ID.test(s) ? s.toUpperCase() : s));
    if (ids.length === 0) return { error: "empty '[]' in '# redline: ignore[]'; list ids or drop the brackets" };
    rest = rest.slice(close + 1);
  }
  const result: { all: boolean; ids: string[]; reason?: string } = { all: ids.length === 0, ids };
  const reasonMatch = /^\s*--\s*(.*?)\s*$/.exec(rest);
  if (reasonMatch) {
    if (reasonMatch[1]) result.reason = reasonMatch[1];
  } else if (!/^\s*(?:#.*)?$/.test(rest)) {
    // `# redline: ignore py/x` (brackets forgotten) must not silently suppress everything.
    return { error: "text after 'redline: ignore' must be '[ids]' and/or '-- reason'; nothing suppressed" };
  }
  return result;
}

/**
 * What follows `nosec`, as Bandit reads it: every `BNNN` in it is an id, and without any the
 * comment suppresses everything (`# nosec because tests` is a bare nosec).
 */
function parseNosecTail(tail: string): { all: boolean; ids: string[]; reason?: string } {
  const [idPart = '', reason] = tail.split(/\s--\s/, 2);
  const ids = (idPart.split('#', 1)[0]!.match(/\bB\d{3}\b/gi) ?? []).map((s) => s.toUpperCase());
  const result: { all: boolean; ids: string[]; reason?: string } = { all: ids.length === 0, ids };
  if (reason?.trim()) result.reason = reason.trim();
  return result;
}

export interface SuppressionOptions {
  /** Honour Bandit's `# nosec`. */
  nosec: boolean;
  knownRuleIds: Set<string>;
  banditIdsByRule: Map<string, string[]>;
}

export function applySuppressions(
  findings: Finding[],
  modules: Map<string, { comments: Comment[]; statementRanges: Int32Array }>,
  opts: SuppressionOptions,
): { findings: Finding[]; warnings: Diagnostic[] } {
  const warnings: Diagnostic[] = [];
  const byFile = new Map<string, Array<{ range: [number, number]; s: SuppressionComment }>>();

  for (const [file, mod] of modules) {
    const { suppressions, malformed } = scanComments(mod.comments);
    for (const m of malformed) warnings.push({ level: 'warning', code: 'malformed-suppression', file, line: m.line, message: m.message });
    const active = suppressions.filter((s) => s.kind === 'redline' || opts.nosec);
    for (const s of active) {
      for (const id of s.ids) {
        if (!isKnownId(id, opts.knownRuleIds)) {
          warnings.push({
            level: 'warning',
            code: 'unknown-suppression',
            file,
            line: s.line,
            message: `'${id}' in a suppression comment is not a redline rule id, CWE-N or Bandit id; it suppresses nothing`,
          });
        }
      }
    }
    byFile.set(
      file,
      active.map((s) => ({ s, range: statementRange(mod.statementRanges, s.line) })),
    );
  }

  const out = findings.map((f) => {
    if (f.suppression) return f;
    const line = f.location.startLine;
    const hit = byFile.get(f.location.file)?.find(({ range, s }) => line >= range[0] && line <= range[1] && matches(s, f, opts));
    if (!hit) return f;
    const suppression: NonNullable<Finding['suppression']> = { kind: 'inSource' };
    if (hit.s.reason) suppression.justification = hit.s.reason;
    return { ...f, suppression };
  });
  return { findings: out, warnings };
}

function matches(s: SuppressionComment, f: Finding, opts: SuppressionOptions): boolean {
  if (s.all) return true;
  return s.ids.some((id) => {
    if (CWE_ID.test(id)) return f.cwes.includes(Number(id.slice(4)));
    if (BANDIT_ID.test(id)) return (opts.banditIdsByRule.get(f.ruleId) ?? []).some((b) => b.toUpperCase() === id.toUpperCase());
    return id === f.ruleId;
  });
}

function isKnownId(id: string, knownRuleIds: Set<string>): boolean {
  return CWE_ID.test(id) || BANDIT_ID.test(id) || knownRuleIds.has(id);
}
