/**
 * The annotated-fixture harness shared by the fixture test and `npm run bench:accuracy`.
 * `# expect: CWE-89` marks a line that must be flagged with that CWE; `# safe: CWE-89` a look-alike
 * that must not be. Each fixture directory is scanned as one program.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../scan.js';
import { defaultConfig } from '../config/schema.js';
import type { Finding } from '../core/finding.js';

export interface Expectation {
  file: string; // relative to the fixture dir
  line: number;
  cwe: number;
  kind: 'expect' | 'safe';
}

export interface FixtureOutcome {
  dir: string;
  expectations: Expectation[];
  findings: Finding[];
  truePositives: Expectation[];
  falseNegatives: Expectation[];
  /** `# safe:` lines that were flagged with that CWE. */
  falsePositives: Expectation[];
  /** Findings on lines without any annotation for their CWE (informational). */
  unannotated: Finding[];
}

const ANNOTATION = /#\s*(expect|safe):\s*((?:CWE-\d+\s*,?\s*)+)/gi;

export function parseAnnotations(text: string, file: string): Expectation[] {
  const out: Expectation[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(ANNOTATION)) {
      for (const c of m[2]!.matchAll(/CWE-(\d+)/gi)) out.push({ file, line: i + 1, cwe: Number(c[1]), kind: m[1]!.toLowerCase() as 'expect' | 'safe' });
    }
  });
  return out;
}

function pythonFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...pythonFiles(p, base));
    else if (name.endsWith('.py')) out.push(path.relative(base, p).split(path.sep).join('/'));
  }
  return out;
}

/** Every `.py` file below `dir`, as absolute paths, in a stable (sorted) order. */
export function pythonFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...pythonFilesUnder(p));
    else if (name.endsWith('.py')) out.push(p);
  }
  return out;
}

/** Fixture program directories: each direct subdirectory of the given roots. */
export function fixtureDirs(roots: string[]): string[] {
  const dirs: string[] = [];
  for (const r of roots) {
    for (const name of readdirSync(r).sort()) {
      const p = path.join(r, name);
      if (statSync(p).isDirectory()) dirs.push(p);
    }
  }
  return dirs;
}

/** Every annotated fixture program of the repository: taint, rules and held-out sets, and the example. */
export function allFixtureDirs(repoRoot: string): string[] {
  const base = path.join(repoRoot, 'test/fixtures/python');
  return [...fixtureDirs(['taint', 'rules', 'heldout'].map((d) => path.join(base, d))), path.join(repoRoot, 'examples/flask-service')];
}

export async function evaluateFixtureDir(dir: string): Promise<FixtureOutcome> {
  const expectations = pythonFiles(dir).flatMap((f) => parseAnnotations(readFileSync(path.join(dir, f), 'utf8'), f));
  const config = defaultConfig(dir);
  config.minConfidence = 'low';
  config.minSeverity = 'low';
  config.tests = 'include';
  config.cache = false; // fixtures live in the repository: write nothing next to them
  const { result } = await analyze({ roots: [dir], baseDir: dir, config });
  const findings = result.findings.filter((f) => !f.suppression);
  const flagged = (file: string, line: number, cwe: number) =>
    findings.some((f) => f.location.file === file && f.location.startLine === line && f.cwes.includes(cwe));
  const truePositives: Expectation[] = [];
  const falseNegatives: Expectation[] = [];
  const falsePositives: Expectation[] = [];
  for (const e of expectations) {
    const hit = flagged(e.file, e.line, e.cwe);
    if (e.kind === 'expect') (hit ? truePositives : falseNegatives).push(e);
    else if (hit) falsePositives.push(e);
  }
  const unannotated = findings.filter((f) => !expectations.some((e) => e.file === f.location.file && e.line === f.location.startLine && f.cwes.includes(e.cwe)));
  return { dir, expectations, findings, truePositives, falseNegatives, falsePositives, unannotated };
}

export interface CweScore {
  cwe: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
}

export function scoreByCwe(outcomes: FixtureOutcome[]): CweScore[] {
  const by = new Map<number, CweScore>();
  const get = (cwe: number) => {
    let s = by.get(cwe);
    if (!s) by.set(cwe, (s = { cwe, tp: 0, fp: 0, fn: 0, tn: 0, precision: 1, recall: 1 }));
    return s;
  };
  for (const o of outcomes) {
    for (const e of o.truePositives) get(e.cwe).tp++;
    for (const e of o.falseNegatives) get(e.cwe).fn++;
    for (const e of o.falsePositives) get(e.cwe).fp++;
    for (const e of o.expectations) if (e.kind === 'safe' && !o.falsePositives.includes(e)) get(e.cwe).tn++;
  }
  for (const s of by.values()) {
    s.precision = s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp);
    s.recall = s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn);
  }
  return [...by.values()].sort((a, b) => a.cwe - b.cwe);
}
