import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeModule, encodeModule, lazyBodyLoads } from '../../src/cache/module-payload.js';
import { moduleRefs, outlineDefs, unitFacts } from '../../src/ir/facts.js';
import type { Expr, ModuleIR, Stmt } from '../../src/ir/types.js';
import { deserialize } from 'node:v8';
import { parsePython } from '../../src/lang/python/lower.js';
import { pythonFilesUnder } from '../../src/testing/fixtures.js';

const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'python');

const parse = (text: string, rel = 'app/mod.py'): ModuleIR => parsePython(text, rel, { moduleName: 'app.mod', isPackage: false }).module;

/** Distinct objects reachable from a value: sharing lost in a round trip shows as more objects. */
function objectCount(root: unknown): number {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    if (ArrayBuffer.isView(v)) continue;
    for (const k of Object.keys(v)) stack.push((v as Record<string, unknown>)[k]);
  }
  return seen.size;
}

const SAMPLE = `
import os

X = 1

def top(request):
    name = request.args.get("n")
    return os.path.join("/srv", name)

class Handler:
    kind = "h"

    def get(self, q):
        return self.helper(q) + top(q)

    def helper(self, q):
        def inner(v):
            return v * 2
        return inner(q)

if X:
    def late():
        global X
        X = 2
`;

test('every fixture round-trips through the encoding: equal modules, sharing kept, the original untouched', () => {
  const files = pythonFilesUnder(fixturesDir);
  assert.ok(files.length > 20, `fixtures found: ${files.length}`);
  for (const file of files) {
    const rel = path.relative(fixturesDir, file).split(path.sep).join('/');
    const text = readFileSync(file, 'utf8');
    const m = parsePython(text, rel).module;
    const bytes = encodeModule(m);
    assert.deepStrictEqual(m, parsePython(text, rel).module, `${rel}: encoding restored the bodies`);
    const back = decodeModule(bytes, rel);
    assert.ok(back, rel);
    assert.deepStrictEqual(back, m, rel);
    assert.equal(objectCount(back), objectCount(m), `${rel}: no shared node duplicated`);
    assert.equal(decodeModule(bytes, 'other.py'), undefined, 'a module for another path is a miss');
  }
});

/** Span-shaped objects in the serialised parts of an encoding (layout: cache/module-payload.ts). */
function spanObjectsStored(bytes: Uint8Array): number {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const outlineEnd = 8 + b.readUInt32LE(0);
  const linesEnd = outlineEnd + b.readUInt32LE(4);
  let n = 0;
  const stack: unknown[] = [deserialize(b.subarray(8, outlineEnd)), deserialize(b.subarray(linesEnd))];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) continue;
    if ('startLine' in v) n++;
    for (const k of Object.keys(v)) stack.push((v as Record<string, unknown>)[k]);
  }
  return n;
}

test('spans are stored as numbers: no span object is left in any part, and shared spans come back shared', () => {
  const texts = [...pythonFilesUnder(fixturesDir).map((f) => readFileSync(f, 'utf8')), SAMPLE, 'x = ' + '('.repeat(600) + 'a' + ')'.repeat(600) + '\ndef f(:\n  pass\n', 'g = lambda a, *b, c=1: (a, b)\n'];
  for (const text of texts) {
    const m = parse(text);
    const bytes = encodeModule(m);
    assert.equal(spanObjectsStored(bytes), 0);
    for (const lazyBodies of [false, true]) {
      const back = decodeModule(bytes, 'app/mod.py', { lazyBodies })!;
      assert.deepStrictEqual(back, m);
      assert.equal(objectCount(back), objectCount(m));
    }
  }
  const truncated = decodeModule(encodeModule(parse('x = ' + '('.repeat(600) + 'a' + ')'.repeat(600) + '\n')), 'app/mod.py')!;
  assert.ok(truncated.truncatedAt?.length);
  const lambda = decodeModule(encodeModule(parse('g = lambda a: a\n')), 'app/mod.py')!;
  const value = (lambda.body[0] as Extract<Stmt, { k: 'assign' }>).value as Extract<Expr, { k: 'lambda' }>;
  assert.equal(value.fn.span, value.span, 'the lambda and its function share one span object again');
});

test('lazy decoding: the outline and the facts are there at once; lines, and all bodies of a module, decode on first use', () => {
  const fresh = parse(SAMPLE);
  const lazy = decodeModule(encodeModule(parse(SAMPLE)), 'app/mod.py', { lazyBodies: true })!;
  const before = lazyBodyLoads();
  assert.equal(lazy.name, 'app.mod');
  assert.equal(lazy.statementRanges.length, 2 * fresh.lines.length);
  const defs = outlineDefs(lazy);
  assert.deepStrictEqual(defs.map((d) => d.name), ['top', 'get', 'helper', 'late']);
  assert.deepStrictEqual(defs.map((d) => d.params.map((p) => p.name)), [['request'], ['self', 'q'], ['self', 'q'], []]);
  // Facts come from the outline: nothing decoded.
  assert.deepStrictEqual(moduleRefs(lazy), moduleRefs(fresh));
  assert.deepStrictEqual(defs.map(unitFacts), outlineDefs(fresh).map(unitFacts));
  assert.equal(lazyBodyLoads(), before);
  // Lines on first use, once.
  assert.deepStrictEqual(lazy.lines, fresh.lines);
  assert.equal(lazyBodyLoads(), before + 1);
  // One touch decodes the module's bodies once.
  assert.equal(defs[1]!.body.length, 1);
  assert.equal(lazyBodyLoads(), before + 2);
  assert.equal(defs[2]!.body.length, 2);
  assert.equal(lazyBodyLoads(), before + 2);
  assert.deepStrictEqual(lazy, fresh);
  // Writing before reading works too.
  const other = decodeModule(encodeModule(parse(SAMPLE)), 'app/mod.py', { lazyBodies: true })!;
  const [first] = outlineDefs(other);
  first!.body = [];
  assert.deepStrictEqual(first!.body, []);
  assert.equal(outlineDefs(other)[1]!.body.length, 1);
  other.lines = ['x'];
  assert.deepStrictEqual(other.lines, ['x']);
});

test('damaged encodings are misses, never half modules', () => {
  const bytes = Buffer.from(encodeModule(parse(SAMPLE)));
  const outlineEnd = 8 + bytes.readUInt32LE(0);
  const linesEnd = outlineEnd + bytes.readUInt32LE(4);
  assert.ok(decodeModule(bytes, 'app/mod.py'));
  assert.equal(decodeModule(bytes.subarray(0, 6), 'app/mod.py'), undefined, 'shorter than the lengths');
  assert.equal(decodeModule(bytes.subarray(0, outlineEnd - 10), 'app/mod.py'), undefined, 'outline cut');
  assert.equal(decodeModule(bytes.subarray(0, linesEnd), 'app/mod.py'), undefined, 'bodies missing');
  const longer = Buffer.from(bytes);
  longer.writeUInt32LE(bytes.length, 0);
  assert.equal(decodeModule(longer, 'app/mod.py'), undefined, 'outline length past the end');
  const other = Buffer.from(encodeModule(parse('def a():\n    pass\n')));
  const otherLinesEnd = 8 + other.readUInt32LE(0) + other.readUInt32LE(4);
  const otherOutlineEnd = 8 + other.readUInt32LE(0);
  assert.equal(decodeModule(Buffer.concat([bytes.subarray(0, linesEnd), other.subarray(otherLinesEnd)]), 'app/mod.py'), undefined, 'bodies of another module');
  const mixedLines = Buffer.concat([bytes.subarray(0, outlineEnd), other.subarray(otherOutlineEnd, otherLinesEnd), bytes.subarray(linesEnd)]);
  mixedLines.writeUInt32LE(otherLinesEnd - otherOutlineEnd, 4);
  assert.equal(decodeModule(mixedLines, 'app/mod.py'), undefined, 'lines of another module (line count differs)');
});

test('a decoded module does not keep its encoded bytes alive through a typed-array view', () => {
  const raw = encodeModule(parse(SAMPLE));
  for (const lazyBodies of [false, true]) {
    const m = decodeModule(raw, 'app/mod.py', { lazyBodies })!;
    assert.equal(m.statementRanges.byteLength, m.statementRanges.buffer.byteLength, `lazyBodies ${lazyBodies}`);
  }
});
