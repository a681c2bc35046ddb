import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectUnitFacts, moduleRefs, outlineDefs, unitFacts, type ModuleRef } from '../../src/ir/facts.js';
import { parsePython } from '../../src/lang/python/lower.js';

const parse = (text: string) => parsePython(text, 'pkg/app.py', { moduleName: 'pkg.app', isPackage: false }).module;

test('module references: names, imports (relative ones made absolute, inside bodies too) and by-name method calls', () => {
  const m = parse(`
import os.path
from . import sibling

def handler(request, helper):
    helper.process()
    os.path.join("a", "b")
    config.reload()
    data.append(1)
    os.path.join("c")

class C(Base):
    def m(self):
        self.run()
        import json
        return json.dumps(self)
`);
  const refs = moduleRefs(m);
  const has = (r: ModuleRef): boolean => refs.some((x) => JSON.stringify(x) === JSON.stringify(r));
  assert.ok(has({ k: 'import', qname: 'os.path' }));
  assert.ok(has({ k: 'import', qname: 'pkg' }));
  assert.ok(has({ k: 'import', qname: 'pkg.sibling' }));
  assert.ok(has({ k: 'import', qname: 'json' }), 'imports inside a method body count');
  assert.ok(has({ k: 'name', chain: 'os.path.join' }));
  assert.ok(has({ k: 'name', chain: 'os.path' }));
  assert.ok(has({ k: 'name', chain: 'Base' }));
  // A local receiver is of unknown type: by name, whatever the module binds.
  assert.ok(has({ k: 'method', method: 'process' }));
  // A global receiver may be a module-level entity: resolved through it when it is one.
  assert.ok(has({ k: 'method', method: 'reload', receiver: 'config' }));
  assert.ok(!refs.some((r) => r.k === 'method' && (r.method === 'append' || r.method === 'run')), 'container methods and self calls are not resolved by name');
  assert.equal(refs.filter((r) => r.k === 'name' && r.chain === 'os.path.join').length, 1, 'each reference once');
  const at = (r: ModuleRef): number => refs.findIndex((x) => JSON.stringify(x) === JSON.stringify(r));
  assert.ok(at({ k: 'import', qname: 'os.path' }) < at({ k: 'method', method: 'process' }), 'walk order');
  assert.ok(at({ k: 'method', method: 'process' }) < at({ k: 'name', chain: 'os.path.join' }), 'walk order');
});

test('unit facts: calls once each in walk order, local bindings with the callee bound, nested scopes aside', () => {
  const m = parse(`
def run(arg):
    ctx = Context(arg)
    ctx.handle()
    ctx.handle()
    other = pkg.make()
    a, b = pair()
    import shlex
    for item in items():
        helper(item).go()
    if (w := Widget()):
        pass
    def inner():
        hidden()
    key = lambda v: lost(v)
    return ctx

def writer():
    def nested():
        global STATE
        STATE = 1
    nested()
`);
  const [run, writer] = outlineDefs(m);
  const f = unitFacts(run!);
  assert.deepStrictEqual(f.calls, [
    ['Context', '', ''],
    ['ctx.handle', 'handle', 'ctx'],
    ['pkg.make', 'make', 'pkg'],
    ['pair', '', ''],
    ['items', '', ''],
    ['', 'go', ''],
    ['helper', '', ''],
    ['Widget', '', ''],
  ]);
  assert.deepStrictEqual(f.bindings, [
    ['ctx', 'Context'],
    ['other', 'pkg.make'],
    ['a', ''],
    ['b', ''],
    ['shlex', ''],
    ['item', ''],
    ['w', 'Widget'],
    ['inner', ''],
    ['key', ''],
  ]);
  assert.equal(f.declaresGlobal, false);
  assert.equal(unitFacts(writer!).declaresGlobal, true, 'a global in a nested function counts');
  assert.equal(unitFacts(run!), f, 'remembered');
  assert.deepStrictEqual(collectUnitFacts(run!.body), f);
});
