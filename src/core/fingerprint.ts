/**
 * Content-based finding fingerprints for baselines and review diffs. They hash what the finding is
 * about (rule, CWEs, the flagged code, where the data came from, the enclosing function, the file)
 * and never line numbers, so unrelated edits above a finding leave its fingerprint unchanged.
 */
import { createHash } from 'node:crypto';
import { compareLocations, type Finding } from './finding.js';

const HASH_HEX_CHARS = 32;
/** A multi-line sink contributes at most this many lines, so a huge call does not dominate. */
const MAX_SINK_LINES = 20;

export function fingerprintFinding(f: Omit<Finding, 'fingerprint'>, lines: string[]): string {
  const { startLine, endLine } = f.location;
  const sinkLines = lines.slice(startLine - 1, Math.min(endLine, startLine - 1 + MAX_SINK_LINES));
  const sinkCode = sinkLines.length > 0 ? sinkLines.map(normaliseCode).join('') : normaliseCode(f.code);

  const sourceStep = f.evidence[0];
  let sourceCode = '';
  let sourceFile = '';
  if (sourceStep) {
    sourceFile = sourceStep.location.file;
    const ownLine = sourceFile === f.location.file ? lines[sourceStep.location.startLine - 1] : undefined;
    sourceCode = normaliseCode(ownLine ?? sourceStep.code ?? '');
  }

  const parts = [f.location.file, f.ruleId, [...f.cwes].sort((a, b) => a - b).join(','), sinkCode, sourceFile, sourceCode, f.enclosing];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, HASH_HEX_CHARS);
}

/**
 * Sets `fingerprint` on every finding. Findings with the same hash (the same flagged code twice in
 * one function) are told apart by an occurrence suffix in location order: the first keeps the bare
 * hash, later ones get `:2`, `:3`, ... so adding a duplicate below existing code changes nothing above.
 */
export function assignFingerprints<T extends Omit<Finding, 'fingerprint'> & { fingerprint?: string }>(
  findings: T[],
  linesOf: (file: string) => string[] | undefined,
): Array<T & { fingerprint: string }> {
  const hashes = findings.map((f) => fingerprintFinding(f, linesOf(f.location.file) ?? []));
  const order = findings.map((_, i) => i).sort((a, b) => compareLocations(findings[a]!.location, findings[b]!.location) || a - b);
  const seen = new Map<string, number>();
  for (const i of order) {
    const hash = hashes[i]!;
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    findings[i]!.fingerprint = n === 1 ? hash : `${hash}:${n}`;
  }
  return findings as Array<T & { fingerprint: string }>;
}

/**
 * Code without layout: comments dropped and whitespace outside string literals removed, so
 * re-indenting or reformatting `f(a,b)` as `f(a, b)` keeps the fingerprint.
 */
export function normaliseCode(line: string): string {
  let out = '';
  let quote: string | undefined; // the open string delimiter: ' " ''' or """
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === '\\') {
        out += line.slice(i, i + 2);
        i++;
        continue;
      }
      if (line.startsWith(quote, i)) {
        out += quote;
        i += quote.length - 1;
        quote = undefined;
        continue;
      }
      out += ch;
      continue;
    }
    if (ch === '#') break;
    if (ch === '"' || ch === "'") {
      quote = line.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
      out += quote;
      i += quote.length - 1;
      continue;
    }
    if (!/\s/.test(ch)) out += ch;
  }
  return out;
}
