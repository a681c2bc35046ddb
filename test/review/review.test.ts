/** `redline review` on small git repositories built under the system temp directory. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { runReview, type ReviewOptions } from '../../src/review/review.js';
import { defaultConfig, type RedlineConfig } from '../../src/config/schema.js';
import { analyze } from '../../src/scan.js';
import type { ScanResult } from '../../src/core/result.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/redline.js');
const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const GIT_ENV = { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull };

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, env: GIT_ENV, encoding: 'utf8' });
}

function write(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
}

function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

function newRepo(files: Record<string, string>, branch = 'main'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'redline-review-'));
  made.push(dir);
  git(dir, 'init', '-q', '-b', branch);
  write(dir, files);
  commitAll(dir, 'base');
  return dir;
}

const HELPER = `import subprocess


def run(cmd):
    subprocess.run(cmd, shell=True)
`;

const APP = `from flask import Flask, request
from helper import run

app = Flask(__name__)


@app.route("/ok")
def ok():
    run("ls -l")
    return "ok"
`;

const VULN_ROUTE = `

@app.route("/x")
def x():
    run(request.args["x"])
    return "x"
`;

/** Line number (1-based) of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} not found`);
  return i + 1;
}

/** Repo state that must not change across a review: status, stash, HEAD, index bytes. */
function repoState(dir: string): string {
  const index = path.join(dir, '.git', 'index');
  const indexHash = existsSync(index) ? createHash('sha256').update(readFileSync(index)).digest('hex') : '';
  return [git(dir, 'status', '--porcelain', '--untracked-files=all'), git(dir, 'stash', 'list'), spawnSync('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: dir, encoding: 'utf8' }).stdout, indexHash].join('\n--\n');
}

async function review(dir: string, extra: Partial<ReviewOptions> = {}): Promise<ScanResult> {
  const before = repoState(dir);
  const { result } = await runReview({ repo: dir, staged: false, config: defaultConfig(dir), exclude: [], ...extra });
  assert.equal(repoState(dir), before, 'the review changed the repository state');
  return result;
}

function analyzeDir(dir: string, config: RedlineConfig, noCache = false) {
  return analyze({ roots: [dir], baseDir: dir, config, noCache });
}

/** Runs the CLI in-process, capturing standard output and error. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  // Only text is captured: the test runner itself writes binary frames to standard output.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => (typeof chunk === 'string' ? (out.push(chunk), true) : ow(chunk, ...rest))) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => (typeof chunk === 'string' ? (err.push(chunk), true) : ew(chunk, ...rest))) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'redline', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}

interface JsonLoc {
  file: string;
  startLine: number;
}
interface JsonFinding {
  ruleId: string;
  cwes: Array<{ id: number }>;
  location: JsonLoc;
  evidence: Array<{ location: JsonLoc }>;
}

/** Base: helper called with a constant; second commit: a route sends request data into it. */
function vulnerableChangeRepo(): string {
  const dir = newRepo({ 'helper.py': HELPER, 'app.py': APP });
  write(dir, { 'app.py': APP + VULN_ROUTE });
  commitAll(dir, 'add route');
  return dir;
}

test('a new caller that opens a flow into an untouched helper is reported (CLI, exit 1)', async () => {
  const dir = vulnerableChangeRepo();
  const before = repoState(dir);
  const r = await cli(['review', '--repo', dir, '--base', 'HEAD~1', '--format', 'json']);
  assert.equal(repoState(dir), before);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as { kind: string; findings: JsonFinding[]; change: { files: Array<{ file: string; status: string; addedLines: number }> } };
  assert.equal(report.kind, 'review');
  assert.equal(report.findings.length, 1);
  const f = report.findings[0]!;
  assert.equal(f.ruleId, 'py/command-injection');
  assert.deepEqual(f.cwes.map((c) => c.id), [78]);
  assert.equal(f.location.file, 'helper.py');
  const added = lineOf(APP + VULN_ROUTE, 'run(request.args');
  assert.ok(f.evidence.some((e) => e.location.file === 'app.py' && e.location.startLine === added), 'an evidence step is on the added line');
  assert.deepEqual(report.change.files, [{ file: 'app.py', status: 'modified', addedLines: 6, removedLines: 0 }]);

  const same = await cli(['review', '--repo', dir, '--base', 'HEAD', '--format', 'json']);
  assert.equal(same.code, 0, same.stderr);
  assert.equal((JSON.parse(same.stdout) as { findings: unknown[] }).findings.length, 0);
  assert.equal(repoState(dir), before);
});

test('the same change given as a patch file, or as patch text (stdin), gives the same finding', async () => {
  const dir = vulnerableChangeRepo();
  const patch = git(dir, 'diff', 'HEAD~1', 'HEAD');
  const patchFile = path.join(dir, '..', `${path.basename(dir)}.patch`);
  writeFileSync(patchFile, patch);
  made.push(patchFile);

  const viaGit = await review(dir, { base: 'HEAD~1' });
  const viaFile = await cli(['review', '--repo', dir, '--diff', patchFile, '--format', 'json']);
  assert.equal(viaFile.code, 1, viaFile.stderr);
  const fileFindings = (JSON.parse(viaFile.stdout) as { findings: Array<{ fingerprint: string; ruleId: string }> }).findings;
  assert.deepEqual(fileFindings.map((f) => f.fingerprint), viaGit.findings.map((f) => f.fingerprint));
  assert.equal(fileFindings[0]!.ruleId, 'py/command-injection');

  const viaText = await review(dir, { diff: '-', diffText: patch });
  assert.deepEqual(viaText.findings.map((f) => f.fingerprint), viaGit.findings.map((f) => f.fingerprint));
  assert.equal(viaText.change?.files[0]?.addedLines, 6);

  // Through the real binary, reading standard input.
  const before = repoState(dir);
  const child = spawnSync(process.execPath, [BIN, 'review', '--repo', dir, '--diff', '-', '--format', 'json'], { input: patch, encoding: 'utf8' });
  assert.equal(child.status, 1, child.stderr);
  assert.deepEqual((JSON.parse(child.stdout) as { findings: Array<{ fingerprint: string }> }).findings.map((f) => f.fingerprint), viaGit.findings.map((f) => f.fingerprint));
  assert.equal(repoState(dir), before);

  // format-patch output works too.
  const mail = git(dir, 'format-patch', '-1', 'HEAD', '--stdout');
  const viaMail = await review(dir, { diffText: mail });
  assert.equal(viaMail.findings.length, 1);
});

test('a patch hunk that does not match the working tree fails with one line', async () => {
  const dir = vulnerableChangeRepo();
  const patch = git(dir, 'diff', 'HEAD~1', 'HEAD').replace('+    run(request.args["x"])', '+    run(request.args["y"])');
  const patchFile = path.join(dir, '..', `${path.basename(dir)}-bad.patch`);
  writeFileSync(patchFile, patch);
  made.push(patchFile);
  const r = await cli(['review', '--repo', dir, '--diff', patchFile]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /does not match the working tree: hunk 1 of app\.py/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('working-tree review: untracked and modified files, repository left untouched', async () => {
  const dir = newRepo({ 'helper.py': HELPER, 'app.py': APP });
  write(dir, { 'extra.py': `from flask import request\nfrom helper import run\n\n\ndef handler():\n    run(request.form["c"])\n` });
  git(dir, 'stash', 'list');
  const r = await review(dir, { base: 'HEAD' });
  assert.equal(r.findings.length, 1);
  assert.ok(r.findings[0]!.evidence.some((e) => e.location.file === 'extra.py'));
  assert.deepEqual(r.change?.files, [{ file: 'extra.py', status: 'added', addedLines: 6, removedLines: 0 }]);
});

test('inserting 50 harmless lines above an existing finding reports nothing new', async () => {
  const dir = newRepo({ 'helper.py': HELPER, 'app.py': APP + VULN_ROUTE });
  const filler = Array.from({ length: 50 }, (_, i) => `LIMIT_${i} = ${i}`).join('\n');
  write(dir, {
    'helper.py': HELPER.replace('\n\ndef run', `\n${filler}\n\n\ndef run`),
    'app.py': (APP + VULN_ROUTE).replace('\n\n@app.route("/x")', `\n${filler}\n\n\n@app.route("/x")`),
  });
  commitAll(dir, 'constants');
  const r = await review(dir, { base: 'HEAD~1' });
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.resolved, []);
  assert.equal(r.change?.files.length, 2);
});

test('a fix lists the finding as resolved; a rename keeps old findings neither new nor resolved', async () => {
  const dir = newRepo({ 'helper.py': HELPER, 'app.py': APP + VULN_ROUTE });
  git(dir, 'mv', 'helper.py', 'tools.py');
  write(dir, { 'app.py': (APP + VULN_ROUTE).replace('from helper import run', 'from tools import run') });
  commitAll(dir, 'rename');
  const renamed = await review(dir, { base: 'HEAD~1' });
  assert.deepEqual(renamed.findings, []);
  assert.deepEqual(renamed.resolved, []);
  assert.ok(renamed.change?.files.some((f) => f.file === 'tools.py' && f.status === 'renamed'));

  write(dir, { 'tools.py': HELPER.replace('import subprocess', 'import shlex\nimport subprocess').replace('subprocess.run(cmd, shell=True)', 'subprocess.run(shlex.quote(cmd), shell=True)') });
  commitAll(dir, 'fix');
  const fixed = await review(dir, { base: 'HEAD~1' });
  assert.deepEqual(fixed.findings, []);
  assert.equal(fixed.resolved?.length, 1);
  assert.equal(fixed.resolved![0]!.ruleId, 'py/command-injection');
  assert.equal(fixed.resolved![0]!.location.file, 'tools.py');

  const cliFixed = await cli(['review', '--repo', dir, '--base', 'HEAD~1', '--format', 'json']);
  assert.equal(cliFixed.code, 0);
  assert.equal((JSON.parse(cliFixed.stdout) as { resolved: unknown[] }).resolved.length, 1);
});

test('--staged reviews the index, not the working tree', async () => {
  const dir = newRepo({ 'helper.py': HELPER, 'app.py': APP });
  write(dir, { 'app.py': APP + VULN_ROUTE });
  git(dir, 'add', 'app.py');
  // Unstaged: the working tree drops the staged route and adds a different one; an untracked file is vulnerable too.
  write(dir, {
    'app.py': APP + VULN_ROUTE.replace('"/x"', '"/y"').replace('def x', 'def y').replace('request.args["x"]', 'request.form["y"]').replace('\n', '\n# unstaged\n'),
    'loose.py': `from flask import request\nimport os\n\n\ndef f():\n    os.system(request.args["q"])\n`,
  });
  const r = await review(dir, { staged: true });
  assert.equal(r.findings.length, 1);
  const f = r.findings[0]!;
  assert.equal(f.location.file, 'helper.py');
  const stagedLine = lineOf(APP + VULN_ROUTE, 'run(request.args');
  assert.ok(f.evidence.some((e) => e.location.file === 'app.py' && e.location.startLine === stagedLine && /request\.args\["x"\]/.test(e.code ?? '')));
  assert.match(r.change!.base, /staged/);
  assert.deepEqual(r.change!.files.map((x) => x.file), ['app.py']);

  const viaCli = await cli(['review', '--repo', dir, '--staged', '--format', 'json']);
  assert.equal(viaCli.code, 1);
});

test('--staged in a repository without commits treats every staged file as added', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'redline-review-'));
  made.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  write(dir, { 'helper.py': HELPER, 'app.py': APP + VULN_ROUTE });
  git(dir, 'add', '-A');
  const r = await review(dir, { staged: true });
  assert.equal(r.findings.length, 1);
  assert.equal(r.change?.files.length, 2);
});

test('default base: merge-base with main; a clear error when there is none', async () => {
  const dir = newRepo({ 'helper.py': HELPER, 'app.py': APP });
  git(dir, 'checkout', '-q', '-b', 'feature');
  write(dir, { 'app.py': APP + VULN_ROUTE });
  commitAll(dir, 'feature work');
  const r = await review(dir);
  assert.equal(r.findings.length, 1);
  assert.match(r.change!.base, /merge-base of HEAD and main/);

  const lonely = newRepo({ 'app.py': APP }, 'trunk');
  await assert.rejects(review(lonely), /cannot find a base revision/);
  await assert.rejects(review(lonely, { base: 'no-such-rev' }), /unknown revision: no-such-rev/);
  const res = await cli(['review', '--repo', lonely]);
  assert.equal(res.code, 2);
  assert.equal(res.stderr.trim().split('\n').length, 1);
});

test('a second source reaching an already vulnerable sink is a new finding', async () => {
  const dir = newRepo({ 'helper.py': HELPER, 'app.py': APP + VULN_ROUTE });
  const SECOND = `

@app.route("/y")
def y():
    run(request.form["y"])
    return "y"
`;
  write(dir, { 'app.py': APP + VULN_ROUTE + SECOND });
  commitAll(dir, 'second route');
  const { result } = await runReview({ repo: dir, base: 'HEAD~1', staged: false, config: defaultConfig(dir), exclude: [] } as ReviewOptions);
  const open = result.findings.filter((f) => !f.suppression);
  assert.equal(open.length, 1);
  assert.equal(open[0]!.ruleId, 'py/command-injection');
  assert.ok(open[0]!.evidence.some((e) => e.location.file === 'app.py' && /request\.form/.test(e.code ?? '')));
});

test('analysing only the part of the program a change can affect gives the same review as the whole program', async () => {
  const files = {
    'helper.py': `import shlex
import subprocess


def run(cmd):
    subprocess.run("echo " + shlex.quote(cmd), shell=True)
`,
    'service.py': `from helper import run


def start(name):
    run(name)
`,
    'app.py': `from flask import Flask, request
from service import start

app = Flask(__name__)


@app.route("/start")
def start_view():
    start(request.args["name"])
    return "ok"
`,
    'legacy.py': `import os
from flask import request


def old_view():
    os.system("ls " + request.args["dir"])
`,
    'tools/report.py': `import pickle


def load(blob):
    return pickle.loads(blob)
`,
  };
  const dir = newRepo(files);
  // The helper stops quoting (old callers' flows open), a new route is added, legacy is fixed.
  write(dir, {
    'helper.py': files['helper.py'].replace('shlex.quote(cmd)', 'cmd'),
    'api.py': `from flask import request
from helper import run


def api_view():
    run(request.form["cmd"])
`,
    'legacy.py': files['legacy.py'].replace('"ls " + request.args["dir"]', '"ls"'),
  });
  commitAll(dir, 'change');
  const sliced = await review(dir, { base: 'HEAD~1', noCache: true });
  const whole = await review(dir, { base: 'HEAD~1', noCache: true, wholeProgram: true });
  const view = (r: ScanResult) => ({ findings: r.findings.map((f) => [f.ruleId, f.location.file, f.location.startLine, f.fingerprint, f.evidence.length]), resolved: r.resolved?.map((f) => [f.ruleId, f.location.file, f.location.startLine]) });
  assert.deepEqual(view(sliced), view(whole));
  const lines = sliced.findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.startLine}`).sort();
  assert.deepEqual(lines, ['py/command-injection helper.py:6', 'py/command-injection helper.py:6']);
  assert.deepEqual(sliced.resolved?.map((f) => `${f.ruleId} ${f.location.file}`), ['py/command-injection legacy.py']);
});

test('an unchanged tree is answered from the result cache; any edit or setting change is not', async () => {
  const dir = newRepo({ 'helper.py': HELPER, 'app.py': APP + VULN_ROUTE });
  const config = defaultConfig(dir);
  const first = await analyzeDir(dir, config);
  const second = await analyzeDir(dir, config);
  assert.equal(first.reused, false);
  assert.equal(second.reused, true);
  assert.deepEqual({ ...second.result, stats: { ...second.result.stats, durationMs: 0 } }, { ...first.result, stats: { ...first.result.stats, durationMs: 0 } });
  assert.deepEqual([...second.files], [...first.files]);
  // A different threat model is a different analysis.
  assert.equal((await analyzeDir(dir, { ...config, threatModels: ['remote', 'local'] })).reused, false);
  // One edited file: recomputed, and the edit is seen.
  write(dir, { 'app.py': APP });
  const edited = await analyzeDir(dir, config);
  assert.equal(edited.reused, false);
  assert.equal(edited.result.findings.length, 0);
  assert.equal((await analyzeDir(dir, config, true)).reused, false, '--no-cache never reads the cache');
});

test('a focused analysis reuses a whole-program result of the same files; a slice of most of the program runs whole', async () => {
  const others = Object.fromEntries([1, 2, 3, 4].map((i) => [`tool${i}.py`, `def f${i}(x):\n    return x + ${i}\n`]));
  const dir = newRepo({ 'helper.py': HELPER, 'app.py': APP + VULN_ROUTE, ...others });
  const config = defaultConfig(dir);
  const focused = (files: string[]) => analyze({ roots: [dir], baseDir: dir, config, focus: (all) => all.filter((f) => files.includes(f)) });

  const slice = await focused(['helper.py']);
  assert.equal(slice.reused, false);
  assert.deepEqual([...(slice.scope ?? [])].sort(), ['app.py', 'helper.py']);
  assert.equal(slice.result.findings.length, 1);

  const whole = await analyzeDir(dir, config);
  assert.equal(whole.reused, false, 'a sliced result never stands for the whole program');
  assert.equal(whole.scope, undefined);

  const later = await focused(['tool1.py']);
  assert.equal(later.reused, true, 'answered by the whole-program result');
  assert.equal(later.scope, undefined);
  assert.deepEqual(later.result.findings, whole.result.findings);

  // Every module imports `common`: its slice is the whole program, analysed and cached as such.
  const shared = Object.fromEntries([1, 2, 3, 4].map((i) => [`user${i}.py`, `import common\n\n\ndef g${i}():\n    return common.VALUE\n`]));
  const dir2 = newRepo({ 'common.py': 'VALUE = 1\n', ...shared });
  const config2 = defaultConfig(dir2);
  const central = await analyze({ roots: [dir2], baseDir: dir2, config: config2, focus: (all) => all.filter((f) => f === 'common.py') });
  assert.equal(central.scope, undefined);
  assert.equal((await analyzeDir(dir2, config2)).reused, true);
});

test('one analysis serves both forms: a scan result answers a review of the same files, per source', async () => {
  const twoSources = APP + VULN_ROUTE + `

@app.route("/y")
def y():
    run(request.form["y"])
    return "y"
`;
  const dir = newRepo({ 'helper.py': HELPER, 'app.py': twoSources });
  const config = defaultConfig(dir);
  const perSource = (noCache: boolean) => analyze({ roots: [dir], baseDir: dir, config, noCache, findingPerSource: true });
  const scan = await analyzeDir(dir, config);
  assert.equal(scan.reused, false);
  // Two sources reach one sink: a scan reports the sink once, a review once per source.
  assert.deepEqual(scan.result.findings.map((f) => `${f.location.file}:${f.location.startLine}`), ['helper.py:5']);
  const fromCache = await perSource(false);
  assert.equal(fromCache.reused, true, 'the review form came from the scan\'s cached analysis');
  const fresh = await perSource(true);
  assert.equal(fresh.result.findings.length, 2);
  assert.deepEqual(fromCache.result.findings, fresh.result.findings);
  assert.deepEqual((await analyzeDir(dir, config)).result.findings, scan.result.findings);
});

test('a review takes its base state from a scan of the base, whatever the files\' encodings', async () => {
  const dir = newRepo({ 'helper.py': HELPER, 'app.py': APP });
  writeFileSync(path.join(dir, 'latin.py'), Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\nname = "caf'), Buffer.from([0xe9]), Buffer.from('"\n')]));
  writeFileSync(path.join(dir, 'bom.py'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x = 1\r\ny = 2\r\n')]));
  writeFileSync(path.join(dir, 'bad.py'), Buffer.from([0x78, 0x20, 0x3d, 0x20, 0xff, 0xfe, 0x0a]));
  commitAll(dir, 'encodings');
  const config = defaultConfig(dir);
  const scan = await analyzeDir(dir, config);
  assert.equal(scan.reused, false);
  const entries = () => readdirSync(path.join(config.cacheDir, 'r1')).filter((n) => n.endsWith('.json')).length;
  const before = entries();
  write(dir, { 'app.py': APP + VULN_ROUTE });
  const result = await review(dir, { base: 'HEAD' });
  assert.deepEqual(result.findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.startLine}`), ['py/command-injection helper.py:5']);
  assert.equal(entries(), before + 1, 'only the after state was analysed and stored');
  assert.deepEqual(result.diagnostics.filter((d) => d.file === 'bad.py').map((d) => d.code), ['decode-error']);
});

test('findings outside the change slice of the after state are never listed as resolved', async () => {
  const dir = newRepo({
    'legacy.py': `import os
import util
from flask import request


def old_view():
    os.system("ls " + request.args["dir"])
`,
    'util.py': 'X = 1\n',
  });
  git(dir, 'rm', '-q', 'util.py');
  git(dir, 'commit', '-q', '-m', 'drop util');
  // legacy.py is untouched: its flow is neither new nor resolved, sliced or not.
  for (const wholeProgram of [false, true]) {
    const r = await review(dir, { base: 'HEAD~1', noCache: true, wholeProgram });
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.resolved ?? [], [], `wholeProgram ${wholeProgram}`);
  }
});
