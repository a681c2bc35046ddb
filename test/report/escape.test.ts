import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeMarkdownText, fencedCode, inlineCode, markdownProse } from '../../src/report/markdown-escape.js';
import { neutralizeControls, oneLine } from '../../src/report/sanitize.js';
import { trimToSentences } from '../../src/report/recommendations.js';
import { splitMarkdown } from './markdown-inspect.js';

test('inline code survives any backtick run', () => {
  assert.equal(inlineCode('a`b'), '``a`b``');
  assert.equal(inlineCode('``x'), '``` ``x ```');
  assert.deepEqual(splitMarkdown(inlineCode('x ``` y')).spans.map((s) => s.trim()), ['x ``` y']);
});

test('fence is longer than any backtick run in the code', () => {
  const lines = fencedCode('a = "````"\nb = 1', 'python', '  ');
  assert.equal(lines[0], '  `````python');
  assert.equal(lines.at(-1), '  `````');
  assert.deepEqual(splitMarkdown(lines.join('\n')).fences, ['a = "````"\nb = 1']);
});

test('prose escaping: HTML, emphasis, links, pipes, mentions', () => {
  const out = escapeMarkdownText('<img src=x onerror=alert(1)> *a* _b_ [c](d) | @org/team & co');
  assert.equal(out, '&lt;img src=x onerror=alert(1)&gt; \\*a\\* \\_b\\_ \\[c\\](d) \\| @&#8203;org/team &amp; co');
});

test('backtick-quoted code in prose becomes code spans, the rest is escaped', () => {
  assert.equal(markdownProse('call `a<b>` then <b>x</b>'), 'call `a<b>` then &lt;b&gt;x&lt;/b&gt;');
  assert.equal(markdownProse('odd ` tick'), 'odd \\` tick');
});

test('control characters and bidi overrides are made visible', () => {
  assert.equal(neutralizeControls('a\u001b[2Jb\r\nc\u202ed'), 'a\\x1b[2Jb\nc<U+202E>d');
  assert.equal(oneLine('a\n  b\tc'), 'a b c');
});

test('catalog mitigations are trimmed to a sentence or two', () => {
  assert.equal(trimToSentences('Short one. Second sentence here. Third.'), 'Short one. Second sentence here.');
  assert.equal(trimToSentences('Use an "accept known good" strategy, i.e., use a list [REF-1]. More.'), 'Use an "accept known good" strategy, i.e., use a list. More.');
  assert.ok(trimToSentences('x'.repeat(500)).length <= 320);
});
