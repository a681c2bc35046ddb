import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importClosureShare, type HintFile } from '../../src/analysis/import-hint.js';

const file = (moduleName: string, source: string | Uint8Array, isPackage = false): HintFile => ({ moduleName, isPackage, source });

const FILES: HintFile[] = [
  file('pkg', '"""package"""\n', true),
  file('pkg.core', 'def x():\n    return 1\n'),
  file('pkg.api', 'from .core import x\n'),
  file('app', 'import pkg.api\n'),
  file('tool', Buffer.from('from pkg import (  # the core\n    core,\n)\n')),
  file('multi', 'import os, pkg.core as c\n'),
  file('lone', 'import json\n# import pkg.core\ntext = "from pkg import core"\n'),
];

test('the textual import closure: relative imports, members that are modules, several names per line, bytes', () => {
  // pkg.core <- pkg.api <- app; pkg.core <- tool (member import), multi (second name); not lone (comment, string).
  assert.equal(importClosureShare(FILES, ['pkg.core']), 5 / 7);
  assert.equal(importClosureShare(FILES, ['app']), 1 / 7);
  assert.equal(importClosureShare(FILES, ['not.a.module']), 0);
  assert.equal(importClosureShare([], ['pkg']), 0);
  // Importing pkg.api imports the package too.
  assert.equal(importClosureShare(FILES, ['pkg']), 5 / 7);
});
