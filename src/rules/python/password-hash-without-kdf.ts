/**
 * py/password-hash-without-kdf: a password hashed with a fast general-purpose hash (SHA-2, SHA-3,
 * BLAKE2). MD5/SHA-1 on passwords are reported by py/weak-hash (with CWE-916 among their CWEs).
 */
import type { PatternRule } from '../types.js';
import { code } from './util/ir.js';
import { FAST_STRONG_HASHES, displayAlgorithm, hashCall, isHashCallee } from './util/crypto-names.js';
import { callsWhere } from './util/calls.js';
import { carriesPassword } from './util/sensitive-exprs.js';

export const passwordHashWithoutKdf: PatternRule = {
  meta: {
    id: 'py/password-hash-without-kdf',
    name: 'Password hashed with a fast hash',
    cwes: [916],
    severity: 'high',
    securitySeverity: 7.5,
    precision: 'high',
    kind: 'pattern',
    languages: ['python'],
    tags: ['crypto', 'passwords'],
    docs: {
      summary: 'A password hashed with SHA-256/SHA-512/SHA-3/BLAKE2 instead of a password KDF.',
      what:
        'Finds `hashlib.sha256(...)` and the other fast hashes (also via `hashlib.new` and pycryptodome) whose input is a password: ' +
        'an expression reading a variable, attribute or key named like a password, or data the taint engine marks as sensitive.',
      why:
        'General-purpose hashes are built to be fast: a GPU tries billions of candidates per second, so most real passwords ' +
        'fall quickly once the digests leak, salted or not. Password KDFs are deliberately slow and memory-hard.',
      example: 'user.password_digest = hashlib.sha256((salt + password).encode()).hexdigest()',
      fix: 'from argon2 import PasswordHasher\nuser.password_digest = PasswordHasher().hash(password)',
    },
  },
  check(ctx) {
    callsWhere(ctx, isHashCallee).forEach(({ node }) => {
      const h = hashCall(ctx, node);
      if (!h || !FAST_STRONG_HASHES.has(h.algorithm) || !h.data) return;
      const password = carriesPassword(ctx, h.data);
      if (!password) return;
      const what = password.how === 'name' ? `\`${password.name}\`, a password` : 'a password';
      ctx.report({
        span: node.span,
        message: `\`${code(ctx, node)}\` hashes ${what} with ${displayAlgorithm(h.algorithm)}, a fast hash: leaked digests can be brute-forced at billions of guesses per second.`,
        fix: 'Use a password KDF with a per-user random salt: argon2id (`argon2.PasswordHasher().hash(pw)`), bcrypt, scrypt (`hashlib.scrypt`) or PBKDF2 with ≥600,000 iterations.',
        confidence: password.how === 'name' ? 'high' : 'medium',
      });
    });
  },
};
