/** Which names a loop carries between iterations (analysis/taint/loop-reads.ts) and when their values changed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FunctionDef, Stmt } from '../../src/ir/types.js';
import { parsePython } from '../../src/lang/python/lower.js';
import { loopCarriedNames, stableLoopsApply } from '../../src/analysis/taint/loop-reads.js';
import { EMPTY, indistinguishable, type AbsValue, type Label } from '../../src/analysis/taint/values.js';
import { dedent } from './helpers.js';

function firstFunction(src: string): FunctionDef {
  const m = parsePython(dedent(src), 'm.py', { moduleName: 'm', isPackage: false }).module;
  const s = m.body.find((x): x is Extract<Stmt, { k: 'funcdef' }> => x.k === 'funcdef');
  assert.ok(s);
  return s.fn;
}

function carried(src: string): string[] {
  const fn = firstFunction(src);
  const loop = fn.body.find((x): x is Extract<Stmt, { k: 'for' | 'while' }> => x.k === 'for' || x.k === 'while');
  assert.ok(loop);
  return [...loopCarriedNames(loop)].sort();
}

test('a name assigned unconditionally at the top of the body before any read is not carried', () => {
  assert.deepEqual(
    carried(`
      def f(xs):
          total = 0
          for x in xs:
              y = g(x)
              a, (b, *c) = y
              total += y + a
              out.append(b)
    `),
    ['g', 'out', 'total'],
  );
});

test('reads before the assignment, self-reads and conditional assignments make a name carried', () => {
  assert.deepEqual(
    carried(`
      def f(xs):
          for x in xs:
              use(y)
              y = x
              z = z + 1
              if x:
                  w = 1
              v = w
              obj.attr = x
    `),
    ['obj', 'use', 'w', 'y', 'z'],
  );
});

test('a while loop reads its test at every iteration; an attribute target reads its object', () => {
  assert.deepEqual(carried(`
    def f():
        while n < 3:
            n = step()
  `), ['n', 'step']);
  assert.deepEqual(carried(`
    def f(xs):
        for self.x in xs:
            pass
  `), ['self']);
});

test('functions with nested scopes, global or match do not qualify', () => {
  assert.equal(stableLoopsApply(firstFunction('def f(xs):\n    for x in xs:\n        y = x\n')), true);
  assert.equal(stableLoopsApply(firstFunction('def f(xs):\n    def g():\n        return 1\n    for x in xs:\n        g()\n')), false);
  assert.equal(stableLoopsApply(firstFunction('def f(xs):\n    for x in xs:\n        k = sorted(xs, key=lambda v: v)\n')), false);
  assert.equal(stableLoopsApply(firstFunction('def f(xs):\n    global G\n    for x in xs:\n        G = x\n')), false);
  assert.equal(stableLoopsApply(firstFunction('def f(x):\n    match x:\n        case 1:\n            pass\n')), false);
});

test('indistinguishable compares every property of two values, at any depth', () => {
  const src = (line: number): Label => ({ origin: { kind: 'source', sourceKind: 'remote', description: 'q', loc: { file: 'a.py', line, column: 1, endLine: line, endColumn: 2 } }, cleared: 0, flags: 0, steps: [] });
  const deep = (leaf: AbsValue): AbsValue => {
    let v = leaf;
    for (let i = 0; i < 7; i++) v = { labels: [], fields: new Map([['a:x', v]]) };
    return v;
  };
  assert.equal(indistinguishable(undefined, undefined), true);
  assert.equal(indistinguishable(EMPTY, undefined), false);
  assert.equal(indistinguishable({ labels: [src(1), src(2)] }, { labels: [src(2), { ...src(1), steps: [] }] }), true, 'label sets, evidence aside');
  assert.equal(indistinguishable({ labels: [src(1)] }, { labels: [{ ...src(1), cleared: 4 }] }), false);
  assert.equal(indistinguishable(deep(EMPTY), deep({ labels: [] })), true);
  assert.equal(indistinguishable(deep(EMPTY), deep({ labels: [src(3)] })), false, 'a difference seven levels down counts');
  assert.equal(indistinguishable({ labels: [], hasConst: true, value: 0 }, { labels: [] }), false);
  assert.equal(indistinguishable({ labels: [], hasConst: true, value: Number.NaN }, { labels: [], hasConst: true, value: Number.NaN }), true);
  assert.equal(indistinguishable({ labels: [], elems: EMPTY }, { labels: [] }), false, 'known empty contents differ from none');
  assert.equal(indistinguishable({ labels: [], qname: 'os.system' }, { labels: [], qname: 'os.popen' }), false);
});
