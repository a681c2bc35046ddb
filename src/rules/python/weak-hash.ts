/**
 * py/weak-hash: MD5, SHA-1, MD4, MD2, RIPEMD-160. Reported at medium confidence by default,
 * high when a password goes in, and not at all when the code says the hash is not for security:
 * `usedforsecurity=False`, or the digest is a cache key / ETag / checksum / fingerprint (the
 * name of the variable it is stored in, or of the enclosing function, says so).
 */
import type { Expr } from '../../ir/types.js';
import type { Confidence } from '../../core/finding.js';
import type { PatternRule, RuleContext } from '../types.js';
import { calleeName, code, isFalseConst, parentMap, storageName, subtree, type CallExpr } from './util/ir.js';
import { keywordArg } from './util/call-args.js';
import { WEAK_HASHES, displayAlgorithm, hashCall, isHashCallee } from './util/crypto-names.js';
import { callsWhere } from './util/calls.js';
import { carriesPassword } from './util/sensitive-exprs.js';
import { splitWords } from '../../core/sensitive-names.js';

/** Words in a variable or function name that show a digest is used as an identifier, not for security. */
const NON_SECURITY_WORDS = new Set([
  'etag', 'cache', 'cached', 'checksum', 'checksums', 'fingerprint', 'dedup', 'dedupe', 'deduplicate', 'crc', 'shard',
  'bucket', 'partition', 'filename', 'cachekey', 'memo', 'memoize', 'lru', 'color', 'colour', 'avatar', 'gravatar', 'slug',
]);

export function isNonSecurityName(name: string | undefined): boolean {
  if (!name) return false;
  const words = splitWords(name);
  if (words.some((w) => NON_SECURITY_WORDS.has(w))) return true;
  const joined = words.join('_');
  return /(^|_)(file|content|chunk|blob|object|cache|etag)_(hash|digest|md5|sha1|key|id)($|_)/.test(joined) || /(^|_)digest_for_file/.test(joined);
}

/** HMAC, OAEP/MGF1 and KDFs built on SHA-1 are not broken by SHA-1 collisions: a hardening note only. */
const KEYED_CONSTRUCTIONS = /(^|\.)(HMAC|MGF1|OAEP|PBKDF2HMAC|HKDF|HKDFExpand|ConcatKDFHash|X963KDF)$/;

/** Maps each call inside an assignment's value to the names it is stored under. */
function storedUnder(ctx: RuleContext): Map<Expr, string[]> {
  const out = new Map<Expr, string[]>();
  ctx.visitsOf('assign').forEach(({ node }) => {
    const names = node.targets.map(storageName).filter((n): n is string => n !== undefined);
    if (names.length === 0) return;
    for (const e of subtree(node.value)) if (e.k === 'call') out.set(e, names);
  });
  return out;
}

export const weakHash: PatternRule = {
  meta: {
    id: 'py/weak-hash',
    name: 'Use of a broken hash function',
    cwes: [328, 327],
    severity: 'medium',
    securitySeverity: 5.9,
    precision: 'medium',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B303', 'B324'],
    tags: ['crypto'],
    docs: {
      summary: 'MD5, SHA-1, MD4, MD2 or RIPEMD-160 used where a hash may protect something.',
      what:
        'Finds `hashlib.md5()`/`sha1()`, `hashlib.new("md5")`, pycryptodome `MD5.new()`/`SHA1.new()` and `cryptography` ' +
        '`hashes.MD5()`/`hashes.SHA1()`. Confidence is high when a password (by name, or by data flow) is hashed, medium otherwise. ' +
        'Calls with `usedforsecurity=False`, and digests stored in a variable or computed in a function whose name shows a ' +
        'non-security use (etag, cache key, checksum, fingerprint, dedup, file hash), are not reported.',
      why:
        'Collisions for MD5 and SHA-1 can be computed cheaply, so they cannot vouch for integrity or authenticity; they are also ' +
        'fast to brute-force, so a password or token hashed with them is recovered quickly from a leaked digest.',
      example: 'digest = hashlib.md5(password.encode()).hexdigest()\nsignature = hashlib.sha1(payload).hexdigest()',
      fix:
        'digest = argon2.PasswordHasher().hash(password)  # passwords: a password KDF\nsignature = hmac.new(key, payload, hashlib.sha256).hexdigest()\n' +
        '# non-security use: say so\netag = hashlib.md5(body, usedforsecurity=False).hexdigest()',
    },
  },
  check(ctx) {
    let stored: Map<Expr, string[]> | undefined;
    callsWhere(ctx, isHashCallee).forEach(({ node, scope }) => {
      const h = hashCall(ctx, node);
      if (!h || !WEAK_HASHES.has(h.algorithm)) return;
      const flag = keywordArg(node, 'usedforsecurity');
      if (flag && isFalseConst(ctx, flag)) return;
      const password = h.data ? carriesPassword(ctx, h.data) : undefined;
      if (!password) {
        const names = (stored ??= storedUnder(ctx)).get(node) ?? [];
        if (names.some(isNonSecurityName) || isNonSecurityName(scope.functionName)) return;
      }
      const parent = parentMap(ctx).get(node);
      const inKeyedConstruction = parent?.k === 'call' && KEYED_CONSTRUCTIONS.test(calleeName(ctx, parent) ?? '');
      report(ctx, node, h.algorithm, h.data, password, inKeyedConstruction);
    });
  },
};

function report(
  ctx: RuleContext,
  call: CallExpr,
  algorithm: string,
  data: Expr | undefined,
  password: ReturnType<typeof carriesPassword>,
  inKeyedConstruction: boolean,
): void {
  const alg = displayAlgorithm(algorithm);
  let confidence: Confidence = 'medium';
  let message = `\`${code(ctx, call)}\` uses ${alg}, a broken hash: collisions are cheap to compute, so it cannot protect integrity, signatures or secrets.`;
  let fix = `Use SHA-256 or better (\`hashlib.sha256\`), HMAC-SHA-256 for authentication; if this hash is only an identifier, pass \`usedforsecurity=False\`.`;
  let cwes: number[] | undefined;
  if (password && data) {
    confidence = 'high';
    const what = password.how === 'name' ? `\`${password.name}\`, a password` : 'password data';
    message = `\`${code(ctx, call)}\` hashes ${what} with ${alg}: it is broken and fast, so leaked digests are cracked in seconds with precomputed tables or a GPU.`;
    fix = 'Hash passwords with a password KDF: `argon2-cffi` (`PasswordHasher().hash(pw)`), `bcrypt.hashpw(pw, bcrypt.gensalt())` or `hashlib.scrypt`.';
    cwes = [328, 916, 327];
  } else if (ctx.isTestFile || inKeyedConstruction) {
    confidence = 'low';
  }
  ctx.report({ span: call.span, message, fix, confidence, cwes });
}
