import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lower } from './helpers.js';
import { LineIndex } from '../../src/lang/python/positions.js';

// Columns are 1-based code points; end columns are exclusive (one past the last character).

test('spans of simple statements and expressions', () => {
  const m = lower('x = foo(1)\n');
  const s = m.body[0];
  assert.deepEqual(s.span, { startLine: 1, startColumn: 1, endLine: 1, endColumn: 11 });
  assert.equal(s.k, 'assign');
  if (s.k === 'assign') assert.deepEqual(s.value.span, { startLine: 1, startColumn: 5, endLine: 1, endColumn: 11 });
});

test('tabs count as one column', () => {
  const m = lower('if x:\n\t\ty = bad(z)\n');
  const s = m.body[0];
  assert.equal(s.k, 'if');
  if (s.k !== 'if') return;
  const inner = s.body[0];
  assert.deepEqual(inner.span, { startLine: 2, startColumn: 3, endLine: 2, endColumn: 13 });
});

test('CRLF line endings', () => {
  const m = lower('a = 1\r\nb = call(\r\n    x)\r\n');
  assert.deepEqual(m.body[1].span, { startLine: 2, startColumn: 1, endLine: 3, endColumn: 7 });
  assert.deepEqual(m.lines, ['a = 1', 'b = call(', '    x)', '']);
  const doc = m.body[0];
  assert.equal(doc.k, 'assign');
  const str = lower('s = """a\r\nb"""\r\n').body[0];
  assert.equal(str.k === 'assign' && str.value.k === 'const' && str.value.value, 'a\nb');
});

test('non-ASCII text: columns count code points, astral characters count once', () => {
  const m = lower('s = "é😀"; t = f(s)\n');
  const t = m.body[1];
  assert.equal(t.k, 'assign');
  // s = "é😀"; t = f(s)  ->  't' is the 11th code point (the emoji is one code point, two UTF-16 units)
  assert.deepEqual(t.span, { startLine: 1, startColumn: 11, endLine: 1, endColumn: 19 });
  const s = m.body[0];
  assert.equal(s.k === 'assign' && s.value.k === 'const' && s.value.value, 'é😀');
  const cjk = lower('名前 = 入力()\n').body[0];
  assert.equal(cjk.k, 'assign');
  if (cjk.k === 'assign') {
    assert.deepEqual(cjk.targets[0], { k: 'name', id: '名前', span: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 3 } });
    assert.deepEqual(cjk.value.span, { startLine: 1, startColumn: 6, endLine: 1, endColumn: 10 });
  }
});

test('function span covers decorators; headerSpan is def..colon', () => {
  const m = lower('class C:\n    @property\n    def f(self,\n          x):\n        return x\n');
  const c = m.body[0];
  assert.equal(c.k, 'classdef');
  if (c.k !== 'classdef') return;
  const f = c.cls.body[0];
  assert.equal(f.k, 'funcdef');
  if (f.k !== 'funcdef') return;
  assert.deepEqual(f.span, { startLine: 2, startColumn: 5, endLine: 5, endColumn: 17 });
  assert.deepEqual(f.fn.span, f.span);
  assert.deepEqual(f.fn.headerSpan, { startLine: 3, startColumn: 5, endLine: 4, endColumn: 14 });
});

test('syntax error spans', () => {
  const m = lower('x = 1\ny = (\n');
  assert.ok(m.syntaxErrors.length > 0);
  assert.equal(m.syntaxErrors[0].startLine, 2);
});

test('a span starting on a CRLF line end starts right after the text (syntax errors found there)', () => {
  const index = new LineIndex('ab\r\ncd\r\n');
  // Offset 3 is the '\n' of the first line ending: column 3, like offset 2 (its '\r').
  assert.deepEqual(index.span(3, 3), { startLine: 1, startColumn: 3, endLine: 1, endColumn: 3 });
  assert.deepEqual(index.span(2, 2), { startLine: 1, startColumn: 3, endLine: 1, endColumn: 3 });
  assert.deepEqual(index.span(3, 6), { startLine: 1, startColumn: 3, endLine: 2, endColumn: 3 });
  // LF files keep their columns.
  assert.deepEqual(new LineIndex('ab\ncd\n').span(2, 2), { startLine: 1, startColumn: 3, endLine: 1, endColumn: 3 });
});
