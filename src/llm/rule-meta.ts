/** Rule metadata for findings the model proposes in open review. */
import type { RuleMeta } from '../rules/types.js';

export const MODEL_SUGGESTED_RULE_ID = 'llm/model-suggested';

export const modelSuggestedRuleMeta: RuleMeta = {
  id: MODEL_SUGGESTED_RULE_ID,
  name: 'Weakness suggested by the LLM review',
  cwes: [],
  severity: 'medium',
  securitySeverity: 5.0,
  precision: 'low',
  kind: 'pattern',
  languages: ['python'],
  tags: ['security', 'llm', 'model-suggested'],
  docs: {
    summary: 'A weakness the language model proposed during open review, checked against the code but not proven.',
    what:
      'With --llm, the model reads each scanned file and may propose weaknesses the static rules did not report. ' +
      'redline keeps a proposal only when its CWE is a current MITRE weakness, its line exists and the quoted code is on that line.',
    why: 'A reviewer can catch logic and design flaws that rules cannot; the proposal is a lead, with low confidence and no evidence path.',
    example: '# whatever the model pointed at, e.g.\nif user.role == "admin" or request.args.get("debug"):\n    return admin_panel()',
    fix: 'Read the issue and solution the model gave, confirm the weakness in the code, and fix or dismiss it.',
  },
};
