/** Constant folding for the taint interpreter: enough Python semantics to decide dead branches. */
import type { ConstValue } from '../../ir/types.js';

export const UNKNOWN = Symbol('unknown');
export type Folded = ConstValue | typeof UNKNOWN;

export function truthy(v: ConstValue): boolean {
  if (v === null) return false;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  return v;
}

function num(v: ConstValue): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(v);
  return undefined;
}

function pyMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

function formatPercent(fmt: string, args: ConstValue[]): Folded {
  let i = 0;
  let failed = false;
  const out = fmt.replace(/%([-+ #0]*\d*(?:\.\d+)?)([sdifrx%])/g, (_m, _flags, conv: string) => {
    if (conv === '%') return '%';
    if (i >= args.length) {
      failed = true;
      return '';
    }
    const a = args[i++]!;
    if (conv === 'd' || conv === 'i') {
      const n = num(a);
      if (n === undefined) failed = true;
      return String(Math.trunc(n ?? 0));
    }
    return a === null ? 'None' : typeof a === 'boolean' ? (a ? 'True' : 'False') : String(a);
  });
  return failed || i !== args.length ? UNKNOWN : out;
}

export function foldBinop(op: string, a: ConstValue, b: ConstValue): Folded {
  if (typeof a === 'string' && typeof b === 'string' && op === '+') return a + b;
  if (typeof a === 'string' && op === '*') {
    const n = num(b);
    return n !== undefined && n < 10_000 ? a.repeat(Math.max(0, n)) : UNKNOWN;
  }
  if (typeof a === 'string' && op === '%') return formatPercent(a, [b]);
  const x = num(a);
  const y = num(b);
  if (x === undefined || y === undefined) return UNKNOWN;
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/': return y === 0 ? UNKNOWN : x / y;
    case '//': return y === 0 ? UNKNOWN : Math.floor(x / y);
    case '%': return y === 0 ? UNKNOWN : pyMod(x, y);
    case '**': return Math.abs(y) > 64 ? UNKNOWN : x ** y;
    case '<<': return x << y;
    case '>>': return x >> y;
    case '&': return x & y;
    case '|': return x | y;
    case '^': return x ^ y;
    default: return UNKNOWN;
  }
}

export function foldPercentTuple(fmt: string, args: ConstValue[]): Folded {
  return formatPercent(fmt, args);
}

export function foldCompare(op: string, a: ConstValue, b: ConstValue): Folded {
  const x = num(a);
  const y = num(b);
  switch (op) {
    case '==': return x !== undefined && y !== undefined ? x === y : a === b;
    case '!=': return x !== undefined && y !== undefined ? x !== y : a !== b;
    case 'is': return a === b && (a === null || typeof a === 'boolean');
    case 'is not': return !(a === b && (a === null || typeof a === 'boolean'));
  }
  if (typeof a === 'string' && typeof b === 'string') {
    switch (op) {
      case '<': return a < b;
      case '<=': return a <= b;
      case '>': return a > b;
      case '>=': return a >= b;
      case 'in': return b.includes(a);
      case 'not in': return !b.includes(a);
    }
    return UNKNOWN;
  }
  if (x === undefined || y === undefined) return UNKNOWN;
  switch (op) {
    case '<': return x < y;
    case '<=': return x <= y;
    case '>': return x > y;
    case '>=': return x >= y;
    default: return UNKNOWN;
  }
}

export function foldUnop(op: string, a: ConstValue): Folded {
  if (op === 'not') return !truthy(a);
  const x = num(a);
  if (x === undefined) return UNKNOWN;
  if (op === '-') return -x;
  if (op === '+') return x;
  if (op === '~') return ~x;
  return UNKNOWN;
}

/** Python indexing of a constant string: negative indices count from the end. */
export function foldIndex(s: ConstValue, i: ConstValue): Folded {
  const n = num(i);
  if (typeof s !== 'string' || n === undefined || !Number.isInteger(n)) return UNKNOWN;
  const chars = [...s];
  const k = n < 0 ? chars.length + n : n;
  return k >= 0 && k < chars.length ? chars[k]! : UNKNOWN;
}

export function foldSlice(s: ConstValue, lower: ConstValue | undefined, upper: ConstValue | undefined): Folded {
  if (typeof s !== 'string') return UNKNOWN;
  const chars = [...s];
  const norm = (v: ConstValue | undefined, dflt: number): number | undefined => {
    if (v === undefined || v === null) return dflt;
    const n = num(v);
    if (n === undefined) return undefined;
    return n < 0 ? Math.max(0, chars.length + n) : Math.min(n, chars.length);
  };
  const lo = norm(lower, 0);
  const hi = norm(upper, chars.length);
  if (lo === undefined || hi === undefined) return UNKNOWN;
  return chars.slice(lo, hi).join('');
}

/** Constant results of a few pure str methods on constant receivers. */
export function foldStrMethod(recv: ConstValue, method: string, args: ConstValue[]): Folded {
  if (typeof recv !== 'string') return UNKNOWN;
  switch (method) {
    case 'upper': return recv.toUpperCase();
    case 'lower': return recv.toLowerCase();
    case 'strip': return args.length === 0 ? recv.trim() : UNKNOWN;
    case 'lstrip': return args.length === 0 ? recv.trimStart() : UNKNOWN;
    case 'rstrip': return args.length === 0 ? recv.trimEnd() : UNKNOWN;
    case 'replace':
      return typeof args[0] === 'string' && typeof args[1] === 'string' ? recv.split(args[0]).join(args[1]) : UNKNOWN;
    case 'startswith': return typeof args[0] === 'string' ? recv.startsWith(args[0]) : UNKNOWN;
    case 'endswith': return typeof args[0] === 'string' ? recv.endsWith(args[0]) : UNKNOWN;
    case 'isdigit': return /^[0-9]+$/.test(recv);
    default: return UNKNOWN;
  }
}
