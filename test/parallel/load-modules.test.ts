import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Expr, ModuleIR, Stmt } from '../../src/ir/types.js';
import { pythonModuleName } from '../../src/lang/python/module-name.js';
import { loadModules, type LoadInput, type LoadOutput } from '../../src/parallel/load-modules.js';
import { FORMAT_DIR, pruneModuleCache } from '../../src/cache/module-cache.js';
import { lazyBodyLoads } from '../../src/cache/module-payload.js';

const BIG = 123456789012345678901234567890n;

/** A temp tree of ~30 files: plain code, a package, a bigint literal, a syntax error, latin-1 with a cookie, a binary file. */
function makeTree(): { dir: string; files: LoadInput[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'redline-par-'));
  const write = (rel: string, content: string | Buffer): void => {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  };
  for (let i = 0; i < 24; i++) {
    write(
      `pkg${i % 3}/mod${i}.py`,
      [
        'import os, subprocess',
        `from .mod${(i + 1) % 24} import helper${i}`,
        '',
        `def handler${i}(request, n=${i}):`,
        '    """Docstring."""',
        `    cmd = request.args.get("c{}".format(${i}))  # comment ${i}`,
        '    if n > 2 and cmd:',
        '        subprocess.call(cmd, shell=True)  # nosec',
        `    return [x * ${i} for x in range(n) if x % 2]`,
        '',
        `class C${i}(object):`,
        `    value = ${i}.5`,
        '    def m(self, *a, **k):',
        '        return f"{self.value!r:>10} {a}"',
        '',
      ].join('\n'),
    );
  }
  for (let p = 0; p < 3; p++) write(`pkg${p}/__init__.py`, `from . import mod${p}\n__all__ = ["mod${p}"]\n`);
  write('bigint.py', `x = ${BIG}\ny = 0x1FFFFFFFFFFFFFFFFFFFF\nz = -x\n`);
  write('broken.py', 'def f(:\n    return 1\nx = = 2\ny = 3\n');
  write('latin.py', Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\nname = "caf'), Buffer.from([0xe9]), Buffer.from('"\n')]));
  write('binary.py', Buffer.from([0x78, 0x00, 0x01, 0x02]));
  write('deep.py', 'x = ' + '('.repeat(1500) + 'a' + ')'.repeat(1500) + '\n');
  const rels = listPy(dir);
  return { dir, files: rels.map((relPath) => toInput(dir, relPath)) };
}

function listPy(dir: string, sub = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(dir, sub)).sort()) {
    const rel = sub ? `${sub}/${name}` : name;
    if (statSync(path.join(dir, rel)).isDirectory()) out.push(...listPy(dir, rel));
    else if (name.endsWith('.py')) out.push(rel);
  }
  return out.sort();
}

function toInput(dir: string, relPath: string): LoadInput {
  const n = pythonModuleName(relPath);
  const absPath = path.join(dir, relPath);
  return { relPath, absPath, moduleName: n.name, isPackage: n.isPackage, size: statSync(absPath).size };
}

function comparable(out: LoadOutput): unknown {
  return { modules: [...out.modules.entries()], diagnostics: out.diagnostics, bytes: out.bytes, lines: out.lines, skipped: out.skipped };
}

function constValue(m: ModuleIR, i: number): unknown {
  const s = m.body[i] as Stmt;
  assert.equal(s.k, 'assign');
  const v = (s as Extract<Stmt, { k: 'assign' }>).value as Expr;
  assert.equal(v.k, 'const');
  return (v as Extract<Expr, { k: 'const' }>).value;
}

test('jobs 1 and jobs 2 give identical modules and diagnostics, in files order', async () => {
  const { dir, files } = makeTree();
  try {
    assert.ok(files.length >= 30, `${files.length} files`);
    const one = await loadModules(files, { jobs: 1 });
    const two = await loadModules(files, { jobs: 2, parallelThreshold: false, batchFiles: 3 });
    const workersOnly = await loadModules(files, { jobs: 2, parallelThreshold: false, batchFiles: 3, mainThreadLoads: false });
    assert.equal(one.workers, 0);
    assert.equal(two.workers, 1); // one worker beside this thread, which loads batches too
    assert.equal(workersOnly.workers, 2);
    assert.deepStrictEqual(comparable(two), comparable(one));
    assert.deepStrictEqual(comparable(workersOnly), comparable(one));
    assert.deepEqual([...two.modules.keys()], files.map((f) => f.relPath).filter((r) => r !== 'binary.py'));

    const big = two.modules.get('bigint.py')!;
    assert.equal(constValue(big, 0), BIG);
    assert.equal(typeof constValue(big, 1), 'bigint');
    assert.equal(two.modules.get('latin.py')!.lines[1], 'name = "café"');
    assert.equal(two.modules.get('pkg1/__init__.py')!.name, 'pkg1');
    assert.equal(two.modules.get('pkg1/__init__.py')!.isPackage, true);
    assert.ok(two.modules.get('broken.py')!.syntaxErrors.length > 0);
    const codes = two.diagnostics.map((d) => `${d.file}:${d.code}`);
    assert.deepEqual(codes, ['binary.py:binary-file', 'broken.py:syntax-error', 'deep.py:budget-exceeded']);
    assert.equal(two.skipped, 1);
    // The default threshold keeps a tree this small in-process.
    assert.equal((await loadModules(files, { jobs: 2 })).workers, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the cache returns identical modules on the second run, counts hits, and tolerates corrupt entries', async () => {
  const { dir, files } = makeTree();
  const cacheDir = path.join(dir, '.redline-cache');
  try {
    const fresh = await loadModules(files, { jobs: 1 });
    const cold = await loadModules(files, { jobs: 1, cacheDir });
    assert.equal(cold.cacheHits, 0);
    assert.deepStrictEqual(comparable(cold), comparable(fresh));
    assert.equal(readFileSync(path.join(cacheDir, '.gitignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).join(), '*');

    for (const jobs of [1, 2]) {
      const warm = await loadModules(files, { jobs, cacheDir, parallelThreshold: false });
      assert.equal(warm.cacheHits, fresh.modules.size, `jobs ${jobs}`);
      assert.deepStrictEqual(comparable(warm), comparable(fresh));
      assert.equal(constValue(warm.modules.get('bigint.py')!, 0), BIG);
    }

    // Lazy bodies: loading decodes no function body; touching them gives the same modules.
    for (const jobs of [1, 2]) {
      const before = lazyBodyLoads();
      const lazy = await loadModules(files, { jobs, cacheDir, parallelThreshold: false, lazyBodies: true });
      assert.equal(lazy.cacheHits, fresh.modules.size, `jobs ${jobs}`);
      assert.equal(lazyBodyLoads(), before, 'no body decoded while loading');
      assert.deepStrictEqual(comparable(lazy), comparable(fresh));
      assert.ok(lazyBodyLoads() > before, 'comparing touched the bodies');
    }

    // Corrupt every entry in a different way: truncated, garbage, flipped payload byte, empty.
    const entries = allFiles(path.join(cacheDir, FORMAT_DIR));
    assert.equal(entries.length, fresh.modules.size);
    entries.forEach((e, i) => {
      const buf = readFileSync(e);
      if (i % 4 === 0) writeFileSync(e, buf.subarray(0, buf.length >> 1));
      else if (i % 4 === 1) writeFileSync(e, Buffer.from('not a cache entry at all, just some text'));
      else if (i % 4 === 2) {
        buf[buf.length - 3] ^= 0x5a;
        writeFileSync(e, buf);
      } else writeFileSync(e, '');
    });
    for (const jobs of [2, 1]) {
      const again = await loadModules(files, { jobs, cacheDir, parallelThreshold: false });
      assert.deepStrictEqual(comparable(again), comparable(fresh));
      if (jobs === 2) assert.equal(again.cacheHits, 0, 'no corrupt entry counts as a hit');
      else assert.equal(again.cacheHits, fresh.modules.size, 'corrupt entries were rewritten');
    }

    // A changed file misses; the others still hit.
    writeFileSync(path.join(dir, 'bigint.py'), 'x = 1\n');
    const changed = await loadModules(files, { jobs: 1, cacheDir });
    assert.equal(changed.cacheHits, fresh.modules.size - 1);
    assert.equal(constValue(changed.modules.get('bigint.py')!, 0), 1);
    // Safe to delete.
    rmSync(cacheDir, { recursive: true, force: true });
    assert.equal((await loadModules(files, { jobs: 1, cacheDir })).cacheHits, 0);
    assert.ok(existsSync(path.join(cacheDir, '.gitignore')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pruning deletes entries unused for 30 days, keeps used ones, and runs at most once a day', async () => {
  const { dir, files } = makeTree();
  const cacheDir = path.join(dir, '.redline-cache');
  try {
    await loadModules(files, { jobs: 1, cacheDir });
    const entries = allFiles(path.join(cacheDir, FORMAT_DIR));
    const day = 24 * 60 * 60 * 1000;
    const now = Date.now();
    // Half the entries were last used 40 days ago, the rest yesterday.
    entries.forEach((e, i) => {
      const t = new Date(now - (i % 2 === 0 ? 40 : 1) * day);
      utimesSync(e, t, t);
    });
    assert.equal(pruneModuleCache(cacheDir, { now }), Math.ceil(entries.length / 2));
    assert.deepStrictEqual(allFiles(path.join(cacheDir, FORMAT_DIR)).filter((f) => !f.endsWith('.last-prune')), entries.filter((_, i) => i % 2 === 1));
    // The marker holds off a second pass for a day, even when more entries age.
    for (const e of entries.filter((_, i) => i % 2 === 1)) utimesSync(e, new Date(now - 40 * day), new Date(now - 40 * day));
    assert.equal(pruneModuleCache(cacheDir, { now: now + day / 2 }), 0);
    // A hit marks the entry used, so a later pass keeps it.
    const warm = await loadModules(files, { jobs: 1, cacheDir });
    assert.equal(warm.cacheHits, Math.floor(entries.length / 2));
    assert.equal(pruneModuleCache(cacheDir, { now: Date.now() + 2 * day }), 0);
    // No cache directory: nothing to do, nothing created.
    const none = path.join(dir, 'no-cache-here');
    assert.equal(pruneModuleCache(none), 0);
    assert.equal(existsSync(none), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...allFiles(abs));
    else out.push(abs);
  }
  return out;
}

test('a file that makes the front end throw becomes an internal-error diagnostic, in-process and in workers', async () => {
  const { dir, files } = makeTree();
  try {
    for (const jobs of [1, 2]) {
      const out = await loadModules(files, { jobs, parallelThreshold: false, failOn: '^pkg1/mod4\\.py$' });
      assert.equal(out.modules.has('pkg1/mod4.py'), false);
      assert.equal(out.modules.size, files.length - 2);
      const d = out.diagnostics.find((x) => x.code === 'internal-error');
      assert.equal(d?.file, 'pkg1/mod4.py');
      assert.equal(d?.level, 'error');
      assert.match(d!.message, /injected failure/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unreadable files and already-decoded text', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'redline-par-'));
  try {
    const files: LoadInput[] = [
      { relPath: 'gone.py', absPath: path.join(dir, 'gone.py'), moduleName: 'gone', isPackage: false },
      { relPath: 'mem.py', absPath: path.join(dir, 'mem.py'), moduleName: 'mem', isPackage: false, text: 'a = "é"\n' },
    ];
    for (const jobs of [1, 2]) {
      const out = await loadModules(files, { jobs, parallelThreshold: false });
      assert.deepEqual(out.diagnostics.map((d) => d.code), ['unreadable-file']);
      assert.equal(out.modules.get('mem.py')!.lines[0], 'a = "é"');
      assert.equal(out.bytes, Buffer.byteLength('a = "é"\n'));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pathological inputs finish: 5,000-deep nesting, 5,000 functions, a large file', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'redline-par-'));
  try {
    writeFileSync(path.join(dir, 'deep.py'), 'x = ' + 'f('.repeat(5000) + '1' + ')'.repeat(5000) + '\ny = ' + '-'.repeat(5000) + '1\n');
    writeFileSync(path.join(dir, 'many.py'), Array.from({ length: 5000 }, (_, i) => `def f${i}(a): return a + ${i}\n`).join(''));
    // ~2.5 MB of ordinary code (over the default max file size; loadModules itself has no size limit).
    const chunk = 'def g(request):\n    value = request.args.get("q", "")\n    return [v.strip() for v in value.split(",") if v]\n\n';
    writeFileSync(path.join(dir, 'large.py'), chunk.repeat(Math.ceil((2.5 * 1024 * 1024) / chunk.length)));
    const files = ['deep.py', 'large.py', 'many.py'].map((r) => toInput(dir, r));
    // Timing is measured by `npm run bench:speed -- --pathological`, never asserted here.
    const out = await loadModules(files, { jobs: 2, parallelThreshold: false, batchFiles: 1 });
    assert.equal(out.modules.size, 3);
    assert.equal(out.modules.get('many.py')!.body.length, 5000);
    assert.equal(out.modules.get('deep.py')!.body.length, 2);
    assert.ok(out.diagnostics.some((d) => d.file === 'deep.py' && d.code === 'budget-exceeded'));
    assert.ok(out.modules.get('large.py')!.body.length > 20_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a worker that dies is replaced; only the file that killed it is lost', async () => {
  const { dir, files } = makeTree();
  try {
    const one = await loadModules(files, { jobs: 1 });
    const out = await loadModules(files, { jobs: 2, parallelThreshold: false, batchFiles: 4, crashOn: '^pkg2/mod5\\.py$', mainThreadLoads: false });
    assert.ok(out.workers >= 3, `${out.workers} workers started`);
    assert.equal(out.modules.has('pkg2/mod5.py'), false);
    const expected = new Map([...one.modules].filter(([k]) => k !== 'pkg2/mod5.py'));
    assert.deepStrictEqual([...out.modules], [...expected]);
    const d = out.diagnostics.filter((x) => x.code === 'internal-error');
    assert.deepEqual(d.map((x) => x.file), ['pkg2/mod5.py']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('large files are lowered in a heap-limited worker, or refused when they cannot fit', async () => {
  const { dir, files } = makeTree();
  try {
    const one = await loadModules(files, { jobs: 1, isolateBytes: false });
    const isolated = await loadModules(files, { jobs: 1, isolateBytes: 2000 });
    assert.equal(isolated.workers, 1); // deep.py (3 kB) went to the isolation worker
    assert.deepStrictEqual(comparable(isolated), comparable(one));
    const refused = await loadModules(files, { jobs: 1, isolateBytes: 2000, isolateHeapMb: 0.5 });
    assert.equal(refused.modules.has('deep.py'), false);
    const d = refused.diagnostics.find((x) => x.file === 'deep.py');
    assert.equal(d?.code, 'too-large');
    assert.equal(refused.modules.size, one.modules.size - 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
