/** Program: module bindings, import resolution, re-exports, star imports, suffix lookup, methods, bases. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { absoluteImportModule, type Binding, type Program } from '../../src/analysis/program.js';
import { parsePython } from '../../src/lang/python/lower.js';
import { programOf } from './helpers.js';

/** A small package tree used by most tests. */
const TREE = {
  'pkg/__init__.py': `
    from .core import run as go
    from . import sub
    from .core import *
  `,
  'pkg/core.py': `
    import http.server
    from .util import helper as h
    from . import util

    def run(x):
        return h(x)

    class Base:
        def m(self):
            pass

    class Child(Base):
        def own(self):
            pass

    class Ext(http.server.BaseHTTPRequestHandler, Child):
        pass
  `,
  'pkg/util.py': `
    def helper(x):
        return x
    CONST = "c"
  `,
  'pkg/sub/__init__.py': `
    from .leaf import deep
    from .. import core
    from ..core import run as r2
  `,
  'pkg/sub/leaf.py': `
    from ..core import Base
    from .. import util

    def deep():
        pass

    class Leaf(Base):
        pass

    class Grand(Leaf):
        pass
  `,
  'main.py': `
    import pkg.sub.leaf
    import pkg.core as pc
    import os.path
    import json
    from pkg import go
    from pkg.sub import deep as d
    from pkg.core import *
    from os.path import join as pjoin
  `,
  'src/app/db.py': `
    def q(sql):
        pass
  `,
  'web.py': `
    from app.db import q
    import app.db
  `,
};

const P = programOf(TREE);
const S = { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };

/** A binding without the heavy `def`/`module` fields. */
function bind(p: Program, mod: string, name: string): { kind: string; qname: string } | undefined {
  const m = p.modules.get(mod);
  assert.ok(m, `module ${mod} exists`);
  const b: Binding | undefined = p.lookupGlobal(m, name);
  return b ? { kind: b.kind, qname: b.qname } : undefined;
}

function sym(p: Program, q: string): string | undefined {
  const s = p.resolveSymbol(q);
  if (!s) return undefined;
  return `${s.kind}:${s.qname}${s.kind === 'function' && s.className ? ` of ${s.className}` : ''}`;
}

test('module names and package flags come from paths', () => {
  assert.deepEqual([...P.modules.keys()].sort(), ['main', 'pkg', 'pkg.core', 'pkg.sub', 'pkg.sub.leaf', 'pkg.util', 'src.app.db', 'web']);
  assert.equal(P.modules.get('pkg')!.isPackage, true);
  assert.equal(P.modules.get('pkg.sub')!.isPackage, true);
  assert.equal(P.modules.get('pkg.core')!.isPackage, false);
});

test('absoluteImportModule: levels from a module and from a package __init__', () => {
  const mod = parsePython('', 'pkg/sub/leaf.py').module;
  const init = parsePython('', 'pkg/sub/__init__.py').module;
  assert.equal(absoluteImportModule(mod, { local: 'x', module: 'm', member: 'f', level: 1 }), 'pkg.sub.m');
  assert.equal(absoluteImportModule(mod, { local: 'x', module: '', member: 'm', level: 1 }), 'pkg.sub');
  assert.equal(absoluteImportModule(mod, { local: 'x', module: 'core', member: 'f', level: 2 }), 'pkg.core');
  // In a package __init__, one dot is the package itself.
  assert.equal(absoluteImportModule(init, { local: 'x', module: 'leaf', member: 'f', level: 1 }), 'pkg.sub.leaf');
  assert.equal(absoluteImportModule(init, { local: 'x', module: '', member: 'core', level: 2 }), 'pkg');
  assert.equal(absoluteImportModule(mod, { local: 'x', module: 'a.b', level: 0 }), 'a.b');
});

test('`import a.b.c` binds the top-level package; `import a.b as x` binds x to a.b', () => {
  assert.deepEqual(bind(P, 'main', 'pkg'), { kind: 'module', qname: 'pkg' });
  assert.deepEqual(bind(P, 'main', 'pc'), { kind: 'module', qname: 'pkg.core' });
  assert.deepEqual(bind(P, 'main', 'os'), { kind: 'module', qname: 'os' });
  assert.deepEqual(bind(P, 'main', 'json'), { kind: 'module', qname: 'json' });
  assert.equal(bind(P, 'main', 'leaf'), undefined, '`import pkg.sub.leaf` does not bind `leaf`');
  // Through the bindings: pkg.sub.leaf.deep and pc.run name program functions.
  assert.equal(sym(P, 'main.pkg.sub.leaf.deep'), 'function:pkg.sub.leaf.deep');
  assert.equal(sym(P, 'main.pc.run'), 'function:pkg.core.run');
  assert.equal(P.resolveExprName(P.modules.get('main')!, { k: 'attr', obj: { k: 'name', id: 'pc', span: S }, name: 'run', span: S }), 'pkg.core.run');
});

test('`import a.b as a` (alias equal to the first segment) binds a to a.b', {
}, () => {
  const p = programOf({ 'pkg/__init__.py': '', 'pkg/core.py': 'def run(x):\n    return x\n', 'm.py': 'import pkg.core as pkg\n' });
  assert.deepEqual(bind(p, 'm', 'pkg'), { kind: 'module', qname: 'pkg.core' });
});

test('`from .m import f as g` at package and module level', () => {
  // pkg/__init__.py: from .core import run as go
  assert.deepEqual(bind(P, 'pkg', 'go'), { kind: 'import', qname: 'pkg.core.run' });
  // pkg/core.py (a module): from .util import helper as h
  assert.deepEqual(bind(P, 'pkg.core', 'h'), { kind: 'import', qname: 'pkg.util.helper' });
  // pkg/sub/__init__.py: from ..core import run as r2
  assert.deepEqual(bind(P, 'pkg.sub', 'r2'), { kind: 'import', qname: 'pkg.core.run' });
  // pkg/sub/leaf.py: from ..core import Base
  assert.deepEqual(bind(P, 'pkg.sub.leaf', 'Base'), { kind: 'import', qname: 'pkg.core.Base' });
  assert.equal(sym(P, 'pkg.core.h'), 'function:pkg.util.helper');
  assert.equal(sym(P, 'pkg.sub.r2'), 'function:pkg.core.run');
});

test('`from . import sub` and `from .. import core` bind submodules', () => {
  assert.deepEqual(bind(P, 'pkg', 'sub'), { kind: 'import', qname: 'pkg.sub' });
  assert.deepEqual(bind(P, 'pkg.core', 'util'), { kind: 'import', qname: 'pkg.util' });
  assert.deepEqual(bind(P, 'pkg.sub', 'core'), { kind: 'import', qname: 'pkg.core' });
  assert.deepEqual(bind(P, 'pkg.sub.leaf', 'util'), { kind: 'import', qname: 'pkg.util' });
  assert.equal(sym(P, 'pkg.sub'), 'module:pkg.sub');
  assert.equal(sym(P, 'pkg.core.util'), 'module:pkg.util');
  assert.equal(sym(P, 'pkg.core.util.helper'), 'function:pkg.util.helper');
  assert.equal(sym(P, 'pkg.sub.leaf.util.CONST'), 'variable:pkg.util.CONST');
});

test('re-export through __init__.py: `from pkg import go` and `from pkg.sub import deep as d`', () => {
  assert.deepEqual(bind(P, 'main', 'go'), { kind: 'import', qname: 'pkg.go' });
  assert.equal(sym(P, 'pkg.go'), 'function:pkg.core.run');
  assert.equal(sym(P, 'main.go'), 'function:pkg.core.run');
  assert.deepEqual(bind(P, 'main', 'd'), { kind: 'import', qname: 'pkg.sub.deep' });
  assert.equal(sym(P, 'pkg.sub.deep'), 'function:pkg.sub.leaf.deep');
  assert.equal(P.canonical('main.d'), 'pkg.sub.leaf.deep');
  // Two hops: pkg.sub re-exports core, which defines run.
  assert.equal(sym(P, 'pkg.sub.core.run'), 'function:pkg.core.run');
});

test('star imports: names of the target module are visible; externals stay unresolved', () => {
  assert.deepEqual(P.scopes.get('pkg')!.starImports, ['pkg.core']);
  assert.deepEqual(P.scopes.get('main')!.starImports, ['pkg.core']);
  assert.deepEqual(bind(P, 'main', 'run'), { kind: 'function', qname: 'pkg.core.run' });
  assert.deepEqual(bind(P, 'main', 'Base'), { kind: 'class', qname: 'pkg.core.Base' });
  assert.deepEqual(bind(P, 'pkg', 'run'), { kind: 'function', qname: 'pkg.core.run' });
  assert.equal(sym(P, 'pkg.Child'), 'class:pkg.core.Child');
  // Own bindings win over star-imported ones.
  const p = programOf({ 'a.py': 'def f():\n    pass\n', 'b.py': 'from a import *\ndef f():\n    pass\n' });
  assert.deepEqual(bind(p, 'b', 'f'), { kind: 'function', qname: 'b.f' });
  const ext = programOf({ 'c.py': 'from os.path import *\n' });
  assert.equal(bind(ext, 'c', 'join'), undefined);
});

test('star imports are transitive (`from pkg import *` where pkg itself star-imports core)', {
}, () => {
  const p = programOf({ 'pkg/__init__.py': 'from .core import *\n', 'pkg/core.py': 'def run(x):\n    return x\n', 'main.py': 'from pkg import *\n' });
  assert.deepEqual(bind(p, 'main', 'run'), { kind: 'function', qname: 'pkg.core.run' });
});

test('suffix lookup: `from app.db import q` finds src/app/db.py', () => {
  assert.equal(P.findModule('app.db')?.name, 'src.app.db');
  assert.equal(P.findModule('db')?.name, 'src.app.db');
  assert.equal(P.findModule('src.app.db')?.name, 'src.app.db');
  assert.equal(P.findModule('nope.db'), undefined);
  assert.deepEqual(bind(P, 'web', 'q'), { kind: 'import', qname: 'app.db.q' });
  assert.equal(sym(P, 'web.q'), 'function:src.app.db.q');
  assert.equal(sym(P, 'web.app.db.q'), 'function:src.app.db.q');
  assert.equal(P.canonical('app.db.q'), 'src.app.db.q');
});

test('suffix lookup prefers the shortest module name, deterministically', () => {
  const files = { 'b/lib/db.py': 'def q():\n    pass\n', 'a/x/lib/db.py': 'def q():\n    pass\n', 'c/lib/db.py': 'def q():\n    pass\n' };
  const p1 = programOf(files);
  const p2 = programOf(Object.fromEntries(Object.entries(files).reverse()));
  assert.equal(p1.findModule('lib.db')?.name, 'b.lib.db');
  assert.equal(p2.findModule('lib.db')?.name, 'b.lib.db');
  // An exact name beats a suffix match.
  const p3 = programOf({ 'lib/db.py': '', 'z/lib/db.py': '' });
  assert.equal(p3.findModule('lib.db')?.name, 'lib.db');
});

test('resolveSymbol: functions, classes, methods, variables, externals', () => {
  assert.equal(sym(P, 'pkg.core.run'), 'function:pkg.core.run');
  assert.equal(sym(P, 'pkg.core.Base'), 'class:pkg.core.Base');
  assert.equal(sym(P, 'pkg.core.Base.m'), 'function:pkg.core.Base.m of pkg.core.Base');
  assert.equal(sym(P, 'pkg.util.CONST'), 'variable:pkg.util.CONST');
  assert.equal(sym(P, 'pkg.util'), 'module:pkg.util');
  assert.equal(sym(P, 'os.path.join'), undefined);
  assert.equal(sym(P, 'main.pjoin'), undefined, 'an external import resolves to nothing');
  // canonical() follows re-exports of external names to the external's own name.
  assert.equal(P.canonical('main.pjoin'), 'os.path.join');
  assert.equal(P.canonical('os.path.join'), 'os.path.join');
  assert.equal(P.resolveExprName(P.modules.get('main')!, { k: 'name', id: 'pjoin', span: S }), 'os.path.join');
  assert.equal(P.resolveExprName(P.modules.get('main')!, { k: 'name', id: 'len', span: S }), 'builtins.len');
  assert.equal(P.resolveExprName(P.modules.get('main')!, { k: 'name', id: 'undefined_name', span: S }), undefined);
  assert.equal(sym(P, 'pkg.core.nothing'), undefined);
  assert.equal(sym(P, 'pkg.util.CONST.upper'), undefined, 'attributes of variables are not program symbols');
});

test('resolveSymbol terminates on import cycles', () => {
  const p = programOf({ 'a.py': 'from b import x\n', 'b.py': 'from a import x\n' });
  assert.equal(p.resolveSymbol('a.x'), undefined);
  const self = programOf({ 'c.py': 'from c import y as y\n' });
  assert.equal(self.resolveSymbol('c.y'), undefined);
});

test('Class.method via findMethod, including inherited and cross-module bases', () => {
  assert.equal(P.findMethod('pkg.core.Base', 'm'), 'pkg.core.Base.m');
  assert.equal(P.findMethod('pkg.core.Child', 'm'), 'pkg.core.Base.m');
  assert.equal(P.findMethod('pkg.core.Child', 'own'), 'pkg.core.Child.own');
  assert.equal(P.findMethod('pkg.core.Ext', 'm'), 'pkg.core.Base.m', 'external base first, program base second');
  assert.equal(P.findMethod('pkg.sub.leaf.Leaf', 'm'), 'pkg.core.Base.m', 'base imported with a relative import');
  assert.equal(P.findMethod('pkg.sub.leaf.Grand', 'm'), 'pkg.core.Base.m', 'two levels up');
  assert.equal(P.findMethod('pkg.core.Child', 'missing'), undefined);
  assert.equal(P.findMethod('no.such.Class', 'm'), undefined);
  // Overrides win; the MRO is approximated depth-first, left to right.
  const p = programOf({
    'm.py': `
      class A:
          def f(self):
              pass
      class B(A):
          def f(self):
              pass
      class C(A):
          def g(self):
              pass
      class D(C, B):
          pass
      class Loop(Loop):
          pass
    `,
  });
  assert.equal(p.findMethod('m.B', 'f'), 'm.B.f');
  assert.equal(p.findMethod('m.D', 'g'), 'm.C.g');
  assert.equal(p.findMethod('m.D', 'f'), 'm.A.f', 'depth-first approximation (C3 would give B.f)');
  assert.equal(p.findMethod('m.Loop', 'f'), undefined, 'a self-inheriting class terminates');
  assert.deepEqual(p.methodsByName.get('f'), ['m.A.f', 'm.B.f']);
  assert.deepEqual(p.subclasses.get('m.A'), ['m.B', 'm.C']);
});

/** `externalBases` (external ancestors only) was renamed `ancestors` (all ancestors) in the working tree. */
function ancestorsOf(p: Program, cls: string): { all?: string[]; external: string[] } {
  const api = p as unknown as { ancestors?: (q: string) => string[]; externalBases?: (q: string) => string[] };
  if (api.ancestors) {
    const all = api.ancestors.call(p, cls);
    return { all, external: all.filter((q) => !p.classes.has(q)) };
  }
  assert.ok(api.externalBases, 'Program has externalBases or ancestors');
  return { external: api.externalBases.call(p, cls) };
}

test('external bases of a class, through program base classes', () => {
  const ext = ancestorsOf(P, 'pkg.core.Ext');
  assert.deepEqual(ext.external, ['http.server.BaseHTTPRequestHandler']);
  if (ext.all) assert.deepEqual(ext.all, ['http.server.BaseHTTPRequestHandler', 'pkg.core.Child', 'pkg.core.Base']);
  assert.deepEqual(ancestorsOf(P, 'pkg.core.Base').external, []);
  const p = programOf({
    'handlers.py': `
      from http.server import BaseHTTPRequestHandler as BH
      import socketserver
      class Mine(BH):
          pass
    `,
    'app.py': `
      from handlers import Mine
      import socketserver
      class Deeper(Mine, socketserver.StreamRequestHandler):
          pass
      class Unknown(undefined_base):
          pass
    `,
  });
  assert.deepEqual(ancestorsOf(p, 'app.Deeper').external, ['http.server.BaseHTTPRequestHandler', 'socketserver.StreamRequestHandler']);
  assert.deepEqual(ancestorsOf(p, 'app.Unknown').external, [], 'an unresolvable base is skipped');
  assert.deepEqual(ancestorsOf(p, 'not.a.Class').external, []);
  assert.deepEqual(p.subclasses.get('http.server.BaseHTTPRequestHandler'), ['handlers.Mine']);
  assert.deepEqual(p.subclasses.get('handlers.Mine'), ['app.Deeper']);
});

test('conditional definitions (try/except ImportError, if) still bind names', () => {
  const p = programOf({
    'c.py': `
      try:
          from fast import loads
      except ImportError:
          from json import loads
      if True:
          def f():
              pass
      else:
          X = 1
    `,
  });
  assert.ok(['fast.loads', 'json.loads'].includes(bind(p, 'c', 'loads')?.qname ?? ''));
  assert.deepEqual(bind(p, 'c', 'f'), { kind: 'function', qname: 'c.f' });
  assert.deepEqual(bind(p, 'c', 'X'), { kind: 'variable', qname: 'c.X' });
});
