/** Patch parsing, reverse application and line bookkeeping for `redline review --diff`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDeltas, isAddedLine, LineChange, mapBeforeToAfter, parsePatch, reverseApply, unquotePath } from '../../src/review/patch.js';

const lines = (s: string) => s.split('\n');

const GIT_DIFF = `diff --git a/app.py b/app.py
index 1111111..2222222 100644
--- a/app.py
+++ b/app.py
@@ -1,4 +1,5 @@
 import os
+import sys
 
 def f():
-    return 1
+    return 2
diff --git a/old name.py b/new name.py
similarity index 90%
rename from old name.py
rename to new name.py
index 3333333..4444444 100644
--- a/old name.py
+++ b/new name.py
@@ -2 +2 @@ x = 1
-y = 2
+y = 3
diff --git a/gone.py b/gone.py
deleted file mode 100644
index 5555555..0000000
--- a/gone.py
+++ /dev/null
@@ -1,2 +0,0 @@
-a = 1
-b = 2
diff --git "a/caf\\303\\251.py" "b/caf\\303\\251.py"
new file mode 100644
index 0000000..6666666
--- /dev/null
+++ "b/caf\\303\\251.py"
@@ -0,0 +1 @@
+print("hi")
\\ No newline at end of file
`;

test('parses git diffs: modified, renamed (with spaces), deleted, added with a quoted name', () => {
  const files = parsePatch(GIT_DIFF);
  assert.deepEqual(
    files.map((f) => [f.status, f.oldPath, f.newPath, f.hunks.length]),
    [
      ['modified', 'app.py', 'app.py', 1],
      ['renamed', 'old name.py', 'new name.py', 1],
      ['deleted', 'gone.py', undefined, 1],
      ['added', undefined, 'café.py', 1],
    ],
  );
  assert.equal(files[3]!.hunks[0]!.newNoEol, true);
  assert.equal(unquotePath('"a\\tb"'), 'a\tb');
});

test('reverse-applies hunks, also at an offset, and rebuilds the before text', () => {
  const after = lines('# new header\n# another\nimport os\nimport sys\n\ndef f():\n    return 2\n');
  const [file] = parsePatch(GIT_DIFF);
  const { before, hunks } = reverseApply(after, file!.hunks, 'app.py');
  assert.equal(before.join('\n'), '# new header\n# another\nimport os\n\ndef f():\n    return 1\n');
  const change = new LineChange(hunks);
  assert.deepEqual([...change.added].sort(), [4, 7]);
  assert.deepEqual([...change.removed].sort(), [6]);
  assert.equal(change.oldToNew(3), 3);
  assert.equal(change.oldToNew(4), 5);
  assert.equal(change.oldToNew(5), 6);
  assert.equal(change.oldToNew(6), undefined);
  assert.equal(change.newToOld(6), 5);
  assert.equal(change.newToOld(4), undefined);
});

test('a hunk that is not in the file is an error naming the file and hunk', () => {
  const [file] = parsePatch(GIT_DIFF);
  assert.throws(() => reverseApply(lines('import os\n\ndef g():\n    return 2\n'), file!.hunks, 'app.py'), /does not match the working tree: hunk 1 of app\.py/);
});

test('zero-context hunks map lines around insertions and deletions', () => {
  // Insert 2 lines after line 3; delete old lines 8-9.
  const [file] = parsePatch(`--- a/m.py\n+++ b/m.py\n@@ -3,0 +4,2 @@\n+n1\n+n2\n@@ -8,2 +9,0 @@\n-d1\n-d2\n`);
  const change = new LineChange(file!.hunks);
  assert.deepEqual([...change.added], [4, 5]);
  assert.equal(change.oldToNew(3), 3);
  assert.equal(change.oldToNew(4), 6);
  assert.equal(change.oldToNew(8), undefined);
  assert.equal(change.oldToNew(10), 10);
  assert.equal(change.newToOld(6), 4);
  assert.equal(change.newToOld(10), 10);
});

test('a format-patch series touching one file twice composes its added lines', () => {
  const series = `From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001
From: t <t@t>
Subject: [PATCH 1/2] one

---
 a.py | 1 +
 1 file changed, 1 insertion(+)

diff --git a/a.py b/a.py
--- a/a.py
+++ b/a.py
@@ -1,2 +1,3 @@
 x = 1
+y = 2
 z = 3
-- 
2.39.5

From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001
From: t <t@t>
Subject: [PATCH 2/2] two

---
diff --git a/a.py b/a.py
--- a/a.py
+++ b/a.py
@@ -1,3 +1,4 @@
+w = 0
 x = 1
 y = 2
 z = 3
-- 
2.39.5
`;
  const patches = parsePatch(series);
  assert.deepEqual(patches.map((p) => p.patchIndex), [0, 1]);
  const [delta] = buildDeltas(patches);
  let text = lines('w = 0\nx = 1\ny = 2\nz = 3\n');
  for (let k = delta!.patches.length - 1; k >= 0; k--) {
    const r = reverseApply(text, delta!.patches[k]!.hunks, 'a.py');
    delta!.steps[k] = new LineChange(r.hunks);
    text = r.before;
  }
  assert.equal(text.join('\n'), 'x = 1\nz = 3\n');
  assert.deepEqual([1, 2, 3, 4].filter((l) => isAddedLine(delta!, l)), [1, 3]);
  assert.equal(mapBeforeToAfter(delta!, 2), 4);
});

test("Gerrit's base64 patch download is decoded", () => {
  const b64 = Buffer.from(GIT_DIFF).toString('base64').replace(/(.{76})/g, '$1\n');
  assert.equal(parsePatch(b64).length, 4);
});

test('plain diff -u output with directory prefixes and timestamps', () => {
  const [f] = parsePatch(`--- orig/pkg/a.py\t2024-01-01 10:00:00.000000000 +0000\n+++ new/pkg/a.py\t2024-01-02 10:00:00.000000000 +0000\n@@ -1 +1 @@\n-a = 1\n+a = 2\n`);
  assert.equal(f!.oldPath, 'pkg/a.py');
  assert.equal(f!.newPath, 'pkg/a.py');
  assert.equal(f!.status, 'modified');
});
