import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FunctionDef, Stmt } from '../../src/ir/types.js';
import { cst, firstStmt, lower, name, shape } from './helpers.js';

const s = (src: string) => shape(firstStmt(src));
const body = (src: string) => shape(lower(src).body);

function fnOf(stmt: Stmt): FunctionDef {
  if (stmt.k !== 'funcdef') throw new Error(`not a funcdef: ${stmt.k}`);
  return stmt.fn;
}

test('assignments', () => {
  assert.deepEqual(s('a = b = v'), { k: 'assign', targets: [name('a'), name('b')], value: name('v') });
  assert.deepEqual(s('a, *b = c'), {
    k: 'assign',
    targets: [{ k: 'tuple', elts: [name('a'), { k: 'star', value: name('b') }] }],
    value: name('c'),
  });
  assert.deepEqual(s('[a, b] = c'), { k: 'assign', targets: [{ k: 'list', elts: [name('a'), name('b')] }], value: name('c') });
  assert.deepEqual(s('x.y[0] = 1'), { k: 'assign', targets: [{ k: 'index', obj: { k: 'attr', obj: name('x'), name: 'y' }, index: cst(0) }], value: cst(1) });
  assert.deepEqual(s('n += 1'), { k: 'assign', targets: [name('n')], value: cst(1), op: '+' });
  assert.deepEqual(s('n //= 2'), { k: 'assign', targets: [name('n')], value: cst(2), op: '//' });
  assert.deepEqual(s('x: int = 5'), { k: 'assign', targets: [name('x')], value: cst(5) });
  assert.deepEqual(body('x: int'), []);
  assert.deepEqual(s('a = 1, 2'), { k: 'assign', targets: [name('a')], value: { k: 'tuple', elts: [cst(1), cst(2)] } });
  assert.deepEqual(s('x = yield'), { k: 'assign', targets: [name('x')], value: { k: 'yield', from: false } });
});

test('imports', () => {
  assert.deepEqual(s('import a.b.c, a.b as x'), {
    k: 'import',
    bindings: [
      { local: 'a', module: 'a.b.c', level: 0 },
      { local: 'x', module: 'a.b', level: 0, aliased: true },
    ],
  });
  assert.deepEqual(s('from . import x'), { k: 'import', bindings: [{ local: 'x', module: '', member: 'x', level: 1 }] });
  assert.deepEqual(s('from ..pkg.m import f as g, h'), {
    k: 'import',
    bindings: [
      { local: 'g', module: 'pkg.m', member: 'f', level: 2 },
      { local: 'h', module: 'pkg.m', member: 'h', level: 2 },
    ],
  });
  assert.deepEqual(s('from m import (a,\n  b)'), {
    k: 'import',
    bindings: [
      { local: 'a', module: 'm', member: 'a', level: 0 },
      { local: 'b', module: 'm', member: 'b', level: 0 },
    ],
  });
  assert.deepEqual(s('from m import *'), { k: 'import', bindings: [{ local: '*', module: 'm', member: '*', level: 0 }] });
  assert.deepEqual(s('from __future__ import annotations'), {
    k: 'import',
    bindings: [{ local: 'annotations', module: '__future__', member: 'annotations', level: 0 }],
  });
  // Conditional imports stay inside their statement.
  const t = s('try:\n    import json\nexcept ImportError:\n    json = None');
  assert.equal(t.k, 'try');
  if (t.k === 'try') assert.equal(t.body[0].k, 'import');
});

test('functions: params of all kinds, decorators, async, annotations', () => {
  const src = '@dec\n@d.x(1)\nasync def f(a, /, b: int = 2, *args: str, c, d=1, **kw) -> int:\n    return a\n';
  const fn = fnOf(lower(src).body[0]);
  assert.equal(fn.name, 'f');
  assert.equal(fn.isAsync, true);
  assert.equal(fn.isGenerator, false);
  assert.deepEqual(shape(fn.decorators), [name('dec'), { k: 'call', fn: { k: 'attr', obj: name('d'), name: 'x' }, args: [{ value: cst(1) }] }]);
  assert.deepEqual(shape(fn.params), [
    { name: 'a', kind: 'positional' },
    { name: 'b', kind: 'positional', default: cst(2), annotation: name('int') },
    { name: 'args', kind: 'vararg', annotation: name('str') },
    { name: 'c', kind: 'kwonly' },
    { name: 'd', kind: 'kwonly', default: cst(1) },
    { name: 'kw', kind: 'kwarg' },
  ]);
  assert.deepEqual(shape(fn.returns), name('int'));
  assert.deepEqual(fn.span, { startLine: 1, startColumn: 1, endLine: 4, endColumn: 13 });
  assert.deepEqual(fn.headerSpan, { startLine: 3, startColumn: 1, endLine: 3, endColumn: 64 });
  const kwOnly = fnOf(lower('def g(*, k): pass').body[0]);
  assert.deepEqual(kwOnly.params.map((p) => [p.name, p.kind]), [['k', 'kwonly']]);
});

test('isGenerator looks at the body only, not nested functions, lambdas or classes', () => {
  assert.equal(fnOf(lower('def f():\n    x = yield 1\n').body[0]).isGenerator, true);
  assert.equal(fnOf(lower('def f():\n    yield from g()\n').body[0]).isGenerator, true);
  assert.equal(fnOf(lower('def f():\n    def g():\n        yield 1\n    return g\n').body[0]).isGenerator, false);
  assert.equal(fnOf(lower('def f():\n    return lambda: (yield)\n').body[0]).isGenerator, false);
  const outer = fnOf(lower('def f():\n    def g():\n        yield 1\n    yield 2\n').body[0]);
  assert.equal(outer.isGenerator, true);
  assert.equal(fnOf(outer.body[0]).isGenerator, true);
});

test('classes with bases, keywords and decorators', () => {
  const c = s('@dataclass\nclass C(Base, *bs, metaclass=M, **kw):\n    x = 1\n');
  assert.deepEqual(c, {
    k: 'classdef',
    cls: {
      name: 'C',
      bases: [name('Base'), { k: 'star', value: name('bs') }],
      keywords: [{ name: 'metaclass', value: name('M') }, { spread: 2, value: name('kw') }],
      decorators: [name('dataclass')],
      body: [{ k: 'assign', targets: [name('x')], value: cst(1) }],
    },
  });
});

test('if / elif / else nests elif in orelse', () => {
  assert.deepEqual(s('if a:\n    x\nelif b:\n    y\nelse:\n    z\n'), {
    k: 'if',
    test: name('a'),
    body: [{ k: 'expr', value: name('x') }],
    orelse: [{ k: 'if', test: name('b'), body: [{ k: 'expr', value: name('y') }], orelse: [{ k: 'expr', value: name('z') }] }],
  });
});

test('loops with else, async for', () => {
  assert.deepEqual(s('while x:\n    pass\nelse:\n    break\n'), { k: 'while', test: name('x'), body: [{ k: 'pass' }], orelse: [{ k: 'break' }] });
  assert.deepEqual(s('for i, j in d.items():\n    continue\nelse:\n    pass\n'), {
    k: 'for',
    target: { k: 'tuple', elts: [name('i'), name('j')] },
    iter: { k: 'call', fn: { k: 'attr', obj: name('d'), name: 'items' }, args: [] },
    body: [{ k: 'continue' }],
    orelse: [{ k: 'pass' }],
    isAsync: false,
  });
  const f = fnOf(lower('async def f():\n    async for a in b:\n        pass\n').body[0]);
  assert.equal(f.body[0].k === 'for' && f.body[0].isAsync, true);
});

test('with: multiple items, as-targets, parenthesized, async', () => {
  const expected = {
    k: 'with',
    items: [{ ctx: { k: 'call', fn: name('open'), args: [{ value: name('a') }] }, target: name('f') }, { ctx: name('lock') }],
    body: [{ k: 'pass' }],
  };
  assert.deepEqual(s('with open(a) as f, lock:\n    pass\n'), expected);
  assert.deepEqual(s('with (\n    open(a) as f,\n    lock,\n):\n    pass\n'), expected);
  const f = fnOf(lower('async def f():\n    async with s as (a, b):\n        pass\n').body[0]);
  assert.deepEqual(shape(f.body[0]), {
    k: 'with',
    items: [{ ctx: name('s'), target: { k: 'tuple', elts: [name('a'), name('b')] } }],
    body: [{ k: 'pass' }],
  });
});

test('try / except / except* / else / finally', () => {
  const t = s('try:\n    pass\nexcept (A, B) as e:\n    pass\nexcept* C:\n    pass\nexcept D as d:\n    pass\nexcept:\n    pass\nelse:\n    x\nfinally:\n    y\n');
  assert.deepEqual(t, {
    k: 'try',
    body: [{ k: 'pass' }],
    handlers: [
      { type: { k: 'tuple', elts: [name('A'), name('B')] }, name: 'e', body: [{ k: 'pass' }] },
      { type: name('C'), body: [{ k: 'pass' }] },
      { type: name('D'), name: 'd', body: [{ k: 'pass' }] },
      { body: [{ k: 'pass' }] },
    ],
    orelse: [{ k: 'expr', value: name('x') }],
    finalbody: [{ k: 'expr', value: name('y') }],
  });
});

test('simple statements', () => {
  assert.deepEqual(s('raise X from Y'), { k: 'raise', exc: name('X'), cause: name('Y') });
  assert.deepEqual(s('raise'), { k: 'raise' });
  assert.deepEqual(s('assert x, "m"'), { k: 'assert', test: name('x'), msg: cst('m') });
  assert.deepEqual(s('global a, b'), { k: 'global', names: ['a', 'b'] });
  assert.deepEqual(s('nonlocal c'), { k: 'global', names: ['c'] });
  assert.deepEqual(s('del a, b[1]'), { k: 'delete', targets: [name('a'), { k: 'index', obj: name('b'), index: cst(1) }] });
  assert.deepEqual(s('return'), { k: 'return' });
  assert.deepEqual(s('return a, b'), { k: 'return', value: { k: 'tuple', elts: [name('a'), name('b')] } });
  assert.deepEqual(body('pass; break; continue'), [{ k: 'pass' }, { k: 'break' }, { k: 'continue' }]);
  assert.deepEqual(body('type X = list[int]'), []);
});

test('Python 2 print and exec statements become calls', () => {
  assert.deepEqual(s('print >>f, "x", y'), {
    k: 'expr',
    value: { k: 'call', fn: name('print'), args: [{ name: 'file', value: name('f') }, { value: cst('x') }, { value: name('y') }] },
  });
  assert.deepEqual(s('exec "code" in g'), { k: 'expr', value: { k: 'call', fn: name('exec'), args: [{ value: cst('code') }, { value: name('g') }] } });
  assert.deepEqual(s('print("x")'), { k: 'expr', value: { k: 'call', fn: name('print'), args: [{ value: cst('x') }] } });
});

test('match / case patterns', () => {
  const src = [
    'match cmd:',
    '    case [1, -2, *rest] if rest:',
    '        pass',
    '    case {"k": v, **kw}:',
    '        pass',
    '    case Point(x=0, y=yy) | None as p:',
    '        pass',
    '    case Color.RED:',
    '        pass',
    '    case "a" | "b":',
    '        pass',
    '    case x:',
    '        pass',
    '    case _:',
    '        pass',
  ].join('\n');
  const m = s(src);
  assert.equal(m.k, 'match');
  if (m.k !== 'match') return;
  assert.deepEqual(m.subject, name('cmd'));
  const cases = m.cases;
  assert.deepEqual(cases[0].pattern, { k: 'list', elts: [cst(1), cst(-2), { k: 'star', value: name('rest') }] });
  assert.deepEqual(cases[0].captures, ['rest']);
  assert.deepEqual(cases[0].guard, name('rest'));
  assert.deepEqual(cases[1].pattern, { k: 'dict', keys: [cst('k'), null], values: [name('v'), name('kw')] });
  assert.deepEqual(cases[1].captures, ['v', 'kw']);
  assert.equal(cases[2].pattern.k, 'unknown');
  assert.deepEqual(cases[2].captures, ['yy', 'p']);
  assert.deepEqual(cases[3].pattern, { k: 'attr', obj: name('Color'), name: 'RED' });
  assert.deepEqual(cases[3].captures, []);
  assert.deepEqual(cases[4].pattern, { k: 'unknown', children: [cst('a'), cst('b')] });
  assert.deepEqual(cases[5].pattern, name('x'));
  assert.deepEqual(cases[5].captures, ['x']);
  assert.deepEqual(cases[6].pattern, { k: 'unknown', children: [] });
  assert.deepEqual(cases[6].captures, []);
  assert.deepEqual(cases[6].body, [{ k: 'pass' }]);
});

test('comments and lines', () => {
  const m = lower('x = 1  # noqa: B101\r\n# full line\r\ny = "#not"\r\n');
  assert.deepEqual(m.comments, [
    { line: 1, text: ' noqa: B101' },
    { line: 2, text: ' full line' },
  ]);
  assert.deepEqual(m.lines, ['x = 1  # noqa: B101', '# full line', 'y = "#not"', '']);
  assert.equal(m.language, 'python');
  assert.equal(m.file, 'pkg/mod.py');
  assert.equal(m.name, 'pkg.mod');
  assert.equal(m.isPackage, false);
});
