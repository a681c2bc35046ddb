/** Per-function taint summaries and the raw flows the engine reports. */
import type { AbsValue, Label, Loc, Step } from './values.js';

/** A sink reached inside the program. */
export interface SinkSite {
  kind: string;
  loc: Loc;
  /** Qualified callee (or store target) as shown to users: "subprocess.run". */
  callee: string;
  /** Source text of the sink expression (first line). */
  text: string;
  /** Which argument carried the data: "argument 1", "keyword `shell`"... */
  argument?: string;
  description?: string;
}

/** A parameter (or parameter field) of the function that reaches a sink. */
export interface SummarySink {
  index: number;
  field?: string;
  cleared: number;
  flags: number;
  /** Steps from the function's entry to the sink (the sink step included). */
  steps: readonly Step[];
  site: SinkSite;
}

export interface FunctionSummary {
  ret: AbsValue;
  sinks: SummarySink[];
  /** Values written to attributes of the first parameter (self) — "a:name" keys. */
  selfWrites: Map<string, AbsValue>;
  /** The function never returns normally (always raises or aborts). */
  noReturn: boolean;
  /** When the function returns a true value, these parameters are known safe (a validator such as `is_safe_url(x)`). */
  predicates: Array<{ index: number; clears: number | 'all'; flags: number }>;
}

/** A concrete source reaching a sink: one candidate finding. */
export interface RawFlow {
  site: SinkSite;
  label: Label;
  /** Full evidence, source first, sink last. */
  steps: readonly Step[];
  /** Qualified name of the function where the sink is. */
  enclosing: string;
}

export function emptySummary(): FunctionSummary {
  return { ret: { labels: [] }, sinks: [], selfWrites: new Map(), noReturn: false, predicates: [] };
}
