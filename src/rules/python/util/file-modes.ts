/** Evaluating permission-mode expressions: `0o755`, `stat.S_IRWXU | stat.S_IRGRP`, module constants. */
import type { Expr } from '../../../ir/types.js';
import type { RuleContext } from '../../types.js';
import { constNumber, qname } from './ir.js';

const STAT_BITS: Record<string, number> = {
  S_ISUID: 0o4000, S_ISGID: 0o2000, S_ISVTX: 0o1000,
  S_IRWXU: 0o700, S_IRUSR: 0o400, S_IWUSR: 0o200, S_IXUSR: 0o100, S_IREAD: 0o400, S_IWRITE: 0o200, S_IEXEC: 0o100,
  S_IRWXG: 0o070, S_IRGRP: 0o040, S_IWGRP: 0o020, S_IXGRP: 0o010,
  S_IRWXO: 0o007, S_IROTH: 0o004, S_IWOTH: 0o002, S_IXOTH: 0o001,
};

/** The numeric value of a mode expression, when it is constant. */
export function modeValue(ctx: RuleContext, e: Expr): number | undefined {
  const n = constNumber(ctx, e);
  if (n !== undefined) return n;
  if (e.k === 'attr') {
    const m = /^stat\.(S_I[A-Z]+)$/.exec(qname(ctx, e) ?? '');
    return m ? STAT_BITS[m[1]] : undefined;
  }
  if (e.k === 'binop' && (e.op === '|' || e.op === '+')) {
    const a = modeValue(ctx, e.left);
    const b = modeValue(ctx, e.right);
    return a === undefined || b === undefined ? undefined : a | b;
  }
  return undefined;
}

export function octal(mode: number): string {
  return `0o${mode.toString(8)}`;
}
