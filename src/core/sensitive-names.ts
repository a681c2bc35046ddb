/**
 * Heuristic: does an identifier name a secret? Identifiers are split into lower-case words
 * (snake_case, camelCase, kebab-case, dotted), then matched word by word, so `bypass` is not
 * `pass` and `tokenizer` is not `token`.
 */

export type SecretKind = 'password' | 'crypto-key' | 'token' | 'secret';

/** "dbPassword2" -> ["db", "password", "2"]; "APIKey" -> ["api", "key"]. */
export function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'passwort', 'pword']);
/** Words that mean a password only as the last word: `db_pass`, `admin_pw`. */
const PASSWORD_SUFFIXES = new Set(['pass', 'pw']);
const SECRET_WORDS = new Set(['secret', 'credential', 'credentials', 'creds', 'apikey', 'privkey', 'secretkey', 'sessionid', 'passcode']);
const TOKEN_WORDS = new Set(['token']);
/** `X_key` is a secret only for these X. */
const KEY_QUALIFIERS = new Set([
  'api', 'private', 'priv', 'secret', 'signing', 'sign', 'encryption', 'encrypt', 'enc', 'aes', 'hmac', 'master',
  'auth', 'access', 'session', 'crypto', 'cipher', 'jwt', 'shared', 'symmetric', 'decryption', 'client', 'app', 'license',
]);
const CRYPTO_KEY_QUALIFIERS = new Set([
  'private', 'priv', 'signing', 'sign', 'encryption', 'encrypt', 'enc', 'aes', 'hmac', 'master', 'crypto', 'cipher',
  'symmetric', 'decryption', 'session', 'jwt',
]);

/**
 * Words that turn a sensitive-looking name into metadata about the secret:
 * `password_hash`, `token_url`, `is_password_set`, `max_token_length`, `password_field`...
 */
const EXCLUDING_WORDS = new Set([
  'hash', 'hashed', 'hasher', 'digest', 'encrypted', 'redacted', 'random', 'masked', 'mask', 'salt', 'is', 'has',
  'url', 'uri', 'endpoint', 'path', 'file', 'filename', 'dir', 'name', 'len', 'length', 'type', 'field', 'header',
  'param', 'prompt', 'label', 'pattern', 'regex', 're', 'template', 'format', 'fmt', 'env', 'var', 'min', 'max',
  'policy', 'expiry', 'expires', 'expiration', 'ttl', 'timeout', 'age', 'validator', 'strength', 'rule', 'rules',
  'hint', 'help', 'placeholder', 'input', 'widget', 'form', 'column', 'col', 'attr', 'message', 'msg', 'error',
  'count', 'limit', 'size', 'num', 'prefix', 'suffix', 'char', 'chars', 'class', 'mode', 'method', 'kind',
  'version', 'required', 'enabled', 'changed', 'store', 'manager', 'provider', 'service', 'backend',
  'handler', 'factory', 'generator', 'arn', 'ref', 'location', 'loc', 'id', 'ids', 'index', 'idx',
  'keyname', 'filter', 'check', 'valid', 'verify', 'verified', 'match', 'matches', 'algorithm', 'alg', 'algo',
  'scheme', 'style', 'text', 'description', 'desc', 'title', 'option', 'options', 'setting', 'settings',
  'callback', 'cb', 'fn', 'func', 'lookup', 'source', 'src', 'loader', 'reader', 'getter', 'setter',
  'rotation', 'rotate', 'usage', 'set', 'get', 'update', 'last', 'updated', 'created', 'at', 'date', 'time',
  'timestamp', 'tokens', 'prefixes', 'storage', 'cache', 'keyid', 'kid', 'fingerprint', 'expected', 'entropy',
  'bits',
]);

/** Session identifiers count as secrets (`session_id`, `sessionid`) even though `id` excludes otherwise. */
function isSessionId(words: string[]): boolean {
  const s = words.join('_');
  return /(^|_)session_?id$/.test(s) || words.includes('sessionid');
}

/** The kind of secret an identifier names, if any. */
export function classifySensitiveName(name: string): SecretKind | undefined {
  const words = splitWords(name);
  if (words.length === 0) return undefined;
  if (isSessionId(words)) return 'secret';
  if (words.some((w) => EXCLUDING_WORDS.has(w))) return undefined;
  // "token" wins over "password": `password_reset_token` is a token.
  if (words.some((w) => TOKEN_WORDS.has(w))) return 'token';
  for (let i = 0; i < words.length; i++) {
    if (words[i] === 'key' && i > 0 && KEY_QUALIFIERS.has(words[i - 1])) {
      return CRYPTO_KEY_QUALIFIERS.has(words[i - 1]) ? 'crypto-key' : words[i - 1] === 'secret' ? 'crypto-key' : 'secret';
    }
    if (words[i] === 'privkey' || words[i] === 'secretkey') return 'crypto-key';
  }
  if (words.some((w) => PASSWORD_WORDS.has(w))) return 'password';
  if (PASSWORD_SUFFIXES.has(words[words.length - 1]) && words.length > 1) return 'password';
  if (words.length === 1 && words[0] === 'pw') return 'password';
  if (words.some((w) => SECRET_WORDS.has(w))) return 'secret';
  return undefined;
}

export function isSensitiveName(name: string): boolean {
  return classifySensitiveName(name) !== undefined;
}

/** Names a password or passphrase (what should go through a password KDF). */
export function isPasswordName(name: string): boolean {
  return classifySensitiveName(name) === 'password';
}

/**
 * Names something that must be unpredictable: any secret, plus one-time codes, nonces,
 * salts, IVs, CSRF values, reset/verification codes.
 */
export function isUnpredictableValueName(name: string): boolean {
  if (isSensitiveName(name)) return true;
  const words = splitWords(name);
  if (words.some((w) => ['otp', 'totp', 'hotp', 'nonce', 'salt', 'iv', 'csrf', 'xsrf', 'pin', 'passcode', 'apikey', 'cookie'].includes(w))) {
    return !words.some((w) => ['len', 'length', 'size', 'count', 'name', 'url', 'path', 'type', 'max', 'min'].includes(w));
  }
  const codeWords = ['verification', 'verify', 'reset', 'confirm', 'confirmation', 'activation', 'invite', 'invitation', 'auth', 'login', 'recovery', 'access', 'security', 'one', 'sms', 'mfa'];
  if (words.includes('code') && words.some((w) => codeWords.includes(w))) return true;
  if (words.includes('key') && words.some((w) => ['api', 'secret', 'private', 'session', 'access', 'encryption', 'signing'].includes(w))) return true;
  if (words.includes('session') && (words.includes('id') || words.includes('key'))) return true;
  return false;
}

/** Names a function that produces a secret: generate_token, make_password, new_session_id, random_otp. */
export function isSecretProducerName(name: string): boolean {
  const words = splitWords(name);
  const verbs = ['generate', 'gen', 'make', 'create', 'new', 'random', 'rand', 'issue', 'mint', 'build', 'get', 'reset'];
  if (!words.some((w) => verbs.includes(w))) return false;
  const rest = words.filter((w) => !verbs.includes(w)).join('_');
  return rest !== '' && isUnpredictableValueName(rest);
}
