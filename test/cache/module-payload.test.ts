import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeModule, encodeModule, lazyBodyLoads } from '../../src/cache/module-payload.js';
import { moduleRefs, outlineDefs, unitFacts } from '../../src/ir/facts.js';
import type { ModuleIR } from '../../src/ir/types.js';
import { parsePython } from '../../src/lang/python/lower.js';

const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'python');

function pythonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...pythonFiles(abs));
    else if (name.endsWith('.py')) out.push(abs);
  }
  return out;
}

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
  const files = pythonFiles(fixturesDir);
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

test('lazy bodies: the outline and the facts are there at once, all bodies of a module decode on the first touch', () => {
  const fresh = parse(SAMPLE);
  const lazy = decodeModule(encodeModule(parse(SAMPLE)), 'app/mod.py', { lazyBodies: true })!;
  const before = lazyBodyLoads();
  assert.equal(lazy.name, 'app.mod');
  assert.deepStrictEqual(lazy.lines, fresh.lines);
  const defs = outlineDefs(lazy);
  assert.deepStrictEqual(defs.map((d) => d.name), ['top', 'get', 'helper', 'late']);
  assert.deepStrictEqual(defs.map((d) => d.params.map((p) => p.name)), [['request'], ['self', 'q'], ['self', 'q'], []]);
  // Facts come from the outline: no body decoded.
  assert.deepStrictEqual(moduleRefs(lazy), moduleRefs(fresh));
  assert.deepStrictEqual(defs.map(unitFacts), outlineDefs(fresh).map(unitFacts));
  assert.equal(lazyBodyLoads(), before);
  // One touch decodes the module's bodies once.
  assert.equal(defs[1]!.body.length, 1);
  assert.equal(lazyBodyLoads(), before + 1);
  assert.equal(defs[2]!.body.length, 2);
  assert.equal(lazyBodyLoads(), before + 1);
  assert.deepStrictEqual(lazy, fresh);
  // Writing a body before it was read works too.
  const other = decodeModule(encodeModule(parse(SAMPLE)), 'app/mod.py', { lazyBodies: true })!;
  const [first] = outlineDefs(other);
  first!.body = [];
  assert.deepStrictEqual(first!.body, []);
  assert.equal(outlineDefs(other)[1]!.body.length, 1);
});

test('damaged encodings are misses, never half modules', () => {
  const bytes = Buffer.from(encodeModule(parse(SAMPLE)));
  const outlineLength = bytes.readUInt32LE(0);
  assert.equal(decodeModule(bytes.subarray(0, 2), 'app/mod.py'), undefined, 'shorter than the length field');
  assert.equal(decodeModule(bytes.subarray(0, 4 + outlineLength - 10), 'app/mod.py'), undefined, 'outline cut');
  assert.equal(decodeModule(bytes.subarray(0, 4 + outlineLength), 'app/mod.py'), undefined, 'bodies missing');
  const longer = Buffer.from(bytes);
  longer.writeUInt32LE(bytes.length, 0);
  assert.equal(decodeModule(longer, 'app/mod.py'), undefined, 'outline length past the end');
  const otherBodies = encodeModule(parse('def a():\n    pass\n'));
  const mixed = Buffer.concat([bytes.subarray(0, 4 + outlineLength), Buffer.from(otherBodies).subarray(4 + Buffer.from(otherBodies).readUInt32LE(0))]);
  assert.equal(decodeModule(mixed, 'app/mod.py'), undefined, 'bodies of another module');
});
