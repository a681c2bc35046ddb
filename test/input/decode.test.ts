import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeSource } from '../../src/discovery/decode.js';
import { findCodingCookie } from '../../src/discovery/encoding.js';

function text(buf: Buffer): string {
  const r = decodeSource(buf, 'm.py');
  if ('diagnostic' in r) assert.fail(`unexpected diagnostic: ${r.diagnostic.message}`);
  return r.text;
}

function diagnostic(buf: Buffer) {
  const r = decodeSource(buf, 'm.py');
  if ('text' in r) assert.fail('expected a diagnostic');
  return r.diagnostic;
}

describe('decodeSource', () => {
  it('decodes UTF-8 and keeps CRLF line endings', () => {
    assert.equal(text(Buffer.from('name = "Zoë"\r\nx = 1\r\n', 'utf8')), 'name = "Zoë"\r\nx = 1\r\n');
  });

  it('strips a UTF-8 byte-order mark', () => {
    assert.equal(text(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x = 1\n')])), 'x = 1\n');
  });

  it('reports NUL bytes in the first 8 KB as binary-file', () => {
    const d = diagnostic(Buffer.from([0x78, 0x00, 0x79]));
    assert.equal(d.code, 'binary-file');
    assert.equal(d.file, 'm.py');
    // A NUL beyond the sniffed prefix is not binary detection's business.
    const late = Buffer.concat([Buffer.from('#'.repeat(9000)), Buffer.from([0x00])]);
    assert.equal('text' in decodeSource(late, 'm.py'), true);
  });

  it('reports invalid UTF-8 without a cookie as decode-error with the line', () => {
    const d = diagnostic(Buffer.concat([Buffer.from('a = 1\nb = "'), Buffer.from([0xe9]), Buffer.from('"\n')]));
    assert.equal(d.code, 'decode-error');
    assert.equal(d.level, 'warning');
    assert.equal(d.line, 2);
  });

  it('decodes latin-1 per a PEP 263 cookie as true ISO-8859-1', () => {
    const bytes = Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\ns = "caf'), Buffer.from([0xe9, 0x80]), Buffer.from('"\n')]);
    // 0x80 is a C1 control in ISO-8859-1 (windows-1252 would give the euro sign).
    assert.equal(text(bytes), '# -*- coding: latin-1 -*-\ns = "café\u0080"\n');
  });

  it('accepts a cookie on line 2 after a shebang, and vim-style cookies', () => {
    const bytes = Buffer.concat([Buffer.from('#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\ns = "'), Buffer.from([0x80]), Buffer.from('"\n')]);
    assert.match(text(bytes), /s = "€"/);
  });

  it('ignores a cookie on line 2 when line 1 is code', () => {
    assert.equal(findCodingCookie(Buffer.from('import os\n# coding: latin-1\n')), undefined);
    assert.equal(findCodingCookie(Buffer.from('\n# coding=utf-8\n')), 'utf-8');
    assert.equal(findCodingCookie(Buffer.from('x = 1\n')), undefined);
  });

  it('reports an unknown encoding as decode-error', () => {
    const d = diagnostic(Buffer.from('# coding: klingon-8\nx = 1\n'));
    assert.equal(d.code, 'decode-error');
    assert.match(d.message, /klingon-8/);
  });

  it('reports bytes invalid in the declared encoding', () => {
    const d = diagnostic(Buffer.concat([Buffer.from('# coding: ascii\ns = "'), Buffer.from([0xe9]), Buffer.from('"\n')]));
    assert.equal(d.code, 'decode-error');
  });

  it('decodes UTF-16 with a byte-order mark', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('x = "é"\n', 'utf16le')]);
    assert.equal(text(le), 'x = "é"\n');
    const beBody = Buffer.from('y = 2\n', 'utf16le').swap16();
    assert.equal(text(Buffer.concat([Buffer.from([0xfe, 0xff]), beBody])), 'y = 2\n');
  });

  it('rejects a UTF-8 BOM combined with a non-UTF-8 cookie', () => {
    const d = diagnostic(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# coding: latin-1\n')]));
    assert.equal(d.code, 'decode-error');
  });
});
