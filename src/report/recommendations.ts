/**
 * "General recommendations": one per distinct CWE found, built from the catalog's mitigations
 * for that weakness and the fix redline proposed for it, so the advice follows what was found.
 */
import { getWeakness } from '../core/cwe.js';
import type { Finding } from '../core/finding.js';
import { groupByPrimaryCwe } from './summary.js';

export interface Recommendation {
  cwe: number;
  /** Catalog mitigation, trimmed to a sentence or two; undefined when the catalog has none that fits. */
  mitigation?: { phase: string; text: string };
  /** The fix redline proposed for the first finding of this CWE. */
  fix: string;
  /** Numbers of the findings (as listed in the report) this applies to. */
  findingNumbers: number[];
}

// Advice MITRE repeats on many entries that says nothing about the weakness itself.
const GENERIC = [
  /client side/i,
  /static analysis/i,
  /dynamic analysis/i,
  /fuzz/i,
  /penetration test/i,
  /application firewall/i,
  /\bjail\b|sandbox/i,
  /lowest privileges|least privilege/i,
  /compiler|compilation/i,
];

/** First sentence, or first two when the first is short; bracketed catalog references removed. */
export function trimToSentences(text: string, maxChars = 320): string {
  const clean = text.replace(/\s*\[REF-\d+\]/g, '').replace(/\s+/g, ' ').trim();
  // A sentence ends at . ! or ? followed by a capitalised word ("i.e., use" does not end one).
  const sentences = clean.split(/(?<=[.!?])\s+(?=["'(]?[A-Z])/);
  let out = sentences[0] ?? '';
  if (out.length < 90 && sentences[1] && out.length + sentences[1].length < maxChars) out += ` ${sentences[1]}`;
  if (out.length > maxChars) out = `${out.slice(0, maxChars - 1).replace(/\s+\S*$/, '')}…`;
  return out;
}

export function pickMitigation(cwe: number): Recommendation['mitigation'] {
  const weakness = getWeakness(cwe);
  if (!weakness) return undefined;
  const usable = weakness.mitigations.filter((m) => m.description.trim().length >= 20 && !GENERIC.some((g) => g.test(m.description)));
  const chosen = usable[0];
  return chosen ? { phase: chosen.phase, text: trimToSentences(chosen.description) } : undefined;
}

/** `numberOf` gives a finding's number as listed in the report. */
export function buildRecommendations(findings: readonly Finding[], numberOf: (f: Finding) => number): Recommendation[] {
  return groupByPrimaryCwe(findings)
    .map((group) => {
      const numbered = [...group.findings].sort((a, b) => numberOf(a) - numberOf(b));
      return { cwe: group.cwe, mitigation: pickMitigation(group.cwe), fix: numbered[0].fix, findingNumbers: numbered.map(numberOf) };
    })
    // In the order the reader met them in the report.
    .sort((a, b) => a.findingNumbers[0] - b.findingNumbers[0]);
}
