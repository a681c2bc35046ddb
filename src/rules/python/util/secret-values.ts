/**
 * Shape checks on string literals found where a secret is expected: is this a real value
 * or a placeholder, an option name, a URL, a token type?
 */

const PLACEHOLDER_WORDS = new Set([
  'changeme', 'change_me', 'change-me', 'changeit', 'password', 'passwd', 'secret', 'none', 'null', 'nil',
  'undefined', 'test', 'testing', 'example', 'dummy', 'fake', 'todo', 'fixme', 'tbd', 'placeholder',
  'redacted', 'sample', 'mock', 'foo', 'bar', 'foobar', 'xxx', 'default', 'empty', 'unset', 'not-set',
  'notset', 'hidden', 'masked', 'yourpassword', 'your_password', 'mypassword', 'secretkey', 'secret_key',
  'token', 'apikey', 'api_key', 'key', 'value', 'string', 'str', 'pass', 'required', 'optional',
]);

/** Token types and auth schemes: the word before a token, not the token. */
const TOKEN_TYPES = new Set(['bearer', 'basic', 'digest', 'jwt', 'oauth', 'oauth2', 'hmac', 'token', 'apikey', 'negotiate', 'mac']);

/** Whether a literal is a stand-in rather than a real secret. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  const lower = v.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower)) return true;
  if (/^([x*.#?_\-0])\1*$/i.test(v)) return true; // xxxx, ****, ...., 0000
  if (/^<[^>]*>$/.test(v) || /^\[[^\]]*\]$/.test(v)) return true; // <password>, [token]
  if (/\{[^}]*\}/.test(v) || /\$\{?[A-Za-z_]/.test(v) || /%\([^)]*\)[sd]/.test(v) || /%s/.test(v)) return true; // templates
  if (/^(your|my|some|test|fake|dummy|example|sample|mock|placeholder|insert|enter|replace|put)[-_ ]/i.test(v)) return true;
  if (/(changeme|change[-_ ]me|replace[-_ ]?me|placeholder|not[-_ ]?a[-_ ]?real|dummy|example)/i.test(v)) return true;
  return false;
}

/** Whether the literal names something (URL, path, file, env var, option) rather than being a secret. */
export function looksLikeReference(value: string): boolean {
  const v = value.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return true; // URL
  if (/^(\/|\.\.?\/|~\/|[A-Za-z]:\\)/.test(v)) return true; // path
  if (/^[\w./-]+\.(pem|key|crt|cer|der|p12|pfx|json|ya?ml|txt|ini|cfg|conf|env|toml|pub|jks|keystore|db|sqlite)$/i.test(v)) return true;
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(v)) return true; // DB_PASSWORD: an env var / setting name
  if (/^--?[a-z]/.test(v)) return true; // --password: a CLI option
  if (/^[a-z]+(\.[a-z_]+)+$/.test(v)) return true; // dotted setting key "db.password"
  return false;
}

export function isTokenType(value: string): boolean {
  return TOKEN_TYPES.has(value.trim().toLowerCase());
}

/** Prose (labels, prompts, messages) is not a secret: several words separated by spaces, or ending in ':' / '?'. */
export function looksLikeProse(value: string): boolean {
  const v = value.trim();
  if (/[:?]$/.test(v) || (/!$/.test(v) && v.includes(' '))) return true;
  return (v.match(/ /g) ?? []).length >= 2 && /^[A-Za-z' ,.-]+$/.test(v);
}

/** Shannon entropy of a string, in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = [...s].length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Random-looking: long enough, high entropy, at least two character classes (keys, tokens, generated passwords). */
export function isHighEntropy(value: string): boolean {
  const v = value.trim();
  if (v.length < 16 || /\s/.test(v)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(v)).length;
  return classes >= 2 && shannonEntropy(v) >= 3.5;
}

/** A password-looking value: letters mixed with digits or symbols ("hunter2", "S3cr3t!"). */
export function looksLikePassword(value: string): boolean {
  const v = value.trim();
  return /[A-Za-z]/.test(v) && /[0-9!@#$%^&*_+=~-]/.test(v) && !/\s/.test(v);
}

export interface SecretValueVerdict {
  /** Plausibly a real secret. */
  secret: boolean;
  /** Random-looking: raises confidence. */
  strong: boolean;
}

/**
 * Judges a literal found where a secret of the given kind is expected.
 * `passwordName` relaxes the minimum length for values shaped like word+digits ("abc12").
 */
export function judgeSecretValue(value: string, passwordName: boolean): SecretValueVerdict {
  const no = { secret: false, strong: false };
  const v = value.trim();
  if (isPlaceholder(v) || looksLikeReference(v) || isTokenType(v) || looksLikeProse(v)) return no;
  if (v.length < 6 && !(passwordName && v.length >= 4 && looksLikePassword(v))) return no;
  return { secret: true, strong: isHighEntropy(v) || (passwordName && looksLikePassword(v) && v.length >= 8) };
}
