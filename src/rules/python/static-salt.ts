/** py/static-salt: a constant salt for a password hash / KDF. */
import type { PatternRule } from '../types.js';
import { calleeName, code } from './util/ir.js';
import { callsWhere } from './util/calls.js';
import { argument } from './util/call-args.js';
import { isConstantBytes } from './util/constant-bytes.js';

interface SaltedKdf {
  pattern: RegExp;
  param: string;
  position?: number;
}

const KDFS: SaltedKdf[] = [
  { pattern: /^hashlib\.pbkdf2_hmac$/, param: 'salt', position: 2 },
  { pattern: /^hashlib\.scrypt$/, param: 'salt' },
  { pattern: /^cryptography\.hazmat\.primitives\.kdf\.pbkdf2\.PBKDF2HMAC$/, param: 'salt', position: 2 },
  { pattern: /^cryptography\.hazmat\.primitives\.kdf\.scrypt\.Scrypt$/, param: 'salt', position: 0 },
  { pattern: /^cryptography\.hazmat\.primitives\.kdf\.argon2\.Argon2id$/, param: 'salt' },
  { pattern: /^(Crypto|Cryptodome)\.Protocol\.KDF\.(PBKDF2|scrypt|bcrypt)$/, param: 'salt', position: 1 },
  { pattern: /^bcrypt\.hashpw$/, param: 'salt', position: 1 },
  { pattern: /^argon2\.low_level\.hash_secret(_raw)?$/, param: 'salt', position: 1 },
  { pattern: /^passlib\.hash\.[a-z0-9_]+\.using$/, param: 'salt' },
];

export const staticSalt: PatternRule = {
  meta: {
    id: 'py/static-salt',
    name: 'Constant salt in password hashing',
    cwes: [760],
    severity: 'medium',
    securitySeverity: 5.9,
    precision: 'high',
    kind: 'pattern',
    languages: ['python'],
    tags: ['crypto', 'passwords'],
    docs: {
      summary: 'A literal salt passed to PBKDF2, scrypt, bcrypt or argon2.',
      what:
        'Finds `hashlib.pbkdf2_hmac`, `hashlib.scrypt`, `cryptography` `PBKDF2HMAC`/`Scrypt`/`Argon2id`, pycryptodome `PBKDF2`/`scrypt`, ' +
        '`bcrypt.hashpw` and argon2 low-level calls whose salt is a fixed byte string.',
      why:
        'A salt exists to make every hash unique. With one salt for everyone, equal passwords have equal hashes and an attacker ' +
        'can attack all users at once with one precomputed table.',
      example: 'dk = hashlib.pbkdf2_hmac("sha256", password.encode(), b"static-salt", 600_000)',
      fix: 'salt = os.urandom(16)  # per user, stored with the hash\ndk = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)',
    },
  },
  check(ctx) {
    callsWhere(ctx, (callee) => KDFS.some((k) => k.pattern.test(callee))).forEach(({ node }) => {
      const callee = calleeName(ctx, node) ?? '';
      const kdf = KDFS.find((k) => k.pattern.test(callee));
      if (!kdf) return;
      const salt = argument(node, kdf.param, kdf.position);
      if (!salt || !isConstantBytes(ctx, salt)) return;
      ctx.report({
        span: node.span,
        message: `\`${code(ctx, node)}\` uses the constant salt \`${code(ctx, salt, 40)}\`: every password gets the same salt, so equal passwords hash alike and one precomputed table attacks them all.`,
        fix: 'Generate a random salt per password (`os.urandom(16)`, or `bcrypt.gensalt()`), and store it with the hash.',
        confidence: 'high',
      });
    });
  },
};
