import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineByLineRanges, statementRange, type Expr } from '../../src/ir/types.js';
import { pythonModuleName } from '../../src/lang/python/module-name.js';
import { parsePython } from '../../src/lang/python/lower.js';
import { cst, firstStmt, lower, name, shape } from './helpers.js';

function depthOf(e: Expr): number {
  // Iterative: the IR of a truncated expression is bounded, but be safe.
  let max = 0;
  const stack: Array<[unknown, number]> = [[e, 1]];
  while (stack.length) {
    const [node, d] = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    max = Math.max(max, d);
    for (const [k, child] of Object.entries(node)) if (k !== 'span') stack.push([child, Array.isArray(child) ? d : d + 1]);
  }
  return max;
}

test('deeply nested parentheses and brackets do not overflow the stack', () => {
  for (const src of ['x = ' + '('.repeat(10000) + 'a' + ')'.repeat(10000), 'x = ' + '['.repeat(10000) + ']'.repeat(10000)]) {
    const m = lower(src);
    assert.equal(m.body.length, 1);
    assert.ok(m.truncatedAt && m.truncatedAt.length > 0);
    assert.deepEqual(m.syntaxErrors, []);
  }
});

test('a 100k-long operator chain is lowered with bounded depth', () => {
  const m = lower('x = a' + ' + a'.repeat(100_000) + '\ny = 2\n');
  assert.equal(m.body.length, 2);
  const first = m.body[0];
  assert.equal(first.k, 'assign');
  if (first.k === 'assign') {
    assert.equal(first.value.k, 'binop');
    assert.ok(depthOf(first.value) < 1200);
  }
  assert.deepEqual(shape(m.body[1]), { k: 'assign', targets: [name('y')], value: cst(2) });
  assert.equal(lower('x = a' + ' and a'.repeat(50_000)).body.length, 1);
});

test('maxDepth option cuts subtrees into childless unknowns and records where', () => {
  const m = lower('x = f(g(h(i(j))))', { maxDepth: 3 });
  // statement (1) > call f (2) > call g (3) > beyond: g's callee and argument are cut
  assert.deepEqual(m.truncatedAt?.length, 2);
  assert.deepEqual(m.truncatedAt?.[1], { startLine: 1, startColumn: 9, endLine: 1, endColumn: 16 });
  const unknown = { k: 'unknown', children: [] };
  assert.deepEqual(shape(m.body[0]), {
    k: 'assign',
    targets: [name('x')],
    value: { k: 'call', fn: name('f'), args: [{ value: { k: 'call', fn: unknown, args: [{ value: unknown }] } }] },
  });
  assert.equal(firstStmt('x = f(g(h(i(j))))').k, 'assign');
  assert.equal(lower('x = 1').truncatedAt, undefined);
});

test('syntax errors are reported and the statements around them are still lowered', () => {
  const m = lower('import os\nos.system(cmd\nx = 5\ndef g():\n    return 1\n');
  assert.ok(m.syntaxErrors.length >= 1);
  assert.equal(m.syntaxErrors[0].startLine, 2);
  assert.deepEqual(shape(m.body), [
    { k: 'import', bindings: [{ local: 'os', module: 'os', level: 0 }] },
    { k: 'expr', value: { k: 'call', fn: { k: 'attr', obj: name('os'), name: 'system' }, args: [{ value: name('cmd') }] } },
    { k: 'assign', targets: [name('x')], value: cst(5) },
    {
      k: 'funcdef',
      fn: { name: 'g', params: [], decorators: [], body: [{ k: 'return', value: cst(1) }], isAsync: false, isGenerator: false },
    },
  ]);
  const inBlock = lower('if x:\n    a = 1\n    b = $\nd = 4\n');
  assert.equal(inBlock.syntaxErrors.length, 1);
  assert.equal(inBlock.syntaxErrors[0].startLine, 3);
  assert.deepEqual(shape(inBlock.body.at(-1)), { k: 'assign', targets: [name('d')], value: cst(4) });
  const missing = lower('def f(:\n    y = 2\n');
  assert.ok(missing.syntaxErrors.length >= 1);
  assert.equal(missing.body[0].k, 'funcdef');
});

test('garbage input never throws', () => {
  for (const src of ['\0\0\0', ')))(((', 'def', 'class:', '"""', 'f"{', '\\', 'match x:\n case', '@\n', 'lambda', '\uFEFFx = 1']) {
    const m = lower(src);
    assert.ok(Array.isArray(m.body), src);
  }
});

test('statementRanges cover multi-line statements and compound headers', () => {
  const src = [
    'x = call(',        // 1
    '    a,  # nosec',  // 2
    '    b)',           // 3
    '# comment',        // 4
    'if (a and',        // 5
    '        b):',      // 6
    '    y = 1',        // 7
    '@deco(',           // 8
    '    1)',           // 9
    'def f(',           // 10
    '    p):',          // 11
    '    """doc',       // 12
    '    string"""',    // 13
    'z = 1; w = (',     // 14
    '  2)',             // 15
  ].join('\n');
  const r = ranges(lower(src).statementRanges);
  assert.equal(r.length, 15);
  assert.deepEqual(r.slice(0, 3), [[1, 3], [1, 3], [1, 3]]);
  assert.deepEqual(r[3], [4, 4]);
  assert.deepEqual(r.slice(4, 7), [[5, 6], [5, 6], [7, 7]]);
  assert.deepEqual(r.slice(7, 11), [[8, 11], [8, 11], [8, 11], [8, 11]]);
  assert.deepEqual(r.slice(11, 13), [[12, 13], [12, 13]]);
  assert.deepEqual(r.slice(13, 15), [[14, 15], [14, 15]]);
  // Lines outside the file are statements of their own.
  assert.deepEqual(statementRange(lower(src).statementRanges, 16), [16, 16]);
  assert.deepEqual(statementRange(lower(src).statementRanges, 0), [0, 0]);
});

test('one-line compound statements map the line to the inner statement', () => {
  const r = ranges(lower('if x: foo(\n    a)\n').statementRanges);
  assert.deepEqual(r.slice(0, 2), [[1, 2], [1, 2]]);
});

test('a file that cannot be parsed has one statement per line', () => {
  assert.deepEqual(ranges(lineByLineRanges(3)), [[1, 1], [2, 2], [3, 3]]);
});

/** The packed ranges as one pair per line. */
function ranges(packed: Int32Array): Array<[number, number]> {
  return Array.from({ length: packed.length / 2 }, (_, i) => statementRange(packed, i + 1));
}

test('module names from paths', () => {
  assert.deepEqual(pythonModuleName('pkg/sub/mod.py'), { name: 'pkg.sub.mod', isPackage: false });
  assert.deepEqual(pythonModuleName('pkg/__init__.py'), { name: 'pkg', isPackage: true });
  assert.deepEqual(pythonModuleName('src/app/main.pyw'), { name: 'src.app.main', isPackage: false });
  assert.deepEqual(pythonModuleName('setup.py'), { name: 'setup', isPackage: false });
  assert.deepEqual(pythonModuleName('__init__.py'), { name: '', isPackage: true });
  const m = parsePython('', 'a/b/__init__.py').module;
  assert.equal(m.name, 'a.b');
  assert.equal(m.isPackage, true);
  assert.equal(parsePython('', 'x.py', { moduleName: 'custom', isPackage: false }).module.name, 'custom');
});

test('multi-megabyte input parses', () => {
  const chunk = 'def f(a, b=1):\n    """doc"""\n    return os.system("ls " + a)  # c\n\n';
  const src = chunk.repeat(Math.ceil(3_000_000 / chunk.length));
  const m = lower(src);
  assert.equal(m.body.length, Math.ceil(3_000_000 / chunk.length));
  assert.deepEqual(m.syntaxErrors, []);
  const last = m.body.at(-1)!;
  assert.equal(last.span.startLine, m.lines.length - 4);
});
