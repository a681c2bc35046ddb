/** Turns the bytes of a source file into text, or explains why the file is skipped. */
import type { Diagnostic } from '../core/finding.js';
import { decoderFor, findCodingCookie } from './encoding.js';

const BINARY_SNIFF_BYTES = 8192;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Decodes per PEP 263: UTF-8 by default (a UTF-8 BOM is stripped), or the encoding named by a
 * coding cookie on line 1 or 2. UTF-16 files with a BOM are decoded too. A binary file, an
 * unknown encoding or bytes invalid in the encoding yield a diagnostic and no text: the file is
 * skipped rather than analysed with replacement characters. Line endings are left untouched.
 */
export function decodeSource(buf: Buffer, relPath: string): { text: string } | { diagnostic: Diagnostic } {
  const utf16 = utf16ByBom(buf);
  if (utf16) return decodeWith(buf.subarray(2), utf16, relPath);
  if (buf.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    return { diagnostic: { level: 'warning', code: 'binary-file', file: relPath, message: 'binary file (NUL bytes); skipped' } };
  }
  const hasBom = buf.subarray(0, 3).equals(UTF8_BOM);
  const body = hasBom ? buf.subarray(3) : buf;
  const cookie = findCodingCookie(body);
  if (cookie === undefined) return decodeWith(body, 'utf-8', relPath);
  if (hasBom && !/^utf[-_]?8(?:[-_]sig)?$/i.test(cookie)) {
    return decodeError(relPath, `file has a UTF-8 byte-order mark but declares encoding '${cookie}'`, 1);
  }
  return decodeWith(body, cookie, relPath);
}

function utf16ByBom(buf: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  if (buf.length < 2) return undefined;
  if (buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
  if (buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
  return undefined;
}

function decodeWith(bytes: Buffer, encoding: string, relPath: string): { text: string } | { diagnostic: Diagnostic } {
  const decode = decoderFor(encoding);
  if (!decode) return decodeError(relPath, `unknown source encoding '${encoding}'`, 1);
  try {
    return { text: decode(bytes) };
  } catch {
    const line = isUtf8Family(encoding) ? firstInvalidUtf8Line(bytes) : undefined;
    return decodeError(relPath, `invalid ${encoding} byte sequence${line ? ` on line ${line}` : ''}; skipped`, line);
  }
}

function isUtf8Family(encoding: string): boolean {
  return /^utf[-_]?8/i.test(encoding) || encoding === 'u8';
}

/** Newline bytes never occur inside a UTF-8 multi-byte sequence, so lines can be checked one by one. */
function firstInvalidUtf8Line(bytes: Buffer): number | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  for (let line = 1; start <= bytes.length; line++) {
    const end = bytes.indexOf(0x0a, start);
    const stop = end === -1 ? bytes.length : end;
    try {
      decoder.decode(bytes.subarray(start, stop));
    } catch {
      return line;
    }
    if (end === -1) break;
    start = end + 1;
  }
  return undefined;
}

function decodeError(relPath: string, message: string, line?: number): { diagnostic: Diagnostic } {
  const diagnostic: Diagnostic = { level: 'warning', code: 'decode-error', file: relPath, message };
  if (line !== undefined) diagnostic.line = line;
  return { diagnostic };
}
