/** Is an expression a fixed byte string, the same on every run? (`b"..."`, `"...".encode()`, `bytes(16)`, `b"\0" * 16`) */
import type { Expr } from '../../../ir/types.js';
import type { RuleContext } from '../../types.js';
import { calleeName, constNumber } from './ir.js';

export function isConstantBytes(ctx: RuleContext, e: Expr): boolean {
  if (typeof ctx.constValue(e) === 'string') return true;
  if (e.k === 'binop' && e.op === '*') {
    return (isConstantBytes(ctx, e.left) && constNumber(ctx, e.right) !== undefined) || (isConstantBytes(ctx, e.right) && constNumber(ctx, e.left) !== undefined);
  }
  if (e.k === 'binop' && e.op === '+') return isConstantBytes(ctx, e.left) && isConstantBytes(ctx, e.right);
  if (e.k === 'call') {
    const callee = calleeName(ctx, e);
    if ((callee === 'bytes' || callee === 'bytearray') && e.args.length === 1 && constNumber(ctx, e.args[0].value) !== undefined) return true;
    if ((callee === 'bytes.fromhex' || callee === 'binascii.unhexlify' || callee === 'base64.b64decode') && e.args.length === 1) {
      return typeof ctx.constValue(e.args[0].value) === 'string';
    }
    if (e.fn.k === 'attr' && e.fn.name === 'encode' && typeof ctx.constValue(e.fn.obj) === 'string') return true;
  }
  return false;
}
