/** Access to the MITRE CWE catalog, generated at build time from the `cwe-sdk` package. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export interface CweMitigation {
  phase: string;
  description: string;
}
export interface CweWeakness {
  id: number;
  name: string;
  abstraction: 'Pillar' | 'Class' | 'Base' | 'Variant' | 'Compound' | string;
  status: string;
  description: string;
  extendedDescription: string;
  mitigations: CweMitigation[];
  parents: number[];
}
interface CweEntry {
  id: number;
  name: string;
  status: string;
}
interface Catalog {
  version: string;
  weaknesses: Record<string, CweWeakness>;
  categories: Record<string, CweEntry>;
  views: Record<string, CweEntry>;
}

let catalog: Catalog | undefined;

function load(): Catalog {
  if (!catalog) {
    const here = dirname(fileURLToPath(import.meta.url));
    // dist/src/core -> repo root
    const candidates = [join(here, '..', '..', '..', 'generated', 'cwe-catalog.json'), join(here, '..', '..', 'generated', 'cwe-catalog.json')];
    let lastError: unknown;
    for (const path of candidates) {
      try {
        catalog = JSON.parse(readFileSync(path, 'utf8')) as Catalog;
        break;
      } catch (e) {
        lastError = e;
      }
    }
    if (!catalog) throw new Error(`CWE catalog not built (run npm run build): ${String(lastError)}`);
  }
  return catalog;
}

export function cweCatalogVersion(): string {
  return load().version;
}

export function getWeakness(id: number): CweWeakness | undefined {
  return load().weaknesses[String(id)];
}

/** Official MITRE name of a weakness, category or view. Throws for an id the catalog does not know. */
export function cweName(id: number): string {
  const c = load();
  const e = c.weaknesses[String(id)] ?? c.categories[String(id)] ?? c.views[String(id)];
  if (!e) throw new Error(`CWE-${id} is not in the MITRE CWE catalog ${c.version}`);
  return e.name;
}

export type CweKind = 'weakness' | 'category' | 'view' | 'unknown';
export function cweKind(id: number): CweKind {
  const c = load();
  if (c.weaknesses[String(id)]) return 'weakness';
  if (c.categories[String(id)]) return 'category';
  if (c.views[String(id)]) return 'view';
  return 'unknown';
}

/** "CWE-78: Improper Neutralization of ... ('OS Command Injection')" */
export function cweTitle(id: number): string {
  return `CWE-${id}: ${cweName(id)}`;
}
