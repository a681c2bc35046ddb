/** The registry of every rule redline ships. */
import type { Rule, RuleMeta } from './types.js';
import { pythonTaintRules } from './taint/index.js';
import { pythonPatternRules } from './python/index.js';

export const allRules: Rule[] = [...pythonTaintRules, ...pythonPatternRules].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));

export function ruleMetas(): RuleMeta[] {
  return allRules.map((r) => r.meta);
}

export function findRule(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
