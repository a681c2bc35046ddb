/**
 * The engine's callees-first order: a callee the syntactic call graph finds is analysed before its
 * callers, so each of them is analysed once. Calls the graph misses cost a re-analysis of the
 * caller (its first analysis saw no summary), so these tests count analyses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../src/analysis/taint/engine.js';
import { loadModels } from '../../src/analysis/taint/models.js';
import { programOf } from './helpers.js';

const SOURCE_KINDS = new Set(['remote']);

// Several classes define `handle` and `run`: a call by method name alone resolves to none of them.
const SAME_NAMED = Object.fromEntries(
  [1, 2, 3, 4, 5].map((i) => [
    `other${i}.py`,
    `
class Other${i}:
    def handle(self, v):
        return v

    def run(self, v):
        return v
`,
  ]),
);

function analysesOf(files: Record<string, string>): { engine: Engine; flows: number } {
  const engine = new Engine(programOf({ ...files, ...SAME_NAMED }), loadModels('python'), { sourceKinds: SOURCE_KINDS });
  const flows = engine.run().length;
  return { engine, flows };
}

// a.py sorts first and defines its callers before what they call: a definition-order run would
// analyse every caller before its callee.
test('a method called on a local that holds an instance of a program class comes before its caller', () => {
  const { engine, flows } = analysesOf({
    'a.py': `
import os
from flask import request

def view():
    ctx = Context()
    ctx.handle(request.args["cmd"])

class Context:
    def handle(self, cmd):
        os.system(cmd)
`,
  });
  assert.equal(flows, 1);
  const functions = engine.analysedFunctions().length;
  // Module bodies run twice (before and after the functions); each function once.
  assert.equal(engine.analyses, functions + 2 * 6);
});

test('a function called through a module-level alias (`run = _run`) comes before its caller', () => {
  const { engine, flows } = analysesOf({
    'a.py': `
import os
from flask import request

def view():
    run(request.args["cmd"])

def _run(cmd):
    os.system(cmd)

if os.name == "posix":
    run = _run
`,
  });
  assert.equal(flows, 1);
  assert.equal(engine.analyses, engine.analysedFunctions().length + 2 * 6);
});

// Nested functions are analysed at each call, with the caller's environment as their closure.
test('a nested function called again with the same closure values is analysed once per analysis of its parent', () => {
  const { engine, flows } = analysesOf({
    'a.py': `
import os
from flask import request

def view():
    prefix = "ls "
    def run(arg):
        os.system(prefix + arg)
    for name in ("a", "b", "c"):
        run(name)
    run("d")
    run(request.args["cmd"])
`,
  });
  assert.equal(flows, 1);
  assert.equal(engine.nestedAnalyses, 1);
});

test('a nested function whose closure changed between calls is analysed again', () => {
  const { engine, flows } = analysesOf({
    'a.py': `
import os
from flask import request

def view():
    cmd = "ls"
    def run():
        os.system(cmd)
    run()
    cmd = request.args["cmd"]
    run()
`,
  });
  assert.equal(flows, 1);
  assert.equal(engine.nestedAnalyses, 2);
});

test('a nested function is analysed again after a global was written', () => {
  const { engine, flows } = analysesOf({
    'a.py': `
import os
from flask import request

CMD = "ls"

def view():
    def run():
        os.system(CMD)
    def update():
        global CMD
        CMD = request.args["cmd"]
    run()
    update()
    run()
`,
  });
  assert.equal(flows, 1);
  assert.equal(engine.nestedAnalyses, 3);
});
