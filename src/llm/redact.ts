/**
 * Secret redaction for everything sent to a model. Works on whole Python files so that line
 * numbers and multi-line literals stay intact: every redacted span keeps its newlines.
 */

export const REDACTED = '<redacted>';

/** Redacts a whole file given as lines; the result has the same number of lines. */
export function redactLines(lines: readonly string[]): string[] {
  const out = redactSecrets(lines.join('\n')).split('\n');
  return out.length === lines.length ? out : lines.map(() => REDACTED); // cannot happen; fail closed
}

/**
 * Replaces with `<redacted>`: PEM private key blocks; string literals assigned to, compared with,
 * or passed as a password/secret/token/api-key-like name (or a dict key of such a name); and
 * high-entropy token-like string literals and comment words. Newlines are preserved.
 */
export function redactSecrets(text: string): string {
  return redactPythonLiterals(redactPemBlocks(text));
}

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g;

export function redactPemBlocks(text: string): string {
  return text.replace(PEM_BLOCK, (block) => keepNewlines(block));
}

/** `<redacted>` followed by as many newlines as `span` had. */
function keepNewlines(span: string): string {
  return REDACTED + '\n'.repeat(countNewlines(span));
}

function countNewlines(s: string): number {
  let n = 0;
  for (const c of s) if (c === '\n') n++;
  return n;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  const chars = [...s];
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / chars.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * A token-like string of ≥ 20 chars with entropy ≥ 3.5 bits/char. Prose (anything with
 * whitespace), plain lower-case identifiers or paths and plain http(s) URLs without
 * credentials or a query are not token-like: SQL, messages and URLs stay readable.
 */
export function looksLikeSecretValue(s: string): boolean {
  if (s.length < 20 || /\s/.test(s) || s.includes(REDACTED)) return false;
  if (shannonEntropy(s) < 3.5) return false;
  if (/^[a-z0-9_.\/:-]*$/.test(s) && !/\d.*\d.*\d/.test(s.replace(/^https?:\/\/[^/]*/, ''))) return false;
  if (/^https?:\/\//i.test(s)) {
    try {
      const u = new URL(s);
      if (!u.username && !u.password && !u.search) return false;
    } catch {
      /* not a URL: judge it as a token */
    }
  }
  return true;
}

const SECRET_WORDS = new Set([
  'password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'secrets', 'token', 'tokens',
  'apikey', 'credential', 'credentials', 'privkey', 'privatekey', 'secretkey', 'accesskey', 'authkey',
]);
const KEY_QUALIFIERS = new Set(['api', 'access', 'private', 'priv', 'secret', 'signing', 'auth', 'encryption', 'master', 'client']);
/** Names that describe a secret without holding one (TOKEN_URL, password_field). */
const NOT_A_VALUE = new Set(['url', 'uri', 'endpoint', 'name', 'field', 'label', 'file', 'path', 'env', 'var', 'header', 'prompt', 'type', 'len', 'length', 'min', 'max', 'regex', 'pattern']);

/** Whether an identifier or dict key names a secret: DB_PASSWORD, apiKey, "X-Api-Key", private_key. */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.length === 0 || NOT_A_VALUE.has(words[words.length - 1]!)) return false;
  return words.some((w, i) => SECRET_WORDS.has(w) || (w === 'key' && i > 0 && KEY_QUALIFIERS.has(words[i - 1]!)));
}

// Text before a literal, on its line, that makes the literal the value of a secret-like name.
const ASSIGNED_TO_NAME = /([A-Za-z_]\w*)\s*(?::\s*[\w.\[\], |]+)?\s*(?:==|!=|=|:=)\s*$/; // NAME = "..", NAME: str = "..", f(NAME=".."), NAME == ".."
const SUBSCRIPT_KEY = /\[\s*[rRbBuU]?["']([^"'\n]+)["']\s*\]\s*=\s*$/; // headers["X-Api-Key"] = ".."
const DICT_KEY = /[rRbBuU]?["']([^"'\n]+)["']\s*:\s*$/; // {"password": ".."}
const COMPARED_FROM_LEFT = /^\s*(?:==|!=)\s*([A-Za-z_][\w.]*)/; // ".." == password

function secretContext(before: string, after: string): boolean {
  for (const re of [SUBSCRIPT_KEY, DICT_KEY, ASSIGNED_TO_NAME]) {
    const m = re.exec(before);
    if (m && isSecretName(m[1]!)) return true;
  }
  const m = COMPARED_FROM_LEFT.exec(after);
  return !!m && isSecretName(m[1]!.split('.').pop()!);
}

/** Walks Python source: string literals and comments; everything else is copied. */
export function redactPythonLiterals(text: string): string {
  let out = '';
  let i = 0;
  let lineStart = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      out += c;
      i++;
      lineStart = out.length;
      continue;
    }
    if (c === '#') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += redactCommentWords(text.slice(i, stop));
      i = stop;
      continue;
    }
    const lit = readStringLiteral(text, i);
    if (!lit) {
      out += c;
      i++;
      continue;
    }
    const body = text.slice(lit.bodyStart, lit.bodyEnd);
    const before = out.slice(lineStart);
    const after = text.slice(lit.end, indexOfOrEnd(text, '\n', lit.end));
    const redact = body.length > 0 && !body.includes(REDACTED) && (looksLikeSecretValue(body) || secretContext(before, after));
    out += text.slice(i, lit.bodyStart) + (redact ? keepNewlines(body) : body) + text.slice(lit.bodyEnd, lit.end);
    if (body.includes('\n')) lineStart = out.lastIndexOf('\n') + 1;
    i = lit.end;
  }
  return out;
}

function indexOfOrEnd(s: string, needle: string, from: number): number {
  const k = s.indexOf(needle, from);
  return k < 0 ? s.length : k;
}

function redactCommentWords(comment: string): string {
  return comment.replace(/[^\s'"`]+/g, (word) => (looksLikeSecretValue(word.replace(/^[=:]+|[.,;:]+$/g, '')) ? REDACTED : word));
}

interface LiteralSpan {
  bodyStart: number;
  bodyEnd: number;
  end: number;
}

/** A Python string literal (with optional r/b/u/f prefix) starting at `i`, or undefined. */
function readStringLiteral(text: string, i: number): LiteralSpan | undefined {
  if (i > 0 && /[\w]/.test(text[i - 1]!)) return undefined; // inside an identifier
  const prefix = /^[rRbBuUfF]{0,2}(?=["'])/.exec(text.slice(i, i + 3));
  if (!prefix) return undefined;
  const q = i + prefix[0].length;
  const quote = text[q]!;
  const triple = text.startsWith(quote.repeat(3), q);
  const delim = triple ? quote.repeat(3) : quote;
  const bodyStart = q + delim.length;
  let j = bodyStart;
  while (j < text.length) {
    const ch = text[j]!;
    if (ch === '\\') {
      j += 2;
      continue;
    }
    if (!triple && ch === '\n') return { bodyStart, bodyEnd: j, end: j }; // unterminated
    if (text.startsWith(delim, j)) return { bodyStart, bodyEnd: j, end: j + delim.length };
    j++;
  }
  return { bodyStart, bodyEnd: Math.min(j, text.length), end: Math.min(j, text.length) };
}
