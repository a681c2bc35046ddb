/** Endpoint policy: HTTPS, or plain HTTP only to this machine. */
import { isIPv4 } from 'node:net';

/** Returns why the URL may not be used, or undefined when it may. Opens no connection. */
export function endpointProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `LLM endpoint ${JSON.stringify(url)} is not a valid URL; static report unchanged`;
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol !== 'http:') return `LLM endpoint ${url} refused: only https:// (or http:// to a loopback host) is allowed; static report unchanged`;
  if (isLoopbackHost(parsed.hostname)) return undefined;
  return `LLM endpoint ${url} refused: plain http:// is allowed only to a loopback host (127.0.0.0/8, ::1, localhost); use https://; static report unchanged`;
}

/** 127.0.0.0/8, ::1 and localhost. `hostname` as URL gives it (IPv6 in brackets). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost') return true;
  if (host === '[::1]' || host === '::1') return true;
  return isIPv4(host) && host.split('.')[0] === '127';
}
