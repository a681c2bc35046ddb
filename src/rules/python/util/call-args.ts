/** Reading the arguments of a call the way Python binds them: by keyword, else by position. */
import type { Expr } from '../../../ir/types.js';
import type { CallExpr } from './ir.js';

export function keywordArg(call: CallExpr, name: string): Expr | undefined {
  return call.args.find((a) => a.name === name && !a.spread)?.value;
}

export function hasKeyword(call: CallExpr, name: string): boolean {
  return call.args.some((a) => a.name === name && !a.spread);
}

/** The i-th positional argument; undefined if absent or if a `*args` spread comes before it. */
export function positionalArg(call: CallExpr, index: number): Expr | undefined {
  let i = 0;
  for (const a of call.args) {
    if (a.name !== undefined) continue;
    if (a.spread) return undefined;
    if (i === index) return a.value;
    i++;
  }
  return undefined;
}

/** The argument bound to a parameter given by keyword `name` or at `position`. */
export function argument(call: CallExpr, name: string, position?: number): Expr | undefined {
  return keywordArg(call, name) ?? (position === undefined ? undefined : positionalArg(call, position));
}

/** Whether `*args` or `**kwargs` may supply arguments we cannot see. */
export function hasSpread(call: CallExpr): boolean {
  return call.args.some((a) => a.spread !== undefined);
}

export function hasKwargsSpread(call: CallExpr): boolean {
  return call.args.some((a) => a.spread === 2);
}
