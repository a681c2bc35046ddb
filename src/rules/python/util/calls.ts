/**
 * The calls of a module grouped by callee and by method name, built once per module, so a rule that
 * only looks at some callees visits those calls instead of testing every call of the module.
 */
import type { RuleContext, VisitOf } from '../../types.js';
import { calleeName, methodName } from './ir.js';

type CallVisit = VisitOf<'call'>;

interface CallIndex {
  calls: ReadonlyArray<CallVisit>;
  /** Indexes into `calls` (ascending) by `calleeName(...) ?? ''`. */
  byCallee: Map<string, number[]>;
  /** Indexes into `calls` (ascending) by method name, built when first needed. */
  byMethod?: Map<string, number[]>;
}

const CALL_INDEX = {};

function callIndex(ctx: RuleContext): CallIndex {
  return ctx.memo(CALL_INDEX, () => {
    const calls = ctx.visitsOf('call');
    const byCallee = new Map<string, number[]>();
    for (let i = 0; i < calls.length; i++) push(byCallee, calleeName(ctx, calls[i]!.node) ?? '', i);
    return { calls, byCallee };
  });
}

function methodIndex(index: CallIndex): Map<string, number[]> {
  if (!index.byMethod) {
    const byMethod = new Map<string, number[]>();
    for (let i = 0; i < index.calls.length; i++) {
      const m = methodName(index.calls[i]!.node);
      if (m !== undefined) push(byMethod, m, i);
    }
    index.byMethod = byMethod;
  }
  return index.byMethod;
}

function push(map: Map<string, number[]>, key: string, i: number): void {
  const list = map.get(key);
  if (list) list.push(i);
  else map.set(key, [i]);
}

/**
 * The calls, in walk order, whose callee name (`calleeName(ctx, call) ?? ''`) passes `test` or
 * whose method name is one of `methods`. `test` runs once per distinct callee of the module.
 */
export function callsWhere(ctx: RuleContext, test: (callee: string) => boolean, methods?: Iterable<string>): ReadonlyArray<CallVisit> {
  const index = callIndex(ctx);
  let hits: number[] | undefined;
  for (const [callee, positions] of index.byCallee) if (test(callee)) hits = hits ? union(hits, positions) : positions;
  if (methods) {
    const byMethod = methodIndex(index);
    for (const m of methods) {
      const positions = byMethod.get(m);
      if (positions) hits = hits ? union(hits, positions) : positions;
    }
  }
  if (!hits) return [];
  if (hits.length === index.calls.length) return index.calls;
  return hits.map((i) => index.calls[i]!);
}

/** Union of two ascending lists, ascending, without duplicates. */
function union(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) out.push(a[i++]!);
    else if (b[j]! < a[i]!) out.push(b[j++]!);
    else {
      out.push(a[i++]!);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
