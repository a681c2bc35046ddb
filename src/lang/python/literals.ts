/** Decoding of Python string and number literal text. */

export interface StringPrefix {
  raw: boolean;
  bytes: boolean;
  /** f-string (or 3.14 t-string): `{{` and `}}` stand for braces, `{...}` are interpolations. */
  formatted: boolean;
}

/** Reads the prefix letters of a string_start token such as `rb"""` or `F'`. */
export function stringPrefix(startToken: string): StringPrefix {
  let raw = false;
  let bytes = false;
  let formatted = false;
  for (const ch of startToken) {
    if (ch === '"' || ch === "'") break;
    const c = ch.toLowerCase();
    if (c === 'r') raw = true;
    else if (c === 'b') bytes = true;
    else if (c === 'f' || c === 't') formatted = true;
  }
  return { raw, bytes, formatted };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

function isHex(s: string): boolean {
  return /^[0-9a-fA-F]+$/.test(s);
}

/**
 * Decodes the body of a string literal (the text between the quotes, or one literal piece of
 * an f-string). Bytes literals decode to a string of the byte values (one char per byte);
 * `\N{name}` escapes are kept as written (no Unicode name table).
 */
export function decodeStringBody(body: string, prefix: StringPrefix): string {
  const hasBackslash = !prefix.raw && body.includes('\\');
  const hasBraces = prefix.formatted && (body.includes('{{') || body.includes('}}'));
  // Python reads source with universal newlines, so CRLF inside a literal is '\n'.
  if (!hasBackslash && !hasBraces) return body.includes('\r') ? body.replace(/\r\n/g, '\n') : body;
  let out = '';
  let i = 0;
  const n = body.length;
  while (i < n) {
    const ch = body[i];
    if (prefix.formatted && (ch === '{' || ch === '}') && body[i + 1] === ch) {
      out += ch;
      i += 2;
      continue;
    }
    if (ch !== '\\' || prefix.raw || i + 1 >= n) {
      if (ch === '\r' && body[i + 1] === '\n') {
        i++;
        continue;
      }
      out += ch;
      i++;
      continue;
    }
    const next = body[i + 1];
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      i += 2;
    } else if (next === '\n') {
      i += 2; // backslash-newline continues the string on the next line
    } else if (next === '\r') {
      i += body[i + 2] === '\n' ? 3 : 2;
    } else if (next >= '0' && next <= '7') {
      let j = i + 1;
      while (j < n && j < i + 4 && body[j] >= '0' && body[j] <= '7') j++;
      out += String.fromCharCode(parseInt(body.slice(i + 1, j), 8) & (prefix.bytes ? 0xff : 0x1ff));
      i = j;
    } else if (next === 'x' && isHex(body.slice(i + 2, i + 4)) && body.slice(i + 2, i + 4).length === 2) {
      out += String.fromCharCode(parseInt(body.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (!prefix.bytes && next === 'u' && body.slice(i + 2, i + 6).length === 4 && isHex(body.slice(i + 2, i + 6))) {
      out += String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16));
      i += 6;
    } else if (!prefix.bytes && next === 'U' && body.slice(i + 2, i + 10).length === 8 && isHex(body.slice(i + 2, i + 10))) {
      const cp = parseInt(body.slice(i + 2, i + 10), 16);
      out += cp <= 0x10ffff ? String.fromCodePoint(cp) : body.slice(i, i + 10);
      i += 10;
    } else {
      // Unknown escape (and `\N{...}`): Python keeps the backslash.
      out += '\\';
      i++;
    }
  }
  return out;
}

/** The numeric value of an integer literal: number when safe, bigint beyond; undefined for complex. */
export function integerValue(text: string): number | bigint | undefined {
  let t = text.replace(/_/g, '');
  const last = t[t.length - 1];
  if (last === 'j' || last === 'J') return undefined;
  if (last === 'l' || last === 'L') t = t.slice(0, -1);
  let big: bigint;
  try {
    // Python 2 octal `0777` is read as decimal, which is also what Python 3 would reject.
    big = BigInt(/^0[xXoObB]/.test(t) ? t : t.replace(/^0+(?=\d)/, ''));
  } catch {
    return undefined;
  }
  return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(big) : big;
}

/** The value of a float literal; undefined for imaginary literals (`1.5j`). */
export function floatValue(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  const last = t[t.length - 1];
  if (last === 'j' || last === 'J') return undefined;
  const v = Number(t);
  return Number.isNaN(v) ? undefined : v;
}
