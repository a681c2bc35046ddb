/** Shared helpers for the engine tests: temp-dir programs, scanning, and small finding views. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyze, type AnalysisOutput } from '../../src/scan.js';
import { defaultConfig } from '../../src/config/schema.js';
import type { Finding } from '../../src/core/finding.js';
import { Program } from '../../src/analysis/program.js';
import { parsePython } from '../../src/lang/python/lower.js';
import { pythonModuleName } from '../../src/lang/python/module-name.js';

/** Strips the common leading indentation so programs can be written inline. */
export function dedent(s: string): string {
  const lines = s.replace(/^\n/, '').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

/** Writes `files` (relative path -> source) under a fresh temp directory; returns the directory. */
export function writeTree(files: Record<string, string>, prefix = 'redline-engine-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return dir;
}

export async function scanDir(dir: string): Promise<AnalysisOutput> {
  return analyze({ roots: [dir], baseDir: dir, config: { ...defaultConfig(dir), cache: false } });
}

/** Scans a throw-away program and removes it afterwards. */
export async function scanFiles(files: Record<string, string>): Promise<AnalysisOutput> {
  const dir = writeTree(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, dedent(v)])));
  try {
    return await scanDir(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `ruleId@file:line` for each finding, sorted: compact enough for deepEqual. */
export function brief(findings: Finding[], ruleId?: string): string[] {
  return findings
    .filter((f) => !ruleId || f.ruleId === ruleId)
    .map((f) => `${f.ruleId}@${f.location.file}:${f.location.startLine}`)
    .sort();
}

/** Builds a Program from inline sources keyed by relative path. */
export function programOf(files: Record<string, string>): Program {
  const mods = Object.entries(files).map(([rel, text]) => {
    const n = pythonModuleName(rel);
    return parsePython(dedent(text), rel, { moduleName: n.name, isPackage: n.isPackage }).module;
  });
  return new Program(mods);
}
