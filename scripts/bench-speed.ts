/**
 * `npm run bench:speed [-- TREE] [--jobs N] [--pathological | --only-pathological] [--no-bandit] [--no-full] [--no-review] [--no-write] [--timeout S] [--ratio-pairs N]`
 *
 * Speed and memory on a large real Python tree (default: the standard library of `python3`).
 * Every measurement runs in its own child process, so peak RSS is per run:
 *   - tree-sitter's parser alone (read + decode + parse, the tree dropped) in-process;
 *   - front end only (read + decode + parse + lower, `loadModules`): in-process (the floor), on N
 *     workers, and with a cold and a warm module cache;
 *   - full scans through the CLI (`bin/redline.js scan --format json`) with --jobs 1 and --jobs N
 *     on an empty cache directory, then again on the warm cache (unchanged tree);
 *   - a one-file change on a warm cache (unless --no-review): a git copy of the tree's Python files
 *     is scanned, then reviewed (`review --base HEAD`) and rescanned after adding a module, and
 *     reviewed after editing the most imported one, against the scanned base and against a base
 *     no scan has seen;
 *   - Bandit on the same tree when `bandit` is on PATH.
 * Determinism: the JSON reports of --jobs 1 and --jobs N must be equal (durationMs aside), their
 * SARIF renderings byte-identical (from each run's result cache), and the
 * front end's modules must serialise to the same bytes in-process and on workers.
 * `--ratio-pairs N` (default 2) measures the parse floor and a cold full scan back to back N more times.
 * `--pathological` adds generated worst cases (a 50 MB file, 10,000-deep nesting, 100,000 functions).
 * Results go to stdout and, unless --no-write, into BENCHMARKS.md between generated-section markers.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverFiles } from '../src/discovery/files.js';
import { pythonModuleName } from '../src/lang/python/module-name.js';
import { loadModules } from '../src/parallel/load-modules.js';
import { decodeSource } from '../src/discovery/decode.js';
import { sourceLines } from '../src/lang/python/lower.js';
import Parser from 'tree-sitter';
import Python from 'tree-sitter-python';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(repoRoot, 'bin', 'redline.js');
const self = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------------------------------------
// Child mode: one front-end measurement.

interface ChildSpec {
  /** A tree to discover, or explicit files (pathological inputs). */
  root?: string;
  files?: string[];
  jobs: number;
  cacheDir?: string;
  maxFileSize?: number;
  /** Use workers even below DEFAULT_PARALLEL_THRESHOLD (small inputs). */
  forceWorkers?: boolean;
  /** false: `jobs` workers while this thread only deserialises (loadModules' `mainThreadLoads`). */
  mainThreadLoads?: boolean;
  /** Only read, decode and run tree-sitter's parser on each file (no copy of the tree, no lowering). */
  treeSitterOnly?: boolean;
}

interface ChildResult {
  files: number;
  modules: number;
  lines: number;
  bytes: number;
  cacheHits: number;
  workers: number;
  discoverMs: number;
  loadMs: number;
  maxRssKb: number;
  cpuMs: number;
  /** sha256 of the module map as canonical JSON: equal across runs iff the modules are. */
  digest: string;
  diagnostics: Record<string, number>;
}

async function child(spec: ChildSpec): Promise<void> {
  const t0 = performance.now();
  let found: Array<{ relPath: string; absPath: string; size: number }>;
  const diagnostics: Record<string, number> = {};
  if (spec.root) {
    const d = await discoverFiles([spec.root], { baseDir: spec.root, include: [], exclude: [], maxFileSize: spec.maxFileSize ?? 2 * 1024 * 1024 });
    found = d.files;
    for (const x of d.diagnostics) diagnostics[x.code] = (diagnostics[x.code] ?? 0) + 1;
  } else {
    found = (spec.files ?? []).map((f) => ({ relPath: path.basename(f), absPath: f, size: statSync(f).size }));
  }
  const inputs = found.map((f) => {
    const n = pythonModuleName(f.relPath);
    return { relPath: f.relPath, absPath: f.absPath, moduleName: n.name, isPackage: n.isPackage, size: f.size };
  });
  const t1 = performance.now();
  if (spec.treeSitterOnly) return treeSitterOnly(inputs, t0, t1, diagnostics);
  const out = await loadModules(inputs, { jobs: spec.jobs, cacheDir: spec.cacheDir, ...(spec.forceWorkers ? { parallelThreshold: false as const } : {}), mainThreadLoads: spec.mainThreadLoads });
  const t2 = performance.now();
  const cpu = process.cpuUsage();
  for (const x of out.diagnostics) diagnostics[x.code] = (diagnostics[x.code] ?? 0) + 1;
  const h = createHash('sha256');
  // Canonical JSON (v8.serialize bytes depend on V8's internal number and string representations).
  const replacer = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? { $bigint: v.toString() } : v === undefined ? { $undefined: true } : v);
  for (const [k, m] of out.modules) h.update(k).update(JSON.stringify(m, replacer));
  const result: ChildResult = {
    files: inputs.length,
    modules: out.modules.size,
    lines: out.lines,
    bytes: out.bytes,
    cacheHits: out.cacheHits,
    workers: out.workers,
    discoverMs: t1 - t0,
    loadMs: t2 - t1,
    maxRssKb: process.resourceUsage().maxRSS,
    cpuMs: (cpu.user + cpu.system) / 1000,
    digest: h.digest('hex'),
    diagnostics,
  };
  process.stdout.write(`\n@@RESULT ${JSON.stringify(result)}\n`);
}

/** The parser alone: what the issue calls parse-only (the front end also copies the tree and lowers it). */
function treeSitterOnly(inputs: Array<{ relPath: string; absPath: string }>, t0: number, t1: number, diagnostics: Record<string, number>): void {
  const parser = new Parser();
  parser.setLanguage(Python as unknown as Parser.Language);
  let modules = 0;
  let lines = 0;
  let bytes = 0;
  for (const i of inputs) {
    const buf = readFileSync(i.absPath);
    const decoded = decodeSource(buf, i.relPath);
    if (!('text' in decoded)) {
      diagnostics[decoded.diagnostic.code] = (diagnostics[decoded.diagnostic.code] ?? 0) + 1;
      continue;
    }
    bytes += buf.byteLength;
    const tree = parser.parse(decoded.text);
    if (tree.rootNode.hasError) diagnostics['syntax-error'] = (diagnostics['syntax-error'] ?? 0) + 1;
    modules++;
    lines += sourceLines(decoded.text).length;
  }
  const t2 = performance.now();
  const cpu = process.cpuUsage();
  const result: ChildResult = {
    files: inputs.length, modules, lines, bytes, cacheHits: 0, workers: 0, discoverMs: t1 - t0, loadMs: t2 - t1,
    maxRssKb: process.resourceUsage().maxRSS, cpuMs: (cpu.user + cpu.system) / 1000, digest: '', diagnostics,
  };
  process.stdout.write(`\n@@RESULT ${JSON.stringify(result)}\n`);
}

// ---------------------------------------------------------------------------------------------
// Parent mode.

interface Run {
  label: string;
  wallMs: number;
  maxRssKb?: number;
  files?: number;
  lines?: number;
  bytes?: number;
  note?: string;
  timedOut?: boolean;
  /** Whole-program phase -> seconds (CLI runs; REDLINE_TIMINGS). */
  phases?: Record<string, number>;
}

const RSS_HOOK =
  'data:text/javascript,' +
  encodeURIComponent(
    "import {writeFileSync} from 'node:fs'; process.on('exit', () => { if (process.env.REDLINE_BENCH_RUSAGE) writeFileSync(process.env.REDLINE_BENCH_RUSAGE, JSON.stringify(process.resourceUsage())); });",
  );

function runProcess(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs: number; stdoutFile?: string }): Promise<{ code: number | null; wallMs: number; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const p = spawn(cmd, args, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    p.stdout.on('data', (d: Buffer) => {
      if (stdout.length < 1e6) stdout += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 1e5) stderr += d.toString();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      p.kill('SIGKILL');
    }, opts.timeoutMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, wallMs: performance.now() - started, stdout, stderr, timedOut });
    });
  });
}

async function frontEnd(label: string, spec: ChildSpec, timeoutMs: number): Promise<Run & { result?: ChildResult }> {
  // The same young generation as the CLI (bin/redline.js), so front-end rows compare with full scans.
  const r = await runProcess(process.execPath, ['--expose-gc', '--max-semi-space-size=64', self, '--child', JSON.stringify(spec)], { timeoutMs });
  const m = /@@RESULT (.*)/.exec(r.stdout);
  if (!m) return { label, wallMs: r.wallMs, timedOut: r.timedOut, note: r.timedOut ? `killed after ${Math.round(timeoutMs / 1000)} s` : `failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}` };
  const res = JSON.parse(m[1]!) as ChildResult;
  return {
    label,
    wallMs: res.loadMs + res.discoverMs,
    maxRssKb: res.maxRssKb,
    files: res.modules,
    lines: res.lines,
    bytes: res.bytes,
    note: `${res.workers ? `${res.workers} worker${res.workers > 1 ? 's' : ''}` : 'in-process'}${spec.cacheDir ? `, ${res.cacheHits} cache hits` : ''}; CPU ${(res.cpuMs / 1000).toFixed(1)} s${
      Object.keys(res.diagnostics).length ? `; diagnostics ${Object.entries(res.diagnostics).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''
    }`,
    result: res,
  };
}

async function fullScan(label: string, target: string, jobs: number, configFile: string, output: string, timeoutMs: number): Promise<Run & { report?: Record<string, unknown> }> {
  return cliRun(label, ['scan', target], jobs, configFile, output, timeoutMs);
}

/** `redline review --base HEAD` of the working tree of a git repository. */
async function reviewRun(label: string, repo: string, jobs: number, configFile: string, output: string, timeoutMs: number): Promise<Run & { report?: Record<string, unknown> }> {
  return cliRun(label, ['review', '--repo', repo, '--base', 'HEAD'], jobs, configFile, output, timeoutMs);
}

async function cliRun(label: string, command: string[], jobs: number, configFile: string, output: string, timeoutMs: number, format: 'json' | 'sarif' = 'json'): Promise<Run & { report?: Record<string, unknown> }> {
  const rusage = path.join(path.dirname(output), `rusage-${path.basename(output)}`);
  rmSync(rusage, { force: true });
  rmSync(output, { force: true });
  // With the flag given, bin/redline.js does not re-run itself, so the RSS and CPU measured are the analysis's.
  const r = await runProcess(process.execPath, ['--max-semi-space-size=64', '--import', RSS_HOOK, cli, ...command, '--format', format, '--output', output, '--config', configFile, '--jobs', String(jobs), '--quiet'], {
    env: { REDLINE_BENCH_RUSAGE: rusage, NO_COLOR: '1', REDLINE_TIMINGS: '1' },
    timeoutMs,
  });
  const phases = phaseTimes(r.stderr);
  if (r.timedOut || !existsSync(output)) {
    return { label, wallMs: r.wallMs, timedOut: r.timedOut, note: r.timedOut ? `killed after ${Math.round(timeoutMs / 1000)} s` : `exit ${r.code}: ${r.stderr.trim().split('\n').slice(-2).join(' ')}` };
  }
  const report = JSON.parse(readFileSync(output, 'utf8')) as { stats?: { filesScanned?: number; linesScanned?: number; bytesScanned?: number }; findings?: unknown[]; diagnostics?: Array<{ code: string }> };
  const ru = existsSync(rusage) ? (JSON.parse(readFileSync(rusage, 'utf8')) as { maxRSS: number; userCPUTime: number; systemCPUTime: number }) : undefined;
  const codes: Record<string, number> = {};
  for (const d of report.diagnostics ?? []) codes[d.code] = (codes[d.code] ?? 0) + 1;
  return {
    label,
    wallMs: r.wallMs,
    maxRssKb: ru?.maxRSS,
    files: report.stats?.filesScanned,
    lines: report.stats?.linesScanned,
    bytes: report.stats?.bytesScanned,
    note: `${report.findings?.length ?? 0} findings${ru ? `; CPU ${((ru.userCPUTime + ru.systemCPUTime) / 1e6).toFixed(1)} s` : ''}${phases.text ? `; ${phases.text}` : ''}${Object.keys(codes).length ? `; diagnostics ${Object.entries(codes).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}`,
    report: report as Record<string, unknown>,
    phases: phases.whole,
  };
}

/**
 * Where a CLI run's time went, from its REDLINE_TIMINGS lines (core/timings.ts): "front end 9.5,
 * engine 10.4, ... s"; an analysis other than the whole program's is named ("focused engine 2.1").
 */
function phaseTimes(stderr: string): { text: string; whole: Record<string, number> } {
  const parts: string[] = [];
  const whole: Record<string, number> = {};
  for (const m of stderr.matchAll(/^redline timing (\S+) (.+): ([\d.]+) s$/gm)) {
    parts.push(`${m[1] === 'whole' ? '' : `${m[1]} `}${m[2]} ${m[3]}`);
    if (m[1] === 'whole') whole[m[2]!] = Number(m[3]);
  }
  return { text: parts.length ? `${parts.join(', ')} s` : '', whole };
}

/** The report without run-dependent fields. */
function stable(report: Record<string, unknown> | undefined): string {
  return JSON.stringify(report ?? null, (k, v) => (k === 'durationMs' ? undefined : v));
}

function fmtRow(r: Run): string {
  const s = r.wallMs / 1000;
  const mb = r.bytes !== undefined ? r.bytes / 1e6 : undefined;
  const cells = [
    r.label,
    r.files !== undefined ? String(r.files) : '',
    r.lines !== undefined ? r.lines.toLocaleString('en-US') : '',
    mb !== undefined ? mb.toFixed(1) : '',
    r.timedOut ? `> ${s.toFixed(0)}` : s.toFixed(2),
    mb !== undefined && !r.timedOut ? (mb / s).toFixed(2) : '',
    r.maxRssKb !== undefined ? String(Math.round(r.maxRssKb / 1024)) : '',
    r.note ?? '',
  ];
  return `| ${cells.join(' | ')} |`;
}

const TABLE_HEAD = '| run | files | lines | MB | wall s | MB/s | peak RSS MB | notes |\n|---|---:|---:|---:|---:|---:|---:|---|';

function machine(): string[] {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpuModel = m[1]!;
  } catch {
    // not Linux
  }
  let load = '';
  try {
    load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    // not Linux
  }
  return [
    `- date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- cores (nproc): ${availableParallelism()}; CPU: ${cpuModel}`,
    `- memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- node ${process.version}; ${process.platform} ${process.arch}`,
    ...(load ? [`- load average when the run started: ${load}`] : []),
  ];
}

function defaultTree(): string | undefined {
  const r = spawnSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' });
  const p = r.stdout?.trim();
  return r.status === 0 && p ? p : undefined;
}

function pythonVersion(): string {
  const r = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  return (r.stdout || r.stderr || '').trim();
}

function hasBandit(): string | undefined {
  const r = spawnSync('bandit', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0 || r.error) return undefined;
  return (r.stdout || '').split('\n')[0]!.trim();
}

function writeConfig(dir: string, lines: string[]): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, '.redline.yml');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** Generated worst cases. */
function makePathological(dir: string): Array<{ name: string; file: string; what: string }> {
  mkdirSync(dir, { recursive: true });
  const out: Array<{ name: string; file: string; what: string }> = [];
  const add = (name: string, what: string, content: string): void => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    out.push({ name, file, what });
  };
  const chunk = (i: number): string =>
    `def handler_${i}(request, limit=${i}):\n` +
    `    """Handle request ${i}."""\n` +
    `    name = request.args.get("name_${i}", "")\n` +
    `    rows = [r.strip() for r in name.split(",") if r][:limit]\n` +
    `    if len(rows) > ${i % 7}:\n` +
    `        return {"rows": rows, "n": ${i}}\n` +
    `    return None\n\n`;
  const sized = (bytes: number): string => {
    const parts: string[] = [];
    let n = 0;
    for (let i = 0; n < bytes; i++) {
      const c = chunk(i);
      parts.push(c);
      n += c.length;
    }
    return parts.join('');
  };
  add('large_10mb.py', '~10 MB of ordinary functions', sized(10 * 1024 * 1024));
  add('large_50mb.py', '~50 MB of ordinary functions', sized(50 * 1024 * 1024));
  add('deep_parens.py', '10,000-deep parentheses', 'x = ' + '('.repeat(10_000) + 'a' + ')'.repeat(10_000) + '\n');
  add('deep_calls.py', '10,000-deep nested calls', 'x = ' + 'f('.repeat(10_000) + 'a' + ')'.repeat(10_000) + '\n');
  add('deep_lists.py', '10,000-deep nested lists', 'x = ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n');
  add('long_chain.py', '100,000-term operator chain', 'x = a' + ' + a'.repeat(100_000) + '\n');
  add('deep_blocks.py', '100-deep nested if blocks (tree-sitter indentation)', Array.from({ length: 100 }, (_, i) => ' '.repeat(i * 4) + `if x${i}:\n`).join('') + ' '.repeat(400) + 'pass\n');
  add('funcs_100k.py', '100,000 one-line functions', Array.from({ length: 100_000 }, (_, i) => `def f${i}(a): return a + ${i}\n`).join(''));
  return out;
}

async function main(argv: string[]): Promise<void> {
  const childAt = argv.indexOf('--child');
  if (childAt >= 0) return child(JSON.parse(argv[childAt + 1]!) as ChildSpec);

  const flag = (f: string): boolean => argv.includes(f);
  const value = (f: string): string | undefined => {
    const i = argv.indexOf(f);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const positional = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && ['--jobs', '--timeout', '--ratio-pairs'].includes(argv[i - 1]!)));
  const tree = path.resolve(positional[0] ?? defaultTree() ?? '.');
  const jobs = Number(value('--jobs') ?? Math.max(2, availableParallelism()));
  const timeoutMs = Number(value('--timeout') ?? 1800) * 1000;
  const work = mkdtempSync(path.join(tmpdir(), 'redline-bench-'));
  const treeLines: string[] = [];
  const pathoLines: string[] = [];
  let lines = treeLines;
  const log = (s = ''): void => {
    console.log(s);
    lines.push(s);
  };
  const onlyPathological = flag('--only-pathological');
  const row = (r: Run): void => log(fmtRow(r));

  if (!onlyPathological) {
    log(`### ${path.basename(tree) === 'python3.11' || /python3\.\d+$/.test(tree) ? `Python standard library (${pythonVersion()})` : 'tree'}: \`${tree}\``);
    log();
    for (const l of machine()) log(l);
    log(`- jobs for the parallel runs: ${jobs}`);
    log();
    log(TABLE_HEAD);

    const treeSitter = await frontEnd("tree-sitter's parser only, in-process (no copy of the tree, no lowering)", { root: tree, jobs: 1, treeSitterOnly: true }, timeoutMs);
    row(treeSitter);
    const parseOnly = await frontEnd('front end only, in-process (parse floor)', { root: tree, jobs: 1 }, timeoutMs);
    row(parseOnly);
    const parallel = await frontEnd(`front end only, --jobs ${jobs} (this thread + ${jobs - 1} worker${jobs === 2 ? '' : 's'})`, { root: tree, jobs, forceWorkers: true }, timeoutMs);
    row(parallel);
    const cacheDir = path.join(work, 'fe-cache');
    row(await frontEnd(`front end, cold cache, --jobs ${jobs}`, { root: tree, jobs, cacheDir }, timeoutMs));
    row(await frontEnd(`front end, warm cache, ${jobs} workers, this thread only deserialising`, { root: tree, jobs, cacheDir, forceWorkers: true, mainThreadLoads: false }, timeoutMs));
    const warm1 = await frontEnd('front end, warm cache, --jobs 1', { root: tree, jobs: 1, cacheDir }, timeoutMs);
    row(warm1);
    const warmN = await frontEnd(`front end, warm cache, --jobs ${jobs}`, { root: tree, jobs, cacheDir }, timeoutMs);
    row(warmN);

    let full1: Awaited<ReturnType<typeof fullScan>> | undefined;
    let fullN: Awaited<ReturnType<typeof fullScan>> | undefined;
    let warmFull: Run | undefined;
    let noCache: Run | undefined;
    let sarifSame: boolean | undefined;
    let ratioPairs: number[] = [];
    if (!flag('--no-full')) {
      const cfg = writeConfig(path.join(work, 'cfg'), ['cache: true', `cache-dir: ${JSON.stringify(path.join(work, 'scan-cache'))}`]);
      const cfg1 = writeConfig(path.join(work, 'cfg1'), ['cache: true', `cache-dir: ${JSON.stringify(path.join(work, 'scan-cache-1'))}`]);
      full1 = await fullScan('full scan (CLI), cold cache, --jobs 1', tree, 1, cfg1, path.join(work, 'full-1.json'), timeoutMs);
      row(full1);
      fullN = await fullScan(`full scan (CLI), cold cache, --jobs ${jobs}`, tree, jobs, cfg, path.join(work, `full-${jobs}.json`), timeoutMs);
      row(fullN);
      const cfgOff = writeConfig(path.join(work, 'cfg-off'), ['cache: false']);
      noCache = await fullScan(`full scan (CLI), no cache, --jobs ${jobs}`, tree, jobs, cfgOff, path.join(work, 'full-nocache.json'), timeoutMs);
      row(noCache);
      warmFull = await fullScan(`full scan (CLI), warm cache (unchanged tree), --jobs ${jobs}`, tree, jobs, cfg, path.join(work, 'full-warm.json'), timeoutMs);
      row(warmFull);
      // Each cache directory holds the result of its own cold scan (--jobs 1, --jobs N): rendered
      // as SARIF, the two must be the same bytes too.
      const sarif1 = await cliRun('SARIF of the --jobs 1 result (result cache)', ['scan', tree], 1, cfg1, path.join(work, 'full-1.sarif'), timeoutMs, 'sarif');
      const sarifN = await cliRun(`SARIF of the --jobs ${jobs} result (result cache)`, ['scan', tree], jobs, cfg, path.join(work, `full-${jobs}.sarif`), timeoutMs, 'sarif');
      sarifSame = sarif1.report && sarifN.report ? readFileSync(path.join(work, 'full-1.sarif'), 'utf8') === readFileSync(path.join(work, `full-${jobs}.sarif`), 'utf8') : undefined;
      ratioPairs = await interleavedRatios(tree, work, jobs, Number(value('--ratio-pairs') ?? 2), timeoutMs);
      if (!flag('--no-review')) await changeRuns(tree, work, jobs, timeoutMs, row);
    }

    let bandit: Run | undefined;
    const banditVersion = flag('--no-bandit') ? undefined : hasBandit();
    if (banditVersion) {
      const r = await runProcess('bandit', ['-r', '-q', '-f', 'json', '-o', path.join(work, 'bandit.json'), tree], { timeoutMs });
      let n = '';
      try {
        const rep = JSON.parse(readFileSync(path.join(work, 'bandit.json'), 'utf8')) as { results?: unknown[]; metrics?: { _totals?: { loc?: number } } };
        n = `${rep.results?.length ?? 0} results`;
      } catch {
        n = `exit ${r.code}`;
      }
      bandit = { label: `Bandit (${banditVersion})`, wallMs: r.wallMs, timedOut: r.timedOut, note: `${n}; single process` };
      row(bandit);
    }
    log();

    const det = full1?.report && fullN?.report ? (stable(full1.report) === stable(fullN.report) ? 'yes' : 'no') : 'not measured';
    const feDet = parseOnly.result && parallel.result ? (parseOnly.result.digest === parallel.result.digest && warmN.result?.digest === parseOnly.result.digest && warm1.result?.digest === parseOnly.result.digest ? 'yes' : 'no') : 'not measured';
    log(`- deterministic (JSON report of --jobs 1 vs --jobs ${jobs}, durationMs aside): ${det}; SARIF: ${sarifSame === undefined ? 'not measured' : sarifSame ? 'yes, byte-identical' : 'no'}`);
    log(`- front end deterministic (modules in-process = on workers = from cache, as canonical JSON): ${feDet}`);
    if (bandit && fullN && !fullN.timedOut && !bandit.timedOut) {
      log(`- redline/Bandit wall-time ratio: ${(fullN.wallMs / bandit.wallMs).toFixed(2)} (full scan --jobs ${jobs}, cold cache); ${full1 ? (full1.wallMs / bandit.wallMs).toFixed(2) : '?'} with --jobs 1`);
    } else if (!banditVersion) {
      log(flag('--no-bandit') ? '- Bandit: not run (--no-bandit)' : '- Bandit: not on PATH, not measured');
    }
    if (parseOnly.result && parallel.result) {
      log(`- front-end speed-up with --jobs ${jobs}: ${(parseOnly.wallMs / parallel.wallMs).toFixed(2)}x; warm cache vs parse: ${(parseOnly.wallMs / (warm1.wallMs || 1)).toFixed(2)}x (jobs 1)`);
    }
    if (fullN && parseOnly.result && !fullN.timedOut) {
      log(`- the front end is ${((100 * parseOnly.wallMs) / fullN.wallMs).toFixed(0)}% of the full scan's wall time; the rest is the whole-program analysis and rules`);
      if (treeSitter.result) log(`- cold full scan / tree-sitter's parser alone (the strict reading of "parse-only"): ${(fullN.wallMs / treeSitter.wallMs).toFixed(2)}x; the front end (parse floor) is ${(parseOnly.wallMs / treeSitter.wallMs).toFixed(2)}x the parser alone`);
      const engineS = fullN.phases?.['engine'];
      if (treeSitter.result && engineS !== undefined) {
        const after = engineS + (fullN.phases?.['rules'] ?? 0) + (fullN.phases?.['program'] ?? 0) + (fullN.phases?.['findings'] ?? 0);
        const parserS = treeSitter.wallMs / 1000;
        log(`- after its front end, the cold scan's single-threaded whole-program work (program, engine, rules, findings) takes ${after.toFixed(2)} s, ${(after / parserS).toFixed(2)}x tree-sitter's parser alone (engine ${engineS.toFixed(2)} s); 2x the parser alone is ${(2 * parserS).toFixed(2)} s`);
      }
      log(`- cold full scan / parse floor: ${(fullN.wallMs / parseOnly.wallMs).toFixed(2)}x${noCache && !noCache.timedOut ? ` (without the cache: ${(noCache.wallMs / parseOnly.wallMs).toFixed(2)}x)` : ''}${warmFull && !warmFull.timedOut ? `; warm rerun / cold: ${(warmFull.wallMs / fullN.wallMs).toFixed(3)}` : ''}`);
    }
    if (ratioPairs.length) {
      const sorted = [...ratioPairs].sort((a, b) => a - b);
      const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
      log(`- cold full scan (--jobs ${jobs}) / parse floor, measured back to back in ${ratioPairs.length} more pair${ratioPairs.length === 1 ? '' : 's'} (less exposed to the machine's drift than rows minutes apart): ${ratioPairs.map((r) => `${r.toFixed(2)}x`).join(', ')}; median ${median.toFixed(2)}x`);
    }
    log();

  }

  if (flag('--pathological') || onlyPathological) {
    lines = pathoLines;
    log('### Pathological inputs');
    log();
    for (const l of machine()) log(l);
    log();
    log(TABLE_HEAD);
    const pdir = path.join(work, 'patho');
    const cases = makePathological(pdir);
    const cfgBig = writeConfig(path.join(work, 'cfg-big'), ['cache: false', 'max-file-size: 64MB']);
    const cfgDefault = writeConfig(path.join(work, 'cfg-default'), ['cache: false']);
    for (const c of cases) {
      row(await frontEnd(`front end: ${c.what}`, { files: [c.file], jobs: 1 }, timeoutMs));
      row(await fullScan(`full scan: ${c.what}`, c.file, 1, cfgBig, path.join(work, `p-${c.name}.json`), timeoutMs));
    }
    const big = cases.find((c) => c.name === 'large_50mb.py')!;
    row(await fullScan('full scan: ~50 MB file, default max-file-size (2 MB)', big.file, 1, cfgDefault, path.join(work, 'p-default.json'), timeoutMs));
    log();
  }

  rmSync(work, { recursive: true, force: true });
  if (!flag('--no-write')) {
    if (!onlyPathological) writeBenchmarks('tree', treeLines.join('\n'));
    if (pathoLines.length) writeBenchmarks('pathological', pathoLines.join('\n'));
  }
}

/**
 * The parse floor and a cold full scan, back to back, `pairs` times: each pair's ratio. The VM's
 * speed drifts by 15 % or more over the minutes between the table's rows; a pair measured within
 * a minute or two shares the machine's state.
 */
async function interleavedRatios(tree: string, work: string, jobs: number, pairs: number, timeoutMs: number): Promise<number[]> {
  const ratios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const floor = await frontEnd('parse floor (pair)', { root: tree, jobs: 1 }, timeoutMs);
    const cfg = writeConfig(path.join(work, `cfg-pair-${i}`), ['cache: true', `cache-dir: ${JSON.stringify(path.join(work, `pair-cache-${i}`))}`]);
    const full = await fullScan('cold full scan (pair)', tree, jobs, cfg, path.join(work, `pair-${i}.json`), timeoutMs);
    if (floor.result && !full.timedOut && floor.wallMs > 0) ratios.push(full.wallMs / floor.wallMs);
  }
  return ratios;
}

/** Copies the Python files of `tree` (structure kept) into a fresh git repository. */
function pythonRepoCopy(tree: string, dest: string): void {
  const copy = (from: string, to: string): void => {
    for (const e of readdirSync(from, { withFileTypes: true })) {
      if (e.name === '.redline-cache' || e.name === '__pycache__' || e.name === '.git') continue;
      const a = path.join(from, e.name);
      const b = path.join(to, e.name);
      if (e.isDirectory()) copy(a, b);
      else if (e.isFile() && e.name.endsWith('.py')) {
        mkdirSync(to, { recursive: true });
        copyFileSync(a, b);
      }
    }
  };
  copy(tree, dest);
  gitIn(dest, 'init', '-q');
  gitIn(dest, 'add', '-A');
  gitIn(dest, 'commit', '-q', '-m', 'base');
}

function gitIn(repo: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.email=bench@redline', '-c', 'user.name=bench', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`git ${args[0]} failed in ${repo}`);
}

/**
 * A one-file change on a warm cache: a copy of the tree in a git repository is scanned once (as CI
 * scans the main branch; the cache warms and holds the base state), then changed and reviewed, then
 * rescanned. Two changes: a new module (a request handler calling into the tree; depends on much,
 * nothing depends on it), and an edit of the most imported module (everything depends on it: the
 * slice is the whole program). Last, that edit is committed and edited again: a review against a
 * base no scan has seen, where both states are analysed.
 */
async function changeRuns(tree: string, work: string, jobs: number, timeoutMs: number, row: (r: Run) => void): Promise<void> {
  const repo = path.join(work, 'repo');
  pythonRepoCopy(tree, repo);
  const cfg = writeConfig(path.join(work, 'cfg-repo'), ['cache: true', `cache-dir: ${JSON.stringify(path.join(work, 'repo-cache'))}`]);
  const warm = await fullScan('copy of the tree in git: full scan (warms the cache)', repo, jobs, cfg, path.join(work, 'repo-warm.json'), timeoutMs);
  row(warm);
  writeFileSync(path.join(repo, 'redline_bench_app.py'), NEW_MODULE);
  // The review comes first: a rescan would put the after state itself in the result cache.
  row(await reviewRun('one new file: review --base HEAD, base state from the scan', repo, jobs, cfg, path.join(work, 'review-new.json'), timeoutMs));
  row(await fullScan('one new file: full rescan, warm module cache', repo, jobs, cfg, path.join(work, 'repo-new.json'), timeoutMs));
  rmSync(path.join(repo, 'redline_bench_app.py'));
  const target = existsSync(path.join(repo, 'os.py')) ? 'os.py' : undefined;
  if (!target) return;
  writeFileSync(path.join(repo, target), readFileSync(path.join(repo, target), 'utf8') + EDIT_SUFFIX);
  row(await reviewRun(`one edited file (${target}, imported by most modules): review --base HEAD, base state from the scan`, repo, jobs, cfg, path.join(work, 'review-edit.json'), timeoutMs));
  gitIn(repo, 'commit', '-q', '-am', 'edit');
  writeFileSync(path.join(repo, target), readFileSync(path.join(repo, target), 'utf8') + EDIT_SUFFIX.replace('strip()', 'lower()'));
  row(await reviewRun(`another edit of ${target} on a base no scan has seen: review --base HEAD`, repo, jobs, cfg, path.join(work, 'review-edit2.json'), timeoutMs));
}

const NEW_MODULE = `import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/archive")
def archive():
    name = request.args.get("name", "")
    subprocess.run("tar czf /tmp/out.tgz " + name, shell=True)
    return "ok"
`;

const EDIT_SUFFIX = `


def _redline_bench_helper(value):
    return str(value).strip()
`;

/** Replaces the generated section `name` of BENCHMARKS.md (between its markers), or appends it. */
function writeBenchmarks(name: string, section: string): void {
  const file = path.join(repoRoot, 'BENCHMARKS.md');
  const start = `<!-- bench-speed:${name}:start -->`;
  const end = `<!-- bench-speed:${name}:end -->`;
  const generated = `${start}\n<!-- generated by \`npm run bench:speed\`; do not edit between these markers -->\n\n${section.trim()}\n\n${end}`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\n## Speed\n';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  text = a >= 0 && b > a ? text.slice(0, a) + generated + text.slice(b + end.length) : text.trimEnd() + '\n\n' + generated + '\n';
  writeFileSync(file, text);
  console.log(`\nwrote ${name} section of ${file}`);
}

await main(process.argv.slice(2));
