/** Builds a taint rule from its metadata: the message and fix speak of the flow that was found. */
import type { Confidence } from '../../core/finding.js';
import type { FlowDescription, RuleMeta, TaintRule } from '../types.js';

export interface TaintRuleSpec {
  meta: Omit<RuleMeta, 'kind' | 'languages'>;
  sinkKinds: string[];
  sourceKinds?: string[];
  confidence?: Confidence;
  reportAt?: 'sink' | 'source';
  /** What happens at the sink, e.g. "runs it through the shell". */
  effect: string;
  /** Fix advice for this flow. */
  fix: (flow: FlowDescription) => string;
}

export function defineTaintRule(spec: TaintRuleSpec): TaintRule {
  return {
    meta: { ...spec.meta, kind: 'taint', languages: ['python'] },
    sinkKinds: spec.sinkKinds,
    sourceKinds: spec.sourceKinds,
    confidence: spec.confidence ?? 'high',
    reportAt: spec.reportAt,
    fix: spec.fix,
    message: (f) => `\`${f.sourceText}\` (${f.sourceKind === 'remote' ? 'untrusted request data' : f.sourceKind === 'local' ? 'local input' : f.sourceKind}) reaches \`${f.sinkCallee}\`${f.sinkArgument ? ` as its ${f.sinkArgument}` : ''}, which ${spec.effect}, with nothing on the path that makes it safe.`,
  };
}
