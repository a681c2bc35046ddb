import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cst, name, shape, valueOf } from './helpers.js';

const v = (src: string) => shape(valueOf(src));

test('names, attributes, subscripts and slices', () => {
  assert.deepEqual(v('a.b.c'), { k: 'attr', obj: { k: 'attr', obj: name('a'), name: 'b' }, name: 'c' });
  assert.deepEqual(v('a[i]'), { k: 'index', obj: name('a'), index: name('i') });
  assert.deepEqual(v('a[1:2]'), { k: 'slice', obj: name('a'), lower: cst(1), upper: cst(2) });
  assert.deepEqual(v('a[::3]'), { k: 'slice', obj: name('a'), step: cst(3) });
  assert.deepEqual(v('a[:n]'), { k: 'slice', obj: name('a'), upper: name('n') });
  assert.deepEqual(v('a[1, 2]'), { k: 'index', obj: name('a'), index: { k: 'tuple', elts: [cst(1), cst(2)] } });
});

test('calls: positional, keyword, *spread, **spread, generator argument', () => {
  assert.deepEqual(v('f(x, *y, k=1, **z)'), {
    k: 'call',
    fn: name('f'),
    args: [{ value: name('x') }, { spread: 1, value: name('y') }, { name: 'k', value: cst(1) }, { spread: 2, value: name('z') }],
  });
  const gen = v('any(x for x in y)');
  assert.equal(gen.k, 'call');
  if (gen.k === 'call') assert.equal(gen.args[0].value.k, 'comp');
});

test('operators', () => {
  assert.deepEqual(v('a + b * c'), { k: 'binop', op: '+', left: name('a'), right: { k: 'binop', op: '*', left: name('b'), right: name('c') } });
  assert.deepEqual(v('-x'), { k: 'unop', op: '-', operand: name('x') });
  assert.deepEqual(v('~x'), { k: 'unop', op: '~', operand: name('x') });
  assert.deepEqual(v('not x'), { k: 'unop', op: 'not', operand: name('x') });
  assert.deepEqual(v('a and b and c or d'), {
    k: 'boolop',
    op: 'or',
    values: [{ k: 'boolop', op: 'and', values: [name('a'), name('b'), name('c')] }, name('d')],
  });
  assert.deepEqual(v('a == b != c < d <= e > f >= g in h not in i is j is not k'), {
    k: 'compare',
    ops: ['==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is', 'is not'],
    operands: 'abcdefghijk'.split('').map(name),
  });
  assert.deepEqual(v('a if t else b'), { k: 'cond', test: name('t'), body: name('a'), orelse: name('b') });
  assert.deepEqual(v('(y := f(x))'), { k: 'walrus', target: 'y', value: { k: 'call', fn: name('f'), args: [{ value: name('x') }] } });
  assert.deepEqual(v('await g'), { k: 'await', value: name('g') });
});

test('number literals', () => {
  assert.deepEqual(v('[0x_ff, 0o17, 0B101, 1_000, 1.5e3, .5, 00, -3]'), {
    k: 'list',
    elts: [cst(255), cst(15), cst(5), cst(1000), cst(1500), cst(0.5), cst(0), cst(-3)],
  });
  const big = valueOf('12345678901234567890');
  assert.equal(big.k === 'const' && big.value, 12345678901234567890n);
  assert.deepEqual(v('2j'), { k: 'unknown', children: [] });
  assert.deepEqual(v('[True, False, None]'), { k: 'list', elts: [cst(true), cst(false), cst(null)] });
});

test('string literals are decoded', () => {
  assert.deepEqual(v(String.raw`"a\nb\tc\\d\'e\"f\x41\u00e9\U0001F600\101"`), cst('a\nb\tc\\d\'e"fAé😀A'));
  assert.deepEqual(v(String.raw`r"\n\x41"`), cst('\\n\\x41'));
  assert.deepEqual(v(String.raw`b"\xff\n"`), cst('\xff\n'));
  assert.deepEqual(v(String.raw`Rb'\d'`), cst('\\d'));
  assert.deepEqual(v(String.raw`BR"\d"`), cst('\\d'));
  assert.deepEqual(v(String.raw`U"\q"`), cst('\\q'));
  assert.deepEqual(v('"""two\nlines"""'), cst('two\nlines'));
  assert.deepEqual(v("'''it's'''"), cst("it's"));
  assert.deepEqual(v('""'), cst(''));
  assert.deepEqual(v('"a\\\nb"'), cst('ab'));
  assert.deepEqual(v('"{{x}}"'), cst('{{x}}'));
});

test('f-strings become templates; conversions and format specs are ignored', () => {
  assert.deepEqual(v('f"a{b!r:>{w}}c{{"'), { k: 'template', parts: [cst('a'), name('b'), cst('c{')] });
  assert.deepEqual(v('F"{x}"'), { k: 'template', parts: [name('x')] });
  assert.deepEqual(v('rf"\\d{x}"'), { k: 'template', parts: [cst('\\d'), name('x')] });
  assert.deepEqual(v('f"{x=}"'), { k: 'template', parts: [cst('x='), name('x')] });
  assert.deepEqual(v('f"plain"'), cst('plain'));
});

test('implicit concatenation: const when constant, else template', () => {
  assert.deepEqual(v('"a" \'b\' r"\\c"'), cst('ab\\c'));
  assert.deepEqual(v('"select " f"{q}" " limit"'), { k: 'template', parts: [cst('select '), name('q'), cst(' limit')] });
});

test('collections and comprehensions', () => {
  assert.deepEqual(v('(1, *a)'), { k: 'tuple', elts: [cst(1), { k: 'star', value: name('a') }] });
  assert.deepEqual(v('{1, 2}'), { k: 'set', elts: [cst(1), cst(2)] });
  assert.deepEqual(v('{**d, "k": 1}'), { k: 'dict', keys: [null, cst('k')], values: [name('d'), cst(1)] });
  assert.deepEqual(v('[x for x in y if p if q for z in x]'), {
    k: 'comp',
    kind: 'list',
    elt: name('x'),
    generators: [
      { target: name('x'), iter: name('y'), conds: [name('p'), name('q')] },
      { target: name('z'), iter: name('x'), conds: [] },
    ],
  });
  assert.deepEqual(v('{k: w for k, w in d}'), {
    k: 'comp',
    kind: 'dict',
    elt: name('k'),
    value: name('w'),
    generators: [{ target: { k: 'tuple', elts: [name('k'), name('w')] }, iter: name('d'), conds: [] }],
  });
  assert.equal((v('{x for x in y}') as { kind: string }).kind, 'set');
  assert.equal((v('(x for x in y)') as { kind: string }).kind, 'gen');
});

test('lambda', () => {
  const l = v('lambda a, *b, c=1, **d: a + c');
  assert.equal(l.k, 'lambda');
  if (l.k !== 'lambda') return;
  assert.equal(l.fn.name, '<lambda>');
  assert.deepEqual(
    l.fn.params.map((p) => [p.name, p.kind]),
    [['a', 'positional'], ['b', 'vararg'], ['c', 'kwonly'], ['d', 'kwarg']],
  );
  assert.deepEqual(l.fn.body, [{ k: 'return', value: { k: 'binop', op: '+', left: name('a'), right: name('c') } }]);
  assert.equal(l.fn.isGenerator, false);
});

test('yield, yield from, starred expressions', () => {
  assert.deepEqual(v('yield'), { k: 'yield', from: false });
  assert.deepEqual(v('yield x'), { k: 'yield', value: name('x'), from: false });
  assert.deepEqual(v('yield from g()'), { k: 'yield', value: { k: 'call', fn: name('g'), args: [] }, from: true });
  assert.deepEqual(v('print(*a)'), { k: 'call', fn: name('print'), args: [{ spread: 1, value: name('a') }] });
});

test('unmodelled expressions become unknown with their children', () => {
  assert.deepEqual(v('...'), { k: 'unknown', children: [] });
});
