/** PEP 263 source-encoding declarations and the mapping of Python codec names to decoders. */

const COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
const BLANK_OR_COMMENT = /^[ \t\f]*(?:#.*)?\r?$/;

/**
 * The encoding declared on line 1 or 2 (`# -*- coding: latin-1 -*-`, `# vim: set fileencoding=utf-8 :`).
 * As in CPython, line 2 counts only when line 1 is blank or a comment.
 */
export function findCodingCookie(head: Buffer): string | undefined {
  const text = head.subarray(0, 1024).toString('latin1');
  const [line1 = '', line2 = ''] = text.split('\n', 2);
  const first = COOKIE.exec(line1);
  if (first) return first[1];
  if (!BLANK_OR_COMMENT.test(line1)) return undefined;
  return COOKIE.exec(line2)?.[1];
}

/** Python's codec-name normalisation: lowercase, `_` and spaces as `-`. */
export function normaliseCodecName(name: string): string {
  return name.trim().toLowerCase().replace(/[_\s]+/g, '-');
}

export type Decoder = (bytes: Buffer) => string; // throws on bytes invalid in the encoding

const LATIN1_ALIASES = new Set(['latin-1', 'latin1', 'l1', 'iso-8859-1', 'iso8859-1', 'iso-latin-1', '8859', 'cp819', 'latin']);
const ASCII_ALIASES = new Set(['ascii', 'us-ascii', '646', 'us']);
/** Python names that WHATWG labels spell differently. */
const WHATWG_LABELS: Record<string, string> = {
  'utf8': 'utf-8',
  'utf-8-sig': 'utf-8',
  'u8': 'utf-8',
  'sjis': 'shift_jis',
  'shift-jis': 'shift_jis',
  'mac-roman': 'macintosh',
  'macroman': 'macintosh',
  'euc-jp': 'euc-jp',
  'cp936': 'gbk',
  'ms936': 'gbk',
  'cp932': 'shift_jis',
  'ms932': 'shift_jis',
  'cp949': 'euc-kr',
};

/** A strict decoder for a Python codec name, or undefined when the encoding is not supported. */
export function decoderFor(codecName: string): Decoder | undefined {
  const name = normaliseCodecName(codecName);
  // WHATWG maps "latin1" to windows-1252; PEP 263 latin-1 is true ISO-8859-1, which Buffer implements.
  if (LATIN1_ALIASES.has(name)) return (bytes) => bytes.toString('latin1');
  if (ASCII_ALIASES.has(name)) {
    return (bytes) => {
      const bad = bytes.findIndex((b) => b > 0x7f);
      if (bad !== -1) throw new Error(`byte 0x${bytes[bad]!.toString(16)} is not ASCII`);
      return bytes.toString('latin1');
    };
  }
  if (CP1252_ALIASES.has(name)) return decodeCp1252;
  const label = WHATWG_LABELS[name] ?? (/^cp125\d$/.test(name) ? `windows-${name.slice(2)}` : name);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    return undefined;
  }
  // Other labels the Encoding Standard folds into windows-1252 ("ascii", "iso-8859-9"...) are not
  // what Python means by them; decline rather than guess.
  if (decoder.encoding === 'windows-1252') return undefined;
  return (bytes) => decoder.decode(bytes);
}

const CP1252_ALIASES = new Set(['cp1252', 'windows-1252', '1252']);
/** Code points of bytes 0x80-0x9f in cp1252; 0 marks the five bytes Python's codec leaves undefined. */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/** Node 20's TextDecoder decodes windows-1252 as ISO-8859-1, so cp1252 is mapped here. */
function decodeCp1252(bytes: Buffer): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80 || b > 0x9f) {
      out += String.fromCharCode(b);
      continue;
    }
    const cp = CP1252_HIGH[b - 0x80]!;
    if (cp === 0) throw new Error(`byte 0x${b.toString(16)} is undefined in cp1252`);
    out += String.fromCharCode(cp);
  }
  return out;
}
