/**
 * The scan pipeline: discover files, decode and lower them, run the whole-program taint engine and
 * the pattern rules, then turn results into findings with fingerprints, suppressions and thresholds.
 */
import path from 'node:path';
import type { Confidence, Diagnostic, EvidenceStep, Finding, Location, Severity } from './core/finding.js';
import { compareFindings, confidenceRank, severityRank, CONFIDENCES, SEVERITIES } from './core/finding.js';
import type { ScanResult } from './core/result.js';
import type { ModuleIR } from './ir/types.js';
import { discoverFiles } from './discovery/files.js';
import { PhaseTimer } from './core/timings.js';
import { loadModules, type LoadInput, type ParallelThreshold } from './parallel/load-modules.js';
import { pythonModuleName } from './lang/python/module-name.js';
import { Program } from './analysis/program.js';
import { changeRoots, moduleDependencies } from './analysis/slice.js';
import { importClosureShare } from './analysis/import-hint.js';
import { contentHash, ResultCache, resultKey, type CachedAnalysis } from './cache/result-cache.js';
import { pruneModuleCache } from './cache/module-cache.js';
import { decodeSource } from './discovery/decode.js';
import { sourceLines } from './lang/python/lower.js';
import { Engine } from './analysis/taint/engine.js';
import { loadModels } from './analysis/taint/models.js';
import type { RawFlow } from './analysis/taint/summary.js';
import type { Loc } from './analysis/taint/values.js';
import { createRuleContext, isTestPath } from './analysis/rule-context.js';
import { allRules } from './rules/index.js';
import { isTaintRule, type PatternRule, type Rule, type TaintRule } from './rules/types.js';
import { assignFingerprints } from './core/fingerprint.js';
import { applySuppressions } from './core/suppressions.js';
import { applyBaseline, readBaseline } from './core/baseline.js';
import type { RedlineConfig } from './config/config.js';
import { VERSION } from './version.js';

export interface ScanOptions {
  roots: string[];
  /** Paths in findings are relative to this directory (default: the common directory of the roots). */
  baseDir?: string;
  config: RedlineConfig;
  /** Extra exclude globs from the command line. */
  exclude?: string[];
  baseline?: string;
  /**
   * Already-read sources instead of the files on disk (review): bytes are decoded like a file (a
   * base revision's blobs: same diagnostics and cache keys as a scan of those files), text is taken
   * as decoded (a patched file).
   */
  sources?: Map<string, string | Uint8Array>;
  /**
   * One finding per rule, sink and source instead of per rule and sink (review uses this so a new
   * source reaching a sink that an old source already reached is still a new finding).
   */
  findingPerSource?: boolean;
  /** Worker threads for parsing (default 1: in-process). */
  jobs?: number;
  /**
   * When `jobs` > 1 brings in workers (default: loadModules' DEFAULT_PARALLEL_THRESHOLD; `false`:
   * always). Tests use `false` so a small tree goes through the workers too.
   */
  parallelThreshold?: ParallelThreshold | false;
  /** Do not read or write the module and result caches. */
  noCache?: boolean;
  /**
   * Review: given the input files, the changed ones. Only the part of the program that depends on
   * them, and what that part depends on, is analysed (analysis/slice.ts).
   */
  focus?: (files: readonly string[]) => Iterable<string>;
  /** Called as files are loaded (progress bars). */
  onProgress?: (done: number, total: number) => void;
}

/** What reports and reviews need of an analysed file. */
export interface SourceFile {
  lines: string[];
}

export interface AnalysisOutput {
  result: ScanResult;
  /** relPath -> source of every analysed file, in input order. */
  files: Map<string, SourceFile>;
  /** The findings came from the result cache: nothing was parsed or analysed. */
  reused: boolean;
  /** Worker threads the front end started (0: it ran in-process, or nothing was loaded). */
  workers: number;
  /** With `focus`: the files whose findings were computed (the change's roots: changed modules and their dependents); absent: every analysed file. */
  scope?: ReadonlySet<string>;
}

/** A change whose roots (changed modules and their dependents) cover at least this share of the modules is analysed as the whole program. */
const WHOLE_PROGRAM_SHARE = 0.75;

function commonBaseDir(roots: string[]): string {
  const abs = roots.map((r) => path.resolve(r));
  const dirs = abs.map((a) => a);
  let base = dirs[0] ?? process.cwd();
  for (const d of dirs.slice(1)) {
    while (!(d === base || d.startsWith(base.endsWith(path.sep) ? base : base + path.sep))) base = path.dirname(base);
  }
  return base;
}

/** Enabled rules after config `rules`/`cwes` enable/disable lists. */
export function selectRules(config: RedlineConfig): Rule[] {
  return allRules.filter((r) => {
    if (config.rules.disable.includes(r.meta.id)) return false;
    if (config.cwes.disable.some((c) => r.meta.cwes.includes(c))) return false;
    const hasEnable = config.rules.enable.length > 0 || config.cwes.enable.length > 0;
    if (!hasEnable) return true;
    return config.rules.enable.includes(r.meta.id) || config.cwes.enable.some((c) => r.meta.cwes.includes(c));
  });
}

export async function analyze(opts: ScanOptions): Promise<AnalysisOutput> {
  const started = Date.now();
  const config = opts.config;
  const baseDir = path.resolve(opts.baseDir ?? commonBaseDir(opts.roots.map((r) => (isDirSync(r) ? r : path.dirname(r)))));
  const diagnostics: Diagnostic[] = [];
  let skipped = 0;

  const sourceTexts = opts.sources;
  let files: Array<{ relPath: string; absPath: string; size?: number }>;
  if (sourceTexts) {
    files = [...sourceTexts.keys()].sort().map((relPath) => ({ relPath, absPath: path.join(baseDir, relPath) }));
  } else {
    const found = await discoverFiles(opts.roots, {
      baseDir,
      include: config.include,
      exclude: [...config.exclude, ...(opts.exclude ?? [])],
      maxFileSize: config.maxFileSize,
    });
    diagnostics.push(...found.diagnostics);
    skipped += found.diagnostics.filter((d) => d.file).length;
    files = found.files;
  }

  const inputs: LoadInput[] = [];
  for (const f of files) {
    if (config.tests === 'skip' && isTestPath(f.relPath)) {
      skipped++;
      continue;
    }
    const n = pythonModuleName(f.relPath);
    const given = sourceTexts?.get(f.relPath);
    inputs.push({
      relPath: f.relPath,
      absPath: f.absPath,
      moduleName: n.name,
      isPackage: n.isPackage,
      size: f.size ?? (given instanceof Uint8Array ? given.byteLength : undefined),
      ...(typeof given === 'string' ? { text: given } : given ? { bytes: given } : {}),
    });
  }
  const focus = opts.focus ? [...new Set(opts.focus(inputs.map((i) => i.relPath)))].sort() : undefined;
  const rules = selectRules(config);
  const useCache = config.cache && !opts.noCache;

  // An unchanged input set is answered from the result cache without parsing anything.
  const snapshot = useCache ? readInputs(inputs) : undefined;
  const resultCache = snapshot ? new ResultCache(config.cacheDir) : undefined;
  const keyFor = (f: string[] | undefined): string => resultKey({ files: snapshot!.hashes, settings: analysisSettings(config, opts, f), extraModels: config.models.map(readTextOrEmpty) });
  const key = snapshot ? keyFor(focus) : undefined;
  // A whole-program result of the same inputs answers any focused analysis of them.
  const wholeKey = snapshot && focus ? keyFor(undefined) : key;
  let core = key ? (resultCache!.get(key) ?? (wholeKey !== key ? resultCache!.get(wholeKey!) : undefined)) : undefined;
  const reused = core !== undefined;
  let workers = 0;
  let sources: Map<string, SourceFile>;
  if (core) {
    sources = new Map(core.analysedFiles.map((f) => [f, { lines: snapshot!.lines(f) }]));
  } else {
    const computed = await analyzeInputs(inputs, rules, opts, focus);
    core = computed.core;
    workers = computed.workers;
    // Only the lines outlive the analysis: the trees can be collected. A focused analysis leaves
    // most modules' lines encoded (cache/module-payload.ts): they are read if a report shows them.
    sources = new Map([...computed.modules].map(([f, m]) => [f, focus ? linesOnUse(m) : { lines: m.lines }]));
    if (key) {
      resultCache!.put(core.scopeFiles === undefined ? wholeKey! : key, core);
      pruneModuleCache(config.cacheDir);
    }
  }
  diagnostics.push(...core.diagnostics);
  skipped += core.skipped;

  let findings = opts.findingPerSource ? core.findingsPerSource : core.findings;
  if (opts.baseline) findings = applyBaseline(findings, readBaseline(opts.baseline));
  let belowThreshold = 0;
  findings = findings.filter((f) => {
    const ok = severityRank(f.severity) >= severityRank(config.minSeverity) && confidenceRank(f.confidence) >= confidenceRank(config.minConfidence);
    if (!ok) belowThreshold++;
    return ok;
  });
  findings.sort(compareFindings);
  diagnostics.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || a.code.localeCompare(b.code));

  const result: ScanResult = {
    tool: { name: 'redline', version: VERSION },
    kind: 'scan',
    roots: opts.roots,
    baseDir,
    findings,
    diagnostics,
    rules: rules.map((r) => r.meta),
    stats: {
      filesScanned: core.filesScanned,
      filesSkipped: skipped,
      linesScanned: core.lines,
      bytesScanned: core.bytes,
      durationMs: Date.now() - started,
      suppressed: findings.filter((f) => f.suppression).length,
      belowThreshold,
    },
  };
  return { result, files: sources, reused, workers, scope: core.scopeFiles ? new Set(core.scopeFiles) : undefined };
}

function linesOnUse(m: ModuleIR): SourceFile {
  return {
    get lines() {
      return m.lines;
    },
  };
}

/** Loads the modules and runs the engine and the rules: everything the result cache stands for. */
async function analyzeInputs(inputs: LoadInput[], rules: Rule[], opts: ScanOptions, focus: string[] | undefined): Promise<{ core: CachedAnalysis; modules: Map<string, ModuleIR>; workers: number }> {
  const config = opts.config;
  const diagnostics: Diagnostic[] = [];
  const timer = new PhaseTimer(focus ? 'focused' : 'whole');
  // A focused analysis reads the bodies of the part of the program it analyses only, unless the
  // imports say that part will be (nearly) the whole program: then lazy decoding only costs.
  const lazyBodies = focus !== undefined && !likelyWholeProgram(inputs, focus);
  const loaded = await loadModules(inputs, { jobs: opts.jobs ?? 1, parallelThreshold: opts.parallelThreshold, cacheDir: config.cache && !opts.noCache ? config.cacheDir : undefined, lazyBodies, onProgress: opts.onProgress });
  diagnostics.push(...loaded.diagnostics);
  const modules = loaded.modules;

  const taintRules = rules.filter(isTaintRule);
  const patternRules = rules.filter((r): r is PatternRule => !isTaintRule(r));
  timer.mark('front end');
  const program = new Program([...modules.values()]);
  const dependencies = focus ? moduleDependencies(program) : undefined;
  let scope = focus ? changeRoots(program, focus.flatMap((f) => { const m = modules.get(f); return m ? [m.name] : []; }), dependencies) : undefined;
  // A slice of most of the program saves little, and a whole-program result can be reused by any
  // later analysis of the same files (the next review against the same base, say).
  if (scope && scope.size >= WHOLE_PROGRAM_SHARE * modules.size) scope = undefined;
  const models = loadModels('python', config.models);
  const sourceKinds = new Set<string>(config.threatModels);
  for (const r of taintRules) for (const k of r.sourceKinds ?? []) sourceKinds.add(k);
  const engine = new Engine(program, models, { sourceKinds, demand: scope && dependencies ? { roots: scope, dependencies } : undefined });
  timer.mark('program');
  const flows = engine.run();
  timer.mark('engine');
  diagnostics.push(...engine.diagnostics);

  const taintKindsAt = (expr: object): string[] => {
    const kinds = engine.exprKinds.get(expr);
    if (!kinds) return [];
    const out = [...kinds];
    if (out.some((k) => k.startsWith('sensitive-'))) out.push('sensitive');
    if (kinds.has('sensitive-password')) out.push('password');
    return out.sort();
  };
  const patternFindings: Array<Omit<Finding, 'fingerprint'>> = [];
  for (const m of modules.values()) if (!scope || scope.has(m.name)) patternFindings.push(...runPatternRules(patternRules, program, m, taintKindsAt, diagnostics));
  timer.mark('rules');

  const known = new Set(allRules.map((r) => r.meta.id));
  const banditIds = new Map(allRules.map((r) => [r.meta.id, r.meta.banditIds ?? []]));
  const threatModels = new Set(config.threatModels);
  // Both forms are kept, so a scan's result can serve a review (which reports per source) and back.
  const finalise = (perSource: boolean): ReturnType<typeof applySuppressions> => {
    const raw: Array<Omit<Finding, 'fingerprint'> & { fingerprint?: string }> = [
      ...flowsToFindings(flows, taintRules, modules, threatModels, perSource),
      // Copies: fingerprints and suppressions are set on the objects of each form.
      ...patternFindings.map((f) => ({ ...f })),
    ];
    // Test files: findings there are rarely what a reviewer raises.
    const adjusted = (perSource ? raw : oneFindingPerWeaknessAndLine(raw)).flatMap((f) => {
      if (!isTestPath(f.location.file) || config.tests === 'include') return [f];
      if (config.tests === 'skip') return [];
      return [{ ...f, severity: lower(SEVERITIES, f.severity), confidence: 'low' as Confidence }];
    });
    const fingerprinted = assignFingerprints(adjusted, (file) => modules.get(file)?.lines);
    return applySuppressions(fingerprinted, modules, { nosec: config.nosec, knownRuleIds: known, banditIdsByRule: banditIds });
  };
  const sup = finalise(false);
  const perSource = finalise(true);
  diagnostics.push(...sup.warnings);
  timer.mark('findings');
  const core: CachedAnalysis = {
    findings: sup.findings,
    findingsPerSource: perSource.findings,
    diagnostics,
    filesScanned: modules.size,
    skipped: loaded.skipped,
    lines: loaded.lines,
    bytes: loaded.bytes,
    analysedFiles: [...modules.keys()],
    scopeFiles: scope ? [...modules.values()].filter((m) => scope.has(m.name)).map((m) => m.file) : undefined,
  };
  return { core, modules, workers: loaded.workers };
}

/**
 * Whether the textual import closure of the focus reaches the share of modules at which a slice is
 * analysed as the whole program. Only for sources already in memory (a review's): reading every
 * file once more to guess would cost more than it saves.
 */
function likelyWholeProgram(inputs: LoadInput[], focus: string[]): boolean {
  if (focus.length === 0 || inputs.some((i) => i.text === undefined && i.bytes === undefined)) return false;
  const changed = new Set(focus);
  const files = inputs.map((i) => ({ moduleName: i.moduleName, isPackage: i.isPackage, source: (i.text ?? i.bytes)! }));
  return importClosureShare(files, inputs.filter((i) => changed.has(i.relPath)).map((i) => i.moduleName)) >= WHOLE_PROGRAM_SHARE;
}

/** Everything besides the inputs that changes what `analyzeInputs` produces. */
function analysisSettings(config: RedlineConfig, opts: ScanOptions, focus: string[] | undefined): unknown {
  return {
    rules: config.rules,
    cwes: config.cwes,
    threatModels: config.threatModels,
    models: config.models,
    tests: config.tests,
    nosec: config.nosec,
    focus: focus ?? null,
  };
}

function readTextOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Content hashes of the inputs (unreadable files hash as absent) and their source lines on demand. */
function readInputs(inputs: LoadInput[]): { hashes: Array<[string, string]>; lines: (relPath: string) => string[] } {
  const bytes = new Map<string, Buffer>();
  const hashes: Array<[string, string]> = [];
  for (const i of inputs) {
    let b: Buffer | undefined;
    if (i.text !== undefined) b = Buffer.from(i.text, 'utf8');
    else if (i.bytes) b = Buffer.from(i.bytes.buffer, i.bytes.byteOffset, i.bytes.byteLength);
    else {
      try {
        b = readFileSync(i.absPath);
      } catch {
        b = undefined;
      }
    }
    hashes.push([i.relPath, b ? contentHash(b) : '-']);
    if (b) bytes.set(i.relPath, b);
  }
  const texts = new Map(inputs.filter((i) => i.text !== undefined).map((i) => [i.relPath, i.text!]));
  return {
    hashes,
    lines: (relPath) => {
      const text = texts.get(relPath);
      if (text !== undefined) return sourceLines(text);
      const b = bytes.get(relPath);
      const decoded = b ? decodeSource(b, relPath) : undefined;
      return decoded && 'text' in decoded ? sourceLines(decoded.text) : [];
    },
  };
}

export async function runScan(opts: ScanOptions): Promise<ScanResult> {
  return (await analyze(opts)).result;
}

function isDirSync(p: string): boolean {
  try {
    return statSyncSafe(p);
  } catch {
    return false;
  }
}

import { readFileSync, statSync } from 'node:fs';
function statSyncSafe(p: string): boolean {
  return statSync(p).isDirectory();
}

function lower<T>(order: readonly T[], v: T): T {
  const i = order.indexOf(v);
  return order[Math.max(0, i - 1)]!;
}

function toLocation(l: Loc): Location {
  return { file: l.file, startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: l.endColumn };
}

function codeAt(modules: Map<string, ModuleIR>, loc: Location): string {
  const m = modules.get(loc.file);
  if (!m) return '';
  const last = Math.min(loc.endLine, loc.startLine + 4);
  return m.lines.slice(loc.startLine - 1, last).join('\n');
}

function lineAt(modules: Map<string, ModuleIR>, file: string, line: number): string {
  return (modules.get(file)?.lines[line - 1] ?? '').trim();
}

/** Taint flows become findings: one per rule and sink location, with the shortest path kept. */
function flowsToFindings(flows: RawFlow[], rules: TaintRule[], modules: Map<string, ModuleIR>, threatModels: Set<string>, perSource: boolean): Array<Omit<Finding, 'fingerprint'>> {
  const best = new Map<string, { flow: RawFlow; rule: TaintRule }>();
  for (const flow of flows) {
    for (const rule of rules) {
      if (!rule.sinkKinds.includes(flow.site.kind)) continue;
      const accepted = rule.sourceKinds ?? [...threatModels];
      if (!accepted.includes(flow.label.origin.kind === 'source' ? flow.label.origin.sourceKind : '')) continue;
      const l = rule.reportAt === 'source' && flow.label.origin.kind === 'source' ? flow.label.origin.loc : flow.site.loc;
      const o = flow.label.origin;
      const sourceKey = perSource && o.kind === 'source' ? `|${o.loc.file}|${o.loc.line}|${o.loc.column}` : '';
      const key = `${rule.meta.id}|${l.file}|${l.line}|${l.column}${sourceKey}`;
      const prev = best.get(key);
      if (!prev || flow.steps.length < prev.flow.steps.length || (flow.steps.length === prev.flow.steps.length && flowOrderKey(flow) < flowOrderKey(prev.flow))) {
        best.set(key, { flow, rule });
      }
    }
  }
  const out: Array<Omit<Finding, 'fingerprint'>> = [];
  for (const { flow, rule } of best.values()) {
    const origin = flow.label.origin;
    if (origin.kind !== 'source') continue;
    const location = toLocation(rule.reportAt === 'source' ? origin.loc : flow.site.loc);
    const evidence: EvidenceStep[] = flow.steps.map((s) => ({
      kind: s.kind,
      location: toLocation(s.loc),
      message: s.message,
      code: lineAt(modules, s.loc.file, s.loc.line),
    }));
    const desc = { sourceText: origin.description, sourceKind: origin.sourceKind, sinkText: flow.site.text, sinkCallee: flow.site.callee, sinkKind: flow.site.kind, sinkArgument: flow.site.argument };
    const crossesFiles = evidence.some((e) => e.location.file !== location.file);
    out.push({
      ruleId: rule.meta.id,
      cwes: rule.meta.cwes,
      severity: rule.meta.severity,
      securitySeverity: rule.meta.securitySeverity,
      confidence: rule.confidence,
      location,
      code: codeAt(modules, location),
      message: rule.message(desc),
      fix: rule.fix(desc),
      evidence,
      enclosing: enclosingName(modules.get(location.file), location.startLine) ?? flow.enclosing,
      origin: 'static',
      properties: { sourceKind: origin.sourceKind, sinkKind: flow.site.kind, crossesFiles, pathLength: evidence.length },
    });
  }
  return out;
}

/**
 * Two rules can see the same weakness on the same line (a pattern rule and a taint rule for weak
 * randomness): report it once, keeping the finding with the most evidence, then the most confident.
 */
function oneFindingPerWeaknessAndLine<T extends Omit<Finding, 'fingerprint'>>(findings: T[]): T[] {
  const best = new Map<string, T>();
  const better = (a: T, b: T): boolean =>
    a.evidence.length !== b.evidence.length
      ? a.evidence.length > b.evidence.length
      : a.confidence !== b.confidence
        ? confidenceRank(a.confidence) > confidenceRank(b.confidence)
        : severityRank(a.severity) !== severityRank(b.severity)
          ? severityRank(a.severity) > severityRank(b.severity)
          : a.ruleId < b.ruleId;
  for (const f of findings) {
    const key = `${f.location.file}\u0000${f.location.startLine}\u0000${f.cwes[0]}`;
    const prev = best.get(key);
    if (!prev || better(f, prev)) best.set(key, f);
  }
  return findings.filter((f) => best.get(`${f.location.file}\u0000${f.location.startLine}\u0000${f.cwes[0]}`) === f);
}

function flowOrderKey(f: RawFlow): string {
  const o = f.label.origin;
  return o.kind === 'source' ? `${o.loc.file}:${String(o.loc.line).padStart(8, '0')}:${String(o.loc.column).padStart(6, '0')}` : '';
}

function runPatternRules(rules: PatternRule[], program: Program, module: ModuleIR, taintKindsAt: (e: object) => string[], diagnostics: Diagnostic[]): Array<Omit<Finding, 'fingerprint'>> {
  const out: Array<Omit<Finding, 'fingerprint'>> = [];
  const single = new Map([[module.file, module]]);
  let rule: PatternRule | undefined;
  // One context per module, shared by every rule, so name resolution and the walk are done once.
  const ctx = createRuleContext({
    program,
    module,
    isTestFile: isTestPath(module.file),
    taintKindsAt,
    report: (r) => {
      const current = rule!;
      const location: Location = { file: module.file, startLine: r.span.startLine, startColumn: r.span.startColumn, endLine: r.span.endLine, endColumn: r.span.endColumn };
      out.push({
        ruleId: current.meta.id,
        cwes: r.cwes ?? current.meta.cwes,
        severity: r.severity ?? current.meta.severity,
        securitySeverity: current.meta.securitySeverity,
        confidence: r.confidence ?? defaultConfidence(current.meta.precision),
        location,
        code: codeAt(single, location),
        message: r.message,
        fix: r.fix ?? firstLine(current.meta.docs.fix),
        evidence: r.evidence ?? [],
        enclosing: enclosingName(module, location.startLine) ?? '<module>',
        origin: 'static',
      });
    },
  });
  for (rule of rules) {
    try {
      rule.check(ctx);
    } catch (e) {
      // A rule bug must not kill the scan: the rule is skipped for this file and the user is told.
      diagnostics.push({ level: 'error', code: 'internal-error', file: module.file, message: `rule ${rule.meta.id} failed: ${(e as Error).message.split('\n')[0]}` });
    }
  }
  return out;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

function defaultConfidence(p: string): Confidence {
  return p === 'very-high' || p === 'high' ? 'high' : p === 'medium' ? 'medium' : 'low';
}

/** Name of the innermost function or class whose span covers the line (for fingerprints and reports). */
export function enclosingName(m: ModuleIR | undefined, line: number): string | undefined {
  if (!m) return undefined;
  let found: string | undefined;
  const visit = (stmts: ModuleIR['body'], prefix: string): void => {
    for (const s of stmts) {
      if (s.span.startLine > line || s.span.endLine < line) continue;
      if (s.k === 'funcdef') {
        found = prefix + s.fn.name;
        visit(s.fn.body, `${found}.`);
      } else if (s.k === 'classdef') {
        found = prefix + s.cls.name;
        visit(s.cls.body, `${found}.`);
      } else if (s.k === 'if' || s.k === 'while' || s.k === 'for') {
        visit(s.body, prefix);
        visit(s.orelse, prefix);
      } else if (s.k === 'try') {
        visit(s.body, prefix);
        for (const h of s.handlers) visit(h.body, prefix);
        visit(s.orelse, prefix);
        visit(s.finalbody, prefix);
      } else if (s.k === 'with') visit(s.body, prefix);
    }
  };
  visit(m.body, '');
  return found;
}

export const _internals = { CONFIDENCES };
