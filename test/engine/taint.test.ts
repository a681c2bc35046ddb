/**
 * Taint engine behaviours, one test each: small Python programs written to temp directories and
 * run through the whole pipeline (`analyze()`).
 *
 * Convention: a line ending in `# !` must carry a finding of the rule under test, and no other line
 * may (so a `safe` look-alike on an unmarked line that gets flagged fails the test). `# src` marks
 * the source line where the evidence is checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { Finding } from '../../src/core/finding.js';
import { dedent, scanDir, scanFiles, writeTree } from './helpers.js';

const CMD = 'py/command-injection';

const FLASK = `
import os
import shlex
import subprocess
from flask import Flask, abort, request

app = Flask(__name__)
`;

/** Lines (1-based) of `text` that contain `marker` at the end. */
function markedLines(text: string, marker: string): number[] {
  return text
    .split('\n')
    .map((l, i) => (l.trimEnd().endsWith(marker) ? i + 1 : 0))
    .filter(Boolean);
}

/** Runs the program and asserts the rule's findings are exactly the `# !` lines of every file. */
async function expectMarked(files: Record<string, string>, ruleId = CMD): Promise<Finding[]> {
  const texts = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, dedent(v)]));
  const o = await scanFiles(texts);
  const expected = Object.entries(texts)
    .flatMap(([file, text]) => markedLines(text, '# !').map((l) => `${file}:${l}`))
    .sort();
  const actual = o.result.findings
    .filter((f) => f.ruleId === ruleId)
    .map((f) => `${f.location.file}:${f.location.startLine}`)
    .sort();
  assert.deepEqual(actual, expected);
  return o.result.findings.filter((f) => f.ruleId === ruleId);
}

const app = (body: string) => ({ 'app.py': dedent(FLASK) + dedent(body) });

test('direct flow: request argument to os.system', async () => {
  const [f] = await expectMarked(
    app(`
      @app.route("/ping")
      def ping():
          host = request.args.get("host")  # src
          os.system("ping -c 1 " + host)  # !
          os.system("ping -c 1 localhost")
          subprocess.run(["ping", "-c", "1", host])
          return "ok"
    `),
  );
  assert.equal(f!.cwes[0], 78);
  assert.equal(f!.properties?.sourceKind, 'remote');
  assert.equal(f!.properties?.crossesFiles, false);
});

test('cross-module helper that sinks its parameter', async () => {
  const [f] = await expectMarked({
    'app.py': FLASK + `
from helpers import run_cmd

@app.route("/a")
def a():
    run_cmd(request.args["c"])
    run_cmd("uptime")
    return "ok"
`,
    'helpers.py': `
      import os

      def run_cmd(cmd):
          os.system("sh -c " + cmd)  # !
    `,
  });
  assert.equal(f!.properties?.crossesFiles, true);
  assert.equal(f!.evidence[0]!.location.file, 'app.py');
  assert.equal(f!.evidence.at(-1)!.location.file, 'helpers.py');
});

test('helper that returns its parameter: tainted at one call site, constant at another', async () => {
  await expectMarked({
    'app.py': FLASK + `
from util import ident

@app.route("/a")
def a():
    v = ident(request.args["c"])
    os.system(v)  # !
    os.system(ident("uptime"))
    return "ok"
`,
    'util.py': 'def ident(x):\n    return x\n',
  });
});

test('sanitizers: shlex.quote on one path only, int() conversion', async () => {
  await expectMarked(
    app(`
      @app.route("/a")
      def a():
          h = request.args["h"]
          if h.startswith("-"):
              h = shlex.quote(h)
          os.system("ping " + h)  # !
          os.system("ping " + shlex.quote(h))
          n = request.args["n"]
          os.system("sleep %d" % int(n))
          os.system("sleep " + n)  # !
          return "ok"
    `),
  );
});

test('flow-sensitive overwrite', async () => {
  await expectMarked(
    app(`
      @app.route("/a")
      def a():
          cmd = request.args["c"]
          os.system(cmd)  # !
          cmd = "uptime"
          os.system(cmd)
          cmd = cmd + request.args["d"]
          os.system(cmd)  # !
          return "ok"
    `),
  );
});

test('constant-key dict precision', async () => {
  await expectMarked(
    app(`
      @app.route("/a")
      def a():
          d = {"safe": "uptime", "bad": request.args["c"]}
          d["later"] = "df -h"
          os.system(d["safe"])
          os.system(d["later"])
          os.system(d["bad"])  # !
          d["bad"] = "ls"
          os.system(d["bad"])
          return "ok"
    `),
  );
});

test('list constant index after appends', async () => {
  await expectMarked(
    app(`
      @app.route("/a")
      def a():
          xs = []
          xs.append("uptime")
          xs.append(request.args["c"])
          xs.append("df")
          os.system(xs[0])
          os.system(xs[1])  # !
          os.system(xs[2])
          return "ok"
    `),
  );
});

test('tuple unpacking', async () => {
  await expectMarked(
    app(`
      @app.route("/a")
      def a():
          safe, bad = "uptime", request.args["c"]
          os.system(safe)
          os.system(bad)  # !
          (x, (y, z)) = (bad, ("ls", "df"))
          os.system(x)  # !
          os.system(y)
          os.system(z)
          return "ok"
    `),
  );
});

test('constant-folded dead branch is not analysed; a constant-true branch is', async () => {
  await expectMarked(
    app(`
      @app.route("/a")
      def a():
          c = request.args["c"]
          if 1 + 1 == 3:
              os.system(c)
          if (7 * 42) - 86 > 200:
              os.system(c)  # !
          else:
              os.system(c)
          return "ok"
    `),
  );
});

test('guard with early abort()', async () => {
  await expectMarked(
    app(`
      @app.route("/a")
      def a():
          c = request.args["c"]
          if not c.isalnum():
              abort(400)
          os.system("ls " + c)
          return "ok"

      @app.route("/b")
      def b():
          c = request.args["c"]
          if not c.isalnum():
              print("suspicious")
          os.system("ls " + c)  # !
          return "ok"
    `),
  );
});

test('allow-list membership guard', async () => {
  await expectMarked(
    app(`
      ALLOWED = {"uptime", "df -h"}

      @app.route("/a")
      def a():
          c = request.args["c"]
          if c in ALLOWED:
              os.system(c)
          else:
              os.system(c)  # !
          if c not in ALLOWED:
              return "no"
          os.system(c)
          return "ok"
    `),
  );
});

test('validator function used as a predicate', async () => {
  await expectMarked(
    app(`
      SAFE = ("uptime", "df")

      def ok(x):
          return x in SAFE

      @app.route("/a")
      def a():
          v = request.args["c"]
          if ok(v):
              os.system(v)
          os.system(v)  # !
          return "ok"
    `),
  );
});

test('class: self.x set in __init__ and used in another method; a constant sibling field stays clean', async () => {
  await expectMarked(
    app(`
      class Job:
          def __init__(self, cmd):
              self.cmd = cmd
              self.fixed = "uptime"

          def run(self):
              os.system(self.cmd)  # !
              os.system(self.fixed)

      @app.route("/a")
      def a():
          Job(request.args["c"]).run()
          return "ok"
    `),
  );
});

test('closure reads a tainted variable of the enclosing function', async () => {
  await expectMarked(
    app(`
      @app.route("/a")
      def a():
          c = request.args["c"]
          fixed = "uptime"
          def inner():
              os.system(c)  # !
              os.system(fixed)
          inner()
          return "ok"
    `),
  );
});

test('lambda', async () => {
  await expectMarked(
    app(`
      run = lambda cmd: os.system(cmd)  # !
      quiet = lambda: os.system("sync")

      @app.route("/a")
      def a():
          run(request.args["c"])
          quiet()
          return "ok"
    `),
  );
});

test('comprehension', async () => {
  await expectMarked(
    app(`
      @app.route("/a")
      def a():
          parts = [p.strip() for p in request.args.getlist("p")]
          os.system(" ".join(parts))  # !
          lens = [len(p) for p in request.args.getlist("p")]
          os.system("echo %d" % sum(lens))
          consts = [s for s in ("a", "b")]
          os.system(" ".join(consts))
          return "ok"
    `),
  );
});

test('with open(...) as f: the tainted path is flagged on the open line', async () => {
  await expectMarked(
    app(`
      @app.route("/a")
      def a():
          with open("/srv/data/" + request.args["f"]) as fh:  # !
              first = fh.readline()
          with open("/etc/motd") as fh:
              motd = fh.read()
          return "ok"
    `),
    'py/path-traversal',
  );
});

test('string building: f-strings, "".join, % formatting, .format', async () => {
  await expectMarked(
    app(`
      @app.route("/a")
      def a():
          h = request.args["h"]
          os.system(f"ping {h}")  # !
          os.system("ping %s" % h)  # !
          os.system("ping %s %s" % ("-c1", h))  # !
          os.system("ping {}".format(h))  # !
          os.system("ping {host}".format(host=h))  # !
          os.system(" ".join(["ping", h]))  # !
          os.system(f"ping {len(h)}")
          os.system("ping %d" % int(h))
          os.system("ping {}".format("localhost"))
          os.system(" ".join(["ping", "localhost"]))
          return "ok"
    `),
  );
});

test('configparser set/get keeps keys apart', async () => {
  await expectMarked(
    app(`
      import configparser

      @app.route("/a")
      def a():
          cp = configparser.ConfigParser()
          cp.add_section("job")
          cp.set("job", "cmd", request.args["c"])
          cp.set("job", "fixed", "uptime")
          os.system(cp.get("job", "cmd"))  # !
          os.system(cp.get("job", "fixed"))
          return "ok"
    `),
  );
});

test('mutual recursion terminates and the sink is still found', async () => {
  const t0 = Date.now();
  await expectMarked(
    app(`
      def ping(x, n):
          if n > 0:
              return pong(x, n - 1)
          os.system(x)  # !
          return x

      def pong(x, n):
          if n % 2:
              return ping(x + " ", n)
          return ping(x, n)

      @app.route("/a")
      def a():
          ping(request.args["c"], 3)
          os.system(pong("uptime", 2))
          return "ok"
    `),
  );
  void t0; // termination is what is tested; speed is the benchmarks' job
});

test('a helper called from two routes reports its sink once, with the shortest path', async () => {
  const files = app(`
    def helper(c):
        os.system(c)  # !

    def middle(c):
        helper(c)

    @app.route("/long")
    def long_route():
        middle(request.args["x"])
        return "ok"

    @app.route("/short")
    def short_route():
        helper(request.args["y"])  # src
        return "ok"
  `);
  const [f] = await expectMarked(files);
  const srcLine = markedLines(files['app.py'], '# src')[0]!;
  assert.equal(f!.evidence[0]!.kind, 'source');
  assert.equal(f!.evidence[0]!.location.startLine, srcLine, 'the shorter route is the one reported');
  assert.equal(f!.properties?.pathLength, f!.evidence.length);
  assert.ok(f!.evidence.length <= 3, `path has ${f!.evidence.length} steps`);
});

test('evidence runs source -> ... -> sink and the finding line is the sink line', async () => {
  const files = {
    'app.py': FLASK + `
from tools import wrap, run

@app.route("/a")
def a():
    raw = request.args["c"]
    cmd = wrap(raw)
    run(cmd)
    return "ok"
`,
    'tools.py': `
      import os

      def wrap(x):
          return "nice " + x

      def run(c):
          os.system(c)  # !
    `,
  };
  const [f] = await expectMarked(files);
  const ev = f!.evidence;
  assert.ok(ev.length >= 3);
  assert.equal(ev[0]!.kind, 'source');
  assert.equal(ev[0]!.location.file, 'app.py');
  assert.match(ev[0]!.code ?? '', /request\.args\["c"\]/);
  assert.equal(ev.at(-1)!.kind, 'sink');
  assert.equal(ev.at(-1)!.location.file, f!.location.file);
  assert.equal(ev.at(-1)!.location.startLine, f!.location.startLine);
  assert.equal(f!.location.file, 'tools.py');
  assert.match(f!.code, /os\.system\(c\)/);
  // Inside app.py the steps go forward through the route body.
  const appLines = ev.filter((e) => e.location.file === 'app.py').map((e) => e.location.startLine);
  assert.deepEqual(appLines, [...appLines].sort((x, y) => x - y));
  for (const e of ev.slice(1, -1)) assert.ok(['step', 'call', 'return', 'guard', 'config'].includes(e.kind), e.kind);
});

test('deterministic output: two runs give identical JSON except durationMs', async () => {
  const dir = writeTree({
    'app.py': FLASK + `
from lib.helpers import run, ident
from lib import store

@app.route("/a")
def a():
    run(request.args["a"])
    os.system(ident(request.args["b"]))
    store.save(request.args["p"])
    eval(request.form["e"])
    return request.args.get("x", "")
`,
    'lib/__init__.py': '',
    'lib/helpers.py': 'import os\n\ndef run(c):\n    os.system(c)\n\ndef ident(x):\n    return x\n',
    'lib/store.py': 'def save(p):\n    with open(p, "w") as fh:\n        fh.write("x")\n',
  });
  try {
    const norm = (r: unknown) => JSON.stringify(r, (k, v) => (k === 'durationMs' ? 0 : v));
    const a = await scanDir(dir);
    const b = await scanDir(dir);
    assert.ok(a.result.findings.length >= 4, `${a.result.findings.length} findings`);
    assert.equal(norm(b.result), norm(a.result));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('loop-carried values reach a sink in a later iteration; loops without carried changes still see every flow', async () => {
  await expectMarked(
    app(`
      @app.route("/carried")
      def carried():
          cmd = "ls"
          for item in ["a", "b"]:
              os.system(cmd)  # !
              cmd = request.args.get("c")
          return "ok"

      @app.route("/counter")
      def counter():
          n = 0
          parts = []
          while n < 3:
              subprocess.call(parts, shell=True)  # !
              parts.append(request.args.get("p"))
              n += 1
          return "ok"

      @app.route("/nested")
      def nested():
          last = "x"
          for row in [1, 2]:
              for col in [3, 4]:
                  os.system(last)  # !
              last = request.args.get("q")
          return "ok"

      @app.route("/fresh")
      def fresh():
          for item in request.args.getlist("i"):
              value = item.strip()
              os.system("echo " + value)  # !
              safe = "constant"
              os.system(safe)
          return "ok"
    `),
  );
});
