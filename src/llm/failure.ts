/** Classifies what went wrong with one chat request, and how long to wait before trying again. */
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';

export type FailureKind =
  /** Could not connect at all (refused, DNS, unreachable host): the endpoint is down. */
  | 'unreachable'
  /** Worth another try: 429, 5xx, timeout, connection reset. */
  | 'transient'
  /** The endpoint rejected the request (400, 401, 403, 404 ...): retrying will not help. */
  | 'rejected';

export interface Failure {
  kind: FailureKind;
  /** One line, e.g. "connect ECONNREFUSED", "HTTP 503", "timed out after 500 ms". */
  reason: string;
  status?: number;
  /** Server-requested delay (Retry-After / retry-after-ms), when given. */
  retryAfterMs?: number;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN']);

export function classifyFailure(err: unknown, timeoutMs: number): Failure {
  if (err instanceof APIConnectionTimeoutError) return { kind: 'transient', reason: `timed out after ${timeoutMs} ms` };
  if (err instanceof APIConnectionError) {
    const sys = systemError(err);
    if (sys) return { kind: sys.code && UNREACHABLE_CODES.has(sys.code) ? 'unreachable' : 'transient', reason: sys.text };
    return { kind: 'transient', reason: oneLine(err.message) };
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const status = err.status;
    const retryAfterMs = parseRetryAfter(err.headers);
    const reason = `HTTP ${status}${detail(err)}`;
    if (status === 429 || status === 408 || status >= 500) return { kind: 'transient', reason, status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    return { kind: 'rejected', reason, status };
  }
  return { kind: 'rejected', reason: oneLine(err instanceof Error ? err.message : String(err)) };
}

/** Delay before retry number `attempt` (0-based): Retry-After when given, else 500 ms doubling, at most 8 s. */
export function retryDelayMs(failure: Failure, attempt: number): number {
  if (failure.retryAfterMs !== undefined) return failure.retryAfterMs;
  return Math.min(8_000, 500 * 2 ** attempt);
}

/** A Retry-After longer than this is not waited for: the request fails instead. */
export const MAX_RETRY_AFTER_MS = 10_000;

/** retry-after-ms, then Retry-After (seconds or an HTTP date). */
export function parseRetryAfter(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The innermost cause carrying a Node system error code: "connect ECONNREFUSED". */
function systemError(err: Error): { code?: string; text: string } | undefined {
  let cur: unknown = err;
  let found: { code?: string; text: string } | undefined;
  for (let depth = 0; cur && typeof cur === 'object' && depth < 6; depth++) {
    const e = cur as { code?: unknown; syscall?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof e.code === 'string') {
      found = { code: e.code, text: typeof e.syscall === 'string' ? `${e.syscall} ${e.code}` : e.code };
    } else if (Array.isArray(e.errors) && e.errors[0]) {
      cur = e.errors[0]; // AggregateError from happy eyeballs
      continue;
    }
    cur = e.cause;
  }
  return found;
}

function detail(err: APIError): string {
  const raw = err.error as { message?: unknown } | undefined;
  const msg = typeof raw?.message === 'string' ? raw.message : '';
  return msg ? `: ${oneLine(msg).slice(0, 160)}` : '';
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
