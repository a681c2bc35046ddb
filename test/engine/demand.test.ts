/** The engine's demand mode: the roots' units and what they need, with a whole-program run's results. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { moduleDependencies } from '../../src/analysis/slice.js';
import { Engine } from '../../src/analysis/taint/engine.js';
import { loadModels } from '../../src/analysis/taint/models.js';
import type { RawFlow } from '../../src/analysis/taint/summary.js';
import { programOf } from './helpers.js';

// handlers.py and store.py sort before web.py: their functions come earlier in the whole
// program's order than the view that reaches them.
const TREE = {
  'handlers.py': `
    import os

    def run_cmd(c):
        os.system(c)

    HANDLERS = {"run": run_cmd}
  `,
  'store.py': `
    import sqlite3

    class Repo:
        def execute(self, q):
            return sqlite3.connect("app.db").execute("SELECT * FROM t WHERE a = '%s'" % q)

    def open_repo():
        return Repo()
  `,
  // More than a handful of methods named \`execute\`: the syntactic call graph leaves \`r.execute\` alone.
  ...Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`other${i}.py`, `
    class Other${i}:
        def execute(self, q):
            return q
  `])),
  'unrelated.py': `
    import os
    from flask import request

    def old_view():
        os.system(request.args["z"])
  `,
  'web.py': `
    import os
    import handlers
    from flask import request
    from store import open_repo

    def view3():
        def inner():
            os.system(request.args["n"])
        inner()

    def view():
        handlers.HANDLERS["run"](request.args["cmd"])

    def view2():
        # Only the analysis knows \`r\` is a Repo: the syntactic call graph does not follow returns.
        r = open_repo()
        return r.execute(request.args["q"])
  `,
};

const SOURCE_KINDS = new Set(['remote']);

function key(f: RawFlow): string {
  return `${f.site.kind} ${f.site.loc.file}:${f.site.loc.line} <- ${f.label.origin.kind === 'source' ? f.label.origin.description : '?'} [${f.steps.map((s) => `${s.loc.file}:${s.loc.line}`).join(' ')}]`;
}

test('demand mode finds what a whole-program run finds in the roots, through callees it only meets while analysing', () => {
  const program = programOf(TREE);
  const models = loadModels('python');
  const whole = new Engine(program, models, { sourceKinds: SOURCE_KINDS });
  const wholeFlows = whole.run().filter((f) => f.enclosing.startsWith('web.') || f.steps.some((s) => s.loc.file === 'web.py'));
  const demand = new Engine(program, models, { sourceKinds: SOURCE_KINDS, demand: { roots: new Set(['web']), dependencies: moduleDependencies(program) } });
  const demandFlows = demand.run();

  assert.deepEqual(demandFlows.map(key), wholeFlows.map(key));
  // A callback read from another module's global, a method found by the receiver's type, and a
  // flow inside a nested function (reported under the nested function's name).
  assert.deepEqual(demandFlows.map((f) => `${f.site.kind} ${f.site.loc.file}`).sort(), ['command handlers.py', 'command web.py', 'sql store.py', 'sql web.py']);
  // Only what the roots need was analysed: not the unrelated view, nor the other `execute` methods.
  assert.deepEqual(demand.analysedFunctions(), ['handlers.run_cmd', 'store.Repo.execute', 'store.open_repo', 'web.view', 'web.view2', 'web.view3']);
  assert.ok(whole.analysedFunctions().includes('unrelated.old_view'));
});

test('demand mode without roots in the program analyses nothing', () => {
  const program = programOf(TREE);
  const demand = new Engine(program, loadModels('python'), { sourceKinds: SOURCE_KINDS, demand: { roots: new Set(['gone']), dependencies: moduleDependencies(program) } });
  assert.deepEqual(demand.run(), []);
  assert.deepEqual(demand.analysedFunctions(), []);
});
