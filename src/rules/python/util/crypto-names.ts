/** Recognising hash and cipher constructors across hashlib, pycryptodome(x) and `cryptography`. */
import type { Expr } from '../../../ir/types.js';
import type { RuleContext } from '../../types.js';
import { calleeName, constString, type CallExpr } from './ir.js';
import { argument } from './call-args.js';

export const WEAK_HASHES = new Set(['md5', 'md4', 'md2', 'sha1', 'sha', 'ripemd160', 'rmd160']);
export const FAST_STRONG_HASHES = new Set([
  'sha224', 'sha256', 'sha384', 'sha512', 'sha512_224', 'sha512_256', 'sha3_224', 'sha3_256', 'sha3_384', 'sha3_512',
  'blake2b', 'blake2s', 'sm3',
]);

export interface HashCall {
  /** Lower-case algorithm name ("md5"). */
  algorithm: string;
  /** The data hashed at construction, if passed. */
  data?: Expr;
}

const PYCRYPTO_PREFIX = /^(Crypto|Cryptodome)\.Hash\.([A-Za-z0-9_]+)\.new$/;
const CRYPTOGRAPHY_HASH = /^cryptography\.hazmat\.primitives\.hashes\.([A-Z0-9_]+)$/;

/** Whether hashCall can recognise a call to `callee` (it may still need a constant algorithm name). */
export function isHashCallee(callee: string): boolean {
  if (callee === 'hashlib.new') return true;
  const hashlib = /^hashlib\.([a-z0-9_]+)$/.exec(callee);
  if (hashlib && (WEAK_HASHES.has(hashlib[1]) || FAST_STRONG_HASHES.has(hashlib[1]))) return true;
  return PYCRYPTO_PREFIX.test(callee) || CRYPTOGRAPHY_HASH.test(callee);
}

/** Recognises `hashlib.md5(x)`, `hashlib.new("sha1", x)`, `MD5.new(x)`, `hashes.SHA1()`. */
export function hashCall(ctx: RuleContext, call: CallExpr): HashCall | undefined {
  const callee = calleeName(ctx, call);
  if (!callee) return undefined;
  if (callee === 'hashlib.new') {
    const nameArg = argument(call, 'name', 0);
    const name = nameArg ? constString(ctx, nameArg) : undefined;
    if (!name) return undefined;
    return { algorithm: name.toLowerCase().replace(/-/g, '_'), data: argument(call, 'data', 1) ?? argument(call, 'string') };
  }
  const hashlib = /^hashlib\.([a-z0-9_]+)$/.exec(callee);
  if (hashlib && (WEAK_HASHES.has(hashlib[1]) || FAST_STRONG_HASHES.has(hashlib[1]))) {
    return { algorithm: hashlib[1], data: argument(call, 'data', 0) ?? argument(call, 'string') };
  }
  const pc = PYCRYPTO_PREFIX.exec(callee);
  if (pc) return { algorithm: pc[2].toLowerCase().replace(/^sha$/, 'sha1'), data: argument(call, 'data', 0) };
  const cg = CRYPTOGRAPHY_HASH.exec(callee);
  if (cg) return { algorithm: cg[1].toLowerCase() };
  return undefined;
}

export function displayAlgorithm(a: string): string {
  const up = a.toUpperCase();
  if (/^SHA\d+$/.test(up)) return up.replace(/^SHA/, 'SHA-'); // SHA-1, SHA-256
  return up.replace(/_/g, '-'); // SHA3-256, SHA512-224, BLAKE2B

}
