/** End-to-end checks of the CLI against the acceptance criteria of the pipeline and engine issues. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'redline.js');

/** Runs the real CLI in a child process (the test runner owns this process's stdout). */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function project(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'redline-cli-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

const ROUTE = `from flask import Flask, request
from tools import run_tool

app = Flask(__name__)

@app.route("/run/<name>")
def run(name):
    run_tool(name)
    return "ok"
`;
const HELPER = `import subprocess


def run_tool(cmd):
    subprocess.run("tool " + cmd, shell=True)
`;

test('cross-module flow: CWE-78 at the sink with a codeFlow naming the route parameter, the helper call and the sink', async () => {
  const dir = project({ 'app.py': ROUTE, 'tools.py': HELPER });
  try {
    const { code, out } = await run(['scan', dir, '--format', 'sarif']);
    assert.equal(code, 1);
    const sarif = JSON.parse(out);
    const results = sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === 'py/command-injection');
    assert.equal(results.length, 1);
    const r = results[0];
    assert.equal(r.locations[0].physicalLocation.artifactLocation.uri, 'tools.py');
    assert.equal(r.locations[0].physicalLocation.region.startLine, 5);
    const steps = r.codeFlows[0].threadFlows[0].locations.map((l: { location: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }; message: { text: string } } }) => ({
      file: l.location.physicalLocation.artifactLocation.uri,
      line: l.location.physicalLocation.region.startLine,
      text: l.location.message.text,
    }));
    assert.deepEqual(steps[0], { file: 'app.py', line: 7, text: steps[0].text });
    assert.match(steps[0].text, /name/);
    assert.ok(steps.some((s: { file: string; line: number; text: string }) => s.file === 'app.py' && s.line === 8 && /run_tool/.test(s.text)), 'the helper call is a step');
    assert.deepEqual({ file: steps.at(-1).file, line: steps.at(-1).line }, { file: 'tools.py', line: 5 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad files become diagnostics and the good files are still reviewed', async () => {
  const deep = `x = ${'('.repeat(1000)}1${')'.repeat(1000)}\n`;
  const dir = project({
    'app.py': ROUTE,
    'tools.py': HELPER,
    'blob.py': Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00]),
    'latin.py': Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x22, 0xe9, 0xff, 0x22, 0x0a]),
    'huge.py': `x = 1\n${'# padding\n'.repeat(520_000)}`,
    'broken.py': 'def f(:\n    pass\nimport os\nos.system(input())\n',
    'deep.py': deep,
  });
  try {
    const { code, out } = await run(['scan', dir, '--format', 'json']);
    assert.equal(code, 1);
    const report = JSON.parse(out);
    const codes = new Map<string, string>(report.diagnostics.map((d: { file: string; code: string }) => [d.file, d.code]));
    assert.equal(codes.get('blob.py'), 'binary-file');
    assert.equal(codes.get('latin.py'), 'decode-error');
    assert.equal(codes.get('huge.py'), 'too-large');
    assert.equal(codes.get('broken.py'), 'syntax-error');
    assert.ok(report.findings.some((f: { ruleId: string }) => f.ruleId === 'py/command-injection'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exit codes: 0 clean, 1 findings, 2 usage and config errors with one line on stderr', async () => {
  const clean = project({ 'ok.py': 'import subprocess\nsubprocess.run(["ls", "-l"])\n' });
  const bad = project({ 'ok.py': 'x = 1\n', '.redline.yml': 'min-severity: urgent\n' });
  try {
    assert.equal((await run(['scan', clean])).code, 0);
    const usage = await run(['scan', clean, '--format', 'xml']);
    assert.equal(usage.code, 2);
    const missing = await run(['scan', path.join(clean, 'nope')]);
    assert.equal(missing.code, 2);
    assert.equal(missing.err.trim().split('\n').length, 1);
    const config = await run(['scan', bad]);
    assert.equal(config.code, 2);
    assert.match(config.err, /min-severity/);
    assert.doesNotMatch(config.err, /\n\s+at /, 'no stack trace');
  } finally {
    rmSync(clean, { recursive: true, force: true });
    rmSync(bad, { recursive: true, force: true });
  }
});

test('explain CWE-78 prints the MITRE name, description and mitigations; explain a rule prints its docs', async () => {
  const cwe = await run(['explain', 'CWE-78']);
  assert.equal(cwe.code, 0);
  assert.match(cwe.out, /Improper Neutralization of Special Elements used in an OS Command \('OS Command Injection'\)/);
  assert.match(cwe.out, /mitigation/i);
  const rule = await run(['explain', 'py/sql-injection']);
  assert.equal(rule.code, 0);
  assert.match(rule.out, /CWE-89/);
  const unknown = await run(['explain', 'py/nope']);
  assert.equal(unknown.code, 2);
});

test('a suppression on the last line of a multi-line call suppresses it; on an unrelated line it does not', async () => {
  const suppressed = project({
    'a.py': 'import os\nfrom flask import request\n\ndef f():\n    os.system(\n        request.args["c"]\n    )  # redline: ignore[CWE-78] -- reviewed\n',
  });
  const notSuppressed = project({
    'a.py': 'import os\nfrom flask import request\n\ndef f():\n    x = 1  # redline: ignore[CWE-78]\n    os.system(\n        request.args["c"]\n    )\n',
  });
  try {
    const a = await run(['scan', suppressed, '--format', 'json']);
    assert.equal(a.code, 0);
    const fa = JSON.parse(a.out).findings;
    assert.equal(fa.length, 1);
    assert.equal(fa[0].suppression.kind, 'inSource');
    const b = await run(['scan', notSuppressed, '--format', 'json']);
    assert.equal(b.code, 1);
  } finally {
    rmSync(suppressed, { recursive: true, force: true });
    rmSync(notSuppressed, { recursive: true, force: true });
  }
});

test('output is byte-identical across runs: cold, from the cache, and without it', async () => {
  const dir = project({ 'app.py': ROUTE, 'tools.py': HELPER });
  try {
    const a = await run(['scan', dir, '--format', 'sarif', '--no-cache']);
    assert.equal(existsSync(path.join(dir, '.redline-cache')), false, '--no-cache writes no cache');
    const b = await run(['scan', dir, '--format', 'sarif']);
    assert.equal(existsSync(path.join(dir, '.redline-cache')), true);
    const c = await run(['scan', dir, '--format', 'sarif']);
    assert.equal(a.out, b.out);
    assert.equal(b.out, c.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
