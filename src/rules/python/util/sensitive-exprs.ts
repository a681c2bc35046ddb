/** Finds identifiers in an expression that name a secret (`password`, `user.password`, `form["passwd"]`). */
import type { Expr } from '../../../ir/types.js';
import type { RuleContext } from '../../types.js';
import { subtree } from './ir.js';
import { isPasswordName, isSensitiveName } from '../../../core/sensitive-names.js';

/** Identifier-like names an expression reads: variables, attributes, constant subscripts. */
export function namesRead(e: Expr): string[] {
  const out: string[] = [];
  for (const x of subtree(e)) {
    if (x.k === 'name') out.push(x.id);
    else if (x.k === 'attr') out.push(x.name);
    else if (x.k === 'index' && x.index.k === 'const' && typeof x.index.value === 'string') out.push(x.index.value);
    else if (x.k === 'call' && x.fn.k === 'attr' && x.fn.name === 'get') {
      const key = x.args[0]?.value;
      if (key && key.k === 'const' && typeof key.value === 'string') out.push(key.value); // form.get("password")
    }
  }
  return out;
}

/** The first password-like name the expression reads. */
export function passwordNameIn(e: Expr): string | undefined {
  return namesRead(e).find(isPasswordName);
}

export function sensitiveNameIn(e: Expr): string | undefined {
  return namesRead(e).find(isSensitiveName);
}

/** Whether a password flows into `e`, by name or by the taint engine's 'password' kind. */
export function carriesPassword(ctx: RuleContext, e: Expr): { how: 'name' | 'flow'; name?: string } | undefined {
  const name = passwordNameIn(e);
  if (name) return { how: 'name', name };
  if (ctx.taintKindsAt(e).includes('password')) return { how: 'flow' };
  return undefined;
}
