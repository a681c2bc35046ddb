/** CWE labels for reports, always taken from the MITRE catalog (src/core/cwe.ts). */
import { cweKind, cweName } from '../core/cwe.js';

/** Official name, or undefined when the catalog does not know the id (a report must not crash on it). */
export function officialCweName(id: number): string | undefined {
  return cweKind(id) === 'unknown' ? undefined : cweName(id);
}

/** "CWE-78: Improper Neutralization ..." or just "CWE-78" for an id outside the catalog. */
export function cweLabel(id: number): string {
  const name = officialCweName(id);
  return name === undefined ? `CWE-${id}` : `CWE-${id}: ${name}`;
}

/**
 * The short form MITRE puts in quotes at the end of many names, e.g. 'OS Command Injection',
 * falling back to the whole name. Used where a full title would be too long.
 */
export function cweShortName(id: number): string {
  const name = officialCweName(id);
  if (name === undefined) return `CWE-${id}`;
  const quoted = /\('([^']+)'\)\s*$/.exec(name);
  return quoted ? quoted[1] : name;
}
