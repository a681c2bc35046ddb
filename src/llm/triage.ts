/** Triage: the model's verdict on one static finding, and what a verdict may change. */
import type { Confidence, Finding, LlmVerdict } from '../core/finding.js';
import { extractFirstJsonObject } from './json-reply.js';

const VERDICTS = new Set<LlmVerdict['verdict']>(['true_positive', 'false_positive', 'uncertain']);

/** The verdict in a reply, or undefined when the reply is malformed. Text is kept raw (untrusted). */
export function parseVerdict(reply: string, model: string): LlmVerdict | undefined {
  const obj = extractFirstJsonObject(reply);
  if (!obj) return undefined;
  const verdict = typeof obj.verdict === 'string' ? obj.verdict.trim().toLowerCase() : '';
  if (!VERDICTS.has(verdict as LlmVerdict['verdict'])) return undefined;
  const rationale = typeof obj.rationale === 'string' ? obj.rationale : '';
  const fix = typeof obj.fix === 'string' && obj.fix.trim() ? obj.fix : undefined;
  return { verdict: verdict as LlmVerdict['verdict'], rationale, ...(fix !== undefined ? { fix } : {}), model };
}

export function lowerConfidence(c: Confidence): Confidence {
  return c === 'high' ? 'medium' : 'low';
}

/**
 * Attaches the verdict. A false positive lowers confidence one step and, only with `filter`,
 * marks the finding suppressed; the finding is never removed. Returns whether it was newly suppressed.
 */
export function applyVerdict(finding: Finding, verdict: LlmVerdict, filter: boolean): boolean {
  finding.llm = verdict;
  if (verdict.verdict !== 'false_positive') return false;
  finding.confidence = lowerConfidence(finding.confidence);
  if (!filter || finding.suppression) return false;
  finding.suppression = { kind: 'model', justification: verdict.rationale };
  return true;
}
