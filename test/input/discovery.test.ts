import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { discoverFiles, type DiscoveryOptions } from '../../src/discovery/files.js';
import { isPythonShebang } from '../../src/discovery/python-files.js';

const tempDirs: string[] = [];
after(() => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tree(files: Record<string, string | Buffer>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'redline-discovery-'));
  tempDirs.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return root;
}

function options(baseDir: string, extra: Partial<DiscoveryOptions> = {}): DiscoveryOptions {
  return { baseDir, include: [], exclude: [], maxFileSize: 1024 * 1024, ...extra };
}

async function relPaths(root: string, extra: Partial<DiscoveryOptions> = {}, roots = [root]): Promise<string[]> {
  return (await discoverFiles(roots, options(root, extra))).files.map((f) => f.relPath);
}

describe('discoverFiles', () => {
  it('finds .py and .pyw files recursively, skips .pyi stubs and other files, sorted by relPath', async () => {
    const root = tree({ 'b.py': '', 'a/z.py': '', 'a/y.pyw': '', 'a/stub.pyi': '', 'readme.md': '', 'a/data.json': '' });
    assert.deepEqual(await relPaths(root), ['a/y.pyw', 'a/z.py', 'b.py']);
  });

  it('reports absPath, language and size', async () => {
    const root = tree({ 'm.py': 'x = 1\n' });
    const { files } = await discoverFiles([root], options(root));
    assert.deepEqual(files, [{ absPath: path.join(root, 'm.py'), relPath: 'm.py', language: 'python', size: 6 }]);
  });

  it('honours .gitignore files at nested levels, with deeper files taking precedence', async () => {
    const root = tree({
      '.gitignore': 'generated/\n*_pb2.py\n',
      'generated/x.py': '',
      'api_pb2.py': '',
      'keep.py': '',
      'pkg/.gitignore': 'local_*.py\n!special_pb2.py\n',
      'pkg/local_settings.py': '',
      'pkg/special_pb2.py': '',
      'pkg/other_pb2.py': '',
      'pkg/mod.py': '',
      'other/local_x.py': '',
    });
    assert.deepEqual(await relPaths(root), ['keep.py', 'other/local_x.py', 'pkg/mod.py', 'pkg/special_pb2.py']);
  });

  it('honours .redlineignore and .git/info/exclude', async () => {
    const root = tree({
      '.redlineignore': 'fixtures/\n',
      '.git/info/exclude': 'scratch.py\n',
      'fixtures/vuln.py': '',
      'scratch.py': '',
      'app.py': '',
    });
    assert.deepEqual(await relPaths(root), ['app.py']);
  });

  it('honours the repository .gitignore above a root that is a subdirectory', async () => {
    const root = tree({ '.git/HEAD': '', '.gitignore': 'src/gen/\n', 'src/gen/x.py': '', 'src/app.py': '' });
    const { files } = await discoverFiles([path.join(root, 'src')], options(root));
    assert.deepEqual(files.map((f) => f.relPath), ['src/app.py']);
  });

  it('scans a directory root that an ancestor .gitignore or the built-in list would skip', async () => {
    const root = tree({ '.git/HEAD': '', '.gitignore': 'generated/\n', 'generated/api.py': '', 'build/tool.py': '' });
    const { files } = await discoverFiles([path.join(root, 'generated'), path.join(root, 'build')], options(root));
    assert.deepEqual(files.map((f) => f.relPath), ['build/tool.py', 'generated/api.py']);
  });

  it('skips VCS, cache and build directories and virtualenvs recognised by pyvenv.cfg', async () => {
    const root = tree({
      'app.py': '',
      '.git/hooks/x.py': '',
      'node_modules/p/x.py': '',
      '__pycache__/x.py': '',
      '.tox/x.py': '',
      'build/lib/x.py': '',
      'dist/x.py': '',
      'pkg.egg-info/x.py': '',
      '.redline-cache/x.py': '',
      'myenv/pyvenv.cfg': 'home = /usr/bin\n',
      'myenv/lib/python3.12/site-packages/requests/api.py': '',
      'env/settings.py': '', // a package that happens to be called env: no pyvenv.cfg, so scanned
    });
    assert.deepEqual(await relPaths(root), ['app.py', 'env/settings.py']);
  });

  it('scans files given explicitly even when ignored or in a skipped directory', async () => {
    const root = tree({ '.gitignore': 'ignored.py\n', 'ignored.py': '', 'build/gen.py': '' });
    const roots = [path.join(root, 'ignored.py'), path.join(root, 'build/gen.py')];
    assert.deepEqual(await relPaths(root, {}, roots), ['build/gen.py', 'ignored.py']);
  });

  it('detects extension-less Python scripts by their #! line', async () => {
    const root = tree({
      'bin/tool': '#!/usr/bin/env python3\nimport os\n',
      'bin/legacy': '#!/usr/bin/python2.7 -u\n',
      'bin/shell': '#!/bin/sh\necho python\n',
      'Makefile': 'all:\n\tpython x.py\n',
    });
    assert.deepEqual(await relPaths(root), ['bin/legacy', 'bin/tool']);
  });

  it('isPythonShebang reads only the first line', () => {
    assert.equal(isPythonShebang(Buffer.from('#!/usr/bin/env python\n')), true);
    assert.equal(isPythonShebang(Buffer.from('#!/bin/bash\n# python\n')), false);
    assert.equal(isPythonShebang(Buffer.from('# python\n')), false);
    assert.equal(isPythonShebang(Buffer.from('#!/usr/bin/env pythonista')), false);
  });

  it('skips files over maxFileSize with a too-large warning', async () => {
    const root = tree({ 'big.py': 'x'.repeat(200), 'small.py': 'x = 1\n' });
    const { files, diagnostics } = await discoverFiles([root], options(root, { maxFileSize: 100 }));
    assert.deepEqual(files.map((f) => f.relPath), ['small.py']);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.code, 'too-large');
    assert.equal(diagnostics[0]!.level, 'warning');
    assert.equal(diagnostics[0]!.file, 'big.py');
  });

  it('applies include and exclude globs; slash-less patterns match at any depth', async () => {
    const root = tree({ 'src/a.py': '', 'src/tests/test_a.py': '', 'src/legacy/old.py': '', 'scripts/s.py': '', 'tests/t.py': '' });
    assert.deepEqual(await relPaths(root, { exclude: ['tests', 'src/legacy/**'] }), ['scripts/s.py', 'src/a.py']);
    assert.deepEqual(await relPaths(root, { include: ['src'] }), ['src/a.py', 'src/legacy/old.py', 'src/tests/test_a.py']);
    assert.deepEqual(await relPaths(root, { include: ['test_*.py'] }), ['src/tests/test_a.py']);
  });

  it('throws a one-line error for a missing root', async () => {
    const root = tree({ 'a.py': '' });
    await assert.rejects(discoverFiles([path.join(root, 'nope')], options(root)), {
      message: `path not found: ${path.join(root, 'nope')}`,
    });
  });

  it('terminates on symlink loops and dedupes a directory reached twice', async (t) => {
    const root = tree({ 'pkg/mod.py': '', 'pkg/sub/deep.py': '' });
    try {
      fs.symlinkSync(root, path.join(root, 'pkg/sub/loop'), 'dir'); // points at an ancestor
      fs.symlinkSync(path.join(root, 'pkg'), path.join(root, 'alias'), 'dir'); // a second path to pkg
    } catch {
      t.skip('symlinks not permitted here');
      return;
    }
    assert.deepEqual(await relPaths(root), ['pkg/mod.py', 'pkg/sub/deep.py']);
  });

  it('follows symlinks to files inside the tree but not outside it', async (t) => {
    const outside = tree({ 'secret.py': '' });
    const root = tree({ 'real/impl.py': '' });
    try {
      fs.symlinkSync(path.join(outside, 'secret.py'), path.join(root, 'leak.py'));
      fs.mkdirSync(path.join(root, 'links'));
      fs.symlinkSync(path.join(root, 'real/impl.py'), path.join(root, 'links/entry.py'));
      fs.symlinkSync(outside, path.join(root, 'outdir'), 'dir');
    } catch {
      t.skip('symlinks not permitted here');
      return;
    }
    // links/entry.py is the same file as real/impl.py: reported once, under its own path.
    assert.deepEqual(await relPaths(root), ['real/impl.py']);
    fs.rmSync(path.join(root, 'real/impl.py')); // links/entry.py now dangles
    assert.deepEqual(await relPaths(root), []);
  });

  it('follows an in-tree symlinked directory whose target is otherwise unreachable', async (t) => {
    const root = tree({ '.gitignore': 'vendored/\n', 'vendored/lib.py': '' });
    try {
      fs.symlinkSync(path.join(root, 'vendored'), path.join(root, 'lib'), 'dir');
    } catch {
      t.skip('symlinks not permitted here');
      return;
    }
    assert.deepEqual(await relPaths(root), ['lib/lib.py']);
  });

  it('reports an unreadable directory and continues', async (t) => {
    if (process.getuid?.() === 0) {
      t.skip('root can read every directory');
      return;
    }
    const root = tree({ 'ok.py': '', 'locked/x.py': '' });
    fs.chmodSync(path.join(root, 'locked'), 0o000);
    try {
      const { files, diagnostics } = await discoverFiles([root], options(root));
      assert.deepEqual(files.map((f) => f.relPath), ['ok.py']);
      assert.deepEqual(diagnostics.map((d) => [d.code, d.file]), [['unreadable-directory', 'locked']]);
    } finally {
      fs.chmodSync(path.join(root, 'locked'), 0o755);
    }
  });
});
