/** The change slice: module dependencies and the part of a program a change can affect. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changeRoots, moduleDependencies } from '../../src/analysis/slice.js';
import { programOf } from './helpers.js';

const TREE = {
  'app/__init__.py': `
    from .util import clean
  `,
  'app/util.py': `
    def clean(x):
        return x.strip()
  `,
  'app/views.py': `
    import app.db
    from app import clean

    def show(q):
        return app.db.query(clean(q))
  `,
  'app/db.py': `
    from .conn import *

    def query(q):
        return connect().execute(q)
  `,
  'app/conn.py': `
    def connect():
        pass
  `,
  'app/worker.py': `
    def handle(job):
        job.publish_report()
  `,
  'app/report.py': `
    class Report:
        def publish_report(self):
            pass
  `,
  'app/unrelated.py': `
    import os

    def f():
        return os.getcwd()
  `,
  'app/cli.py': `
    from app.views import show

    def main():
        show("x")
  `,
};

test('dependencies follow imports, attribute chains, package re-exports, star imports and by-name method calls', () => {
  const deps = moduleDependencies(programOf(TREE));
  assert.deepEqual([...deps.get('app.views')!].sort(), ['app', 'app.db', 'app.util']);
  assert.deepEqual([...deps.get('app.db')!].sort(), ['app', 'app.conn']);
  assert.deepEqual([...deps.get('app.worker')!].sort(), ['app.report']);
  assert.deepEqual([...deps.get('app.unrelated')!], []);
});

test('the roots of a change: the changed modules and everything depending on them', () => {
  const program = programOf(TREE);
  // views changes: cli calls it. What views calls (db, conn, util) is analysed on demand only.
  assert.deepEqual([...changeRoots(program, ['app.views'])].sort(), ['app.cli', 'app.views']);
  // A leaf helper: everything that can reach it.
  assert.deepEqual([...changeRoots(program, ['app.conn'])].sort(), ['app.cli', 'app.conn', 'app.db', 'app.views']);
  // A method only reached by name.
  assert.deepEqual([...changeRoots(program, ['app.report'])].sort(), ['app.report', 'app.worker']);
  assert.deepEqual([...changeRoots(program, ['app.unrelated'])], ['app.unrelated']);
  // Files that are not modules of the program (deleted, not Python) contribute nothing.
  assert.deepEqual([...changeRoots(program, ['gone'])], []);
});
