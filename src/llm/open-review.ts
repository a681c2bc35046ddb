/** Open review: which files the model reads, in which chunks, and how its reply is parsed. */
import type { ScanResult } from '../core/result.js';
import { extractFirstJsonObject } from './json-reply.js';
import type { ReviewChunk } from './prompts.js';
import { numberLine, type RedactedSources } from './redacted-sources.js';

/** Characters of numbered code per request (about 3,000 tokens). */
export const CHUNK_CHARS = 12_000;

/** Every scanned file for a scan; only the changed (not deleted) files for a review. */
export function filesToReview(result: ScanResult, sources: RedactedSources): string[] {
  const all = sources.files();
  if (result.kind !== 'review') return all;
  const changed = new Set((result.change?.files ?? []).filter((f) => f.status !== 'deleted').map((f) => f.file));
  return all.filter((f) => changed.has(f));
}

/** Splits a file into chunks of whole numbered lines, each at most `maxChars` (a longer single line is its own chunk). */
export function chunkFile(file: string, sources: RedactedSources, result: ScanResult, maxChars = CHUNK_CHARS): ReviewChunk[] {
  const lines = sources.redacted(file) ?? [];
  const chunks: ReviewChunk[] = [];
  let buf: string[] = [];
  let size = 0;
  let first = 1;
  const flush = (last: number): void => {
    if (!buf.length) return;
    chunks.push({ file, firstLine: first, lastLine: last, totalLines: lines.length, text: buf.join('\n'), alreadyReported: reported(result, file, first, last) });
    buf = [];
    size = 0;
    first = last + 1;
  };
  lines.forEach((line, i) => {
    const numbered = numberLine(i + 1, line);
    if (buf.length && size + numbered.length + 1 > maxChars) flush(i);
    buf.push(numbered);
    size += numbered.length + 1;
  });
  flush(lines.length);
  return chunks;
}

function reported(result: ScanResult, file: string, first: number, last: number): string[] {
  return result.findings
    .filter((f) => f.location.file === file && f.location.startLine >= first && f.location.startLine <= last)
    .map((f) => `line ${f.location.startLine}: ${f.cwes.map((c) => `CWE-${c}`).join(', ')}`);
}

export interface RawProposal {
  cwe: unknown;
  line: unknown;
  code: unknown;
  issue: unknown;
  solution: unknown;
}

/** The proposals in a reply, or undefined when the reply is malformed (no JSON object with a findings array). */
export function parseProposals(reply: string): RawProposal[] | undefined {
  const obj = extractFirstJsonObject(reply);
  if (!obj || !Array.isArray(obj.findings)) return undefined;
  return obj.findings.map((p): RawProposal => {
    const o = (p && typeof p === 'object' ? p : {}) as Record<string, unknown>;
    return { cwe: o.cwe, line: o.line, code: o.code, issue: o.issue, solution: o.solution };
  });
}
