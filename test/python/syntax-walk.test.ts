/**
 * The syntax walk (lang/python/parser.ts) is what worker threads send instead of lowered modules:
 * the tree built from a walk done in another thread must be the tree this thread would parse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildSyntax, parseSyntax, walkSyntax, type ParsedSource, type SyntaxWalk } from '../../src/lang/python/parser.js';
import { parsePython } from '../../src/lang/python/lower.js';
import { pythonFilesUnder } from '../../src/testing/fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..', '..', '..');
const parserModule = new URL('../../src/lang/python/parser.js', import.meta.url).href;

const TRICKY: Array<[string, string]> = [
  ['errors', 'def f(:\n    return 1\nx = = 2\nos.system(cmd\ny = 3\n'],
  ['crlf and missing', 'if x:\r\n    y = (1,\r\n'],
  ['f-strings and comments', 'a = f"{b!r:>{w}}"  # c\nb = "plain {x}"\n# end'],
  ['continuation', 'x = 1 + \\\n    2\n'],
  ['empty', ''],
];

/** The tree as plain data, to compare trees built in different ways. */
function shape(p: ParsedSource): unknown {
  const node = (n: ParsedSource['root']): unknown => [n.type, n.named, n.start, n.end, n.missing, n.children.map(node), n.detachedErrors?.map(node)];
  return { root: node(p.root), comments: p.comments, errors: p.errors.map((e) => [e.type, e.start, e.end]) };
}

function walkInWorker(texts: string[]): Promise<SyntaxWalk[]> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.parser).then(({ walkSyntax }) => {
      const walks = workerData.texts.map((t) => walkSyntax(t, 0, t.length, true));
      parentPort.postMessage(walks, walks.map((w) => w.nodes.buffer));
    });`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { parser: parserModule, texts } });
    w.once('message', (walks: SyntaxWalk[]) => {
      void w.terminate();
      resolve(walks);
    });
    w.once('error', reject);
  });
}

test('a walk done in a worker thread builds the tree this thread parses (type names travel with it)', async () => {
  const texts = [...TRICKY.map(([, t]) => t), ...pythonFilesUnder(path.join(root, 'test/fixtures/python')).map((f) => readFileSync(f, 'utf8'))];
  // First: this thread has walked nothing yet, so it knows no type name the worker did not send.
  const walks = await walkInWorker(texts);
  const built = walks.map((w) => buildSyntax(w));
  texts.forEach((t, i) => assert.deepStrictEqual(shape(built[i]!), shape(parseSyntax(t)), `text ${i}`));
});

test('lowering a walk gives the module that parsing gives', () => {
  for (const [name, text] of TRICKY) {
    const walk = walkSyntax(text, 0, text.length, true);
    const a = parsePython(text, 'm.py', { syntax: walk }).module;
    const b = parsePython(text, 'm.py').module;
    assert.deepStrictEqual(a, b, name);
  }
});

test('an owned walk is its own; a plain walk is a view the next walk reuses', () => {
  const owned = walkSyntax('a = 1\n', 0, 6, true);
  const copy = owned.nodes.slice();
  const view = walkSyntax('b = 2\n');
  walkSyntax('import os\nos.system(x)\n');
  assert.deepEqual(owned.nodes, copy);
  assert.equal(owned.nodes.byteLength, owned.nodes.buffer.byteLength, 'transferable whole');
  assert.notEqual(view.nodes.buffer.byteLength, view.nodes.byteLength);
});
