// Builds generated/cwe-catalog.json from the MITRE CWE catalog shipped in the `cwe-sdk` package.
// CWE names, descriptions and mitigations are never typed by hand in redline: they come from here.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'generated', 'cwe-catalog.json');
const sdkDir = dirname(require.resolve('cwe-sdk/package.json'));
const dictPath = join(sdkDir, 'raw', 'cwe-dictionary.json');

if (existsSync(out) && statSync(out).mtimeMs > statSync(dictPath).mtimeMs && statSync(out).mtimeMs > statSync(fileURLToPath(import.meta.url)).mtimeMs) {
  process.exit(0);
}

/** Flattens the xhtml-as-JSON structures of the catalog into plain text paragraphs. */
function text(node) {
  if (node == null) return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node).replace(/\s+/g, ' ').trim();
  if (Array.isArray(node)) return node.map(text).filter(Boolean).join('\n');
  if (typeof node === 'object') {
    return Object.entries(node)
      .filter(([k]) => k !== 'attr' && !k.startsWith('@_'))
      .map(([, v]) => text(v))
      .filter(Boolean)
      .join('\n');
  }
  return '';
}
const asArray = (x) => (x == null ? [] : Array.isArray(x) ? x : [x]);

const dict = require(dictPath);
const archive = require(join(sdkDir, 'raw', 'cwe-archive.json')).Weakness_Catalog;
const weaknesses = {};
for (const [id, w] of Object.entries(dict)) {
  const attr = w.attr ?? {};
  const parents = asArray(w.Related_Weaknesses?.Related_Weakness)
    .filter((r) => r.attr?.['@_Nature'] === 'ChildOf')
    .map((r) => Number(r.attr['@_CWE_ID']));
  weaknesses[id] = {
    id: Number(id),
    name: attr['@_Name'],
    abstraction: attr['@_Abstraction'],
    status: attr['@_Status'],
    description: text(w.Description),
    extendedDescription: text(w.Extended_Description).slice(0, 2000),
    mitigations: asArray(w.Potential_Mitigations?.Mitigation).map((m) => ({
      phase: asArray(m.Phase).join(', '),
      description: text(m.Description),
    })),
    parents: [...new Set(parents)].sort((a, b) => a - b),
  };
}
const categories = {};
for (const c of asArray(archive.Categories?.Category)) {
  categories[c.attr['@_ID']] = { id: Number(c.attr['@_ID']), name: c.attr['@_Name'], status: c.attr['@_Status'] };
}
const views = {};
for (const v of asArray(archive.Views?.View)) {
  views[v.attr['@_ID']] = { id: Number(v.attr['@_ID']), name: v.attr['@_Name'], status: v.attr['@_Status'] };
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ version: archive.attr?.['@_Version'] ?? 'unknown', weaknesses, categories, views }));
console.log(`cwe catalog: ${Object.keys(weaknesses).length} weaknesses, ${Object.keys(categories).length} categories, ${Object.keys(views).length} views (CWE ${archive.attr?.['@_Version']})`);
