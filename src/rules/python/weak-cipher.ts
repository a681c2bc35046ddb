/**
 * py/weak-cipher: DES, 3DES, RC4, RC2, Blowfish, IDEA, CAST5, SEED, XOR and ECB mode in
 * `cryptography`, pycryptodome(x) and pyOpenSSL/ssl cipher strings.
 */
import type { PatternRule, RuleContext } from '../types.js';
import { calleeName, code, constString, methodName, qname, type CallExpr } from './util/ir.js';
import { callsWhere } from './util/calls.js';
import { argument } from './util/call-args.js';

const CRYPTOGRAPHY_WEAK = /^cryptography\.hazmat\.(primitives|decrepit)\.ciphers\.algorithms\.(TripleDES|ARC4|Blowfish|IDEA|CAST5|SEED|RC2)$/;
const CRYPTOGRAPHY_ECB = /^cryptography\.hazmat\.primitives\.ciphers\.modes\.ECB$/;
const PYCRYPTO_WEAK = /^(Crypto|Cryptodome)\.Cipher\.(DES|DES3|ARC4|ARC2|Blowfish|CAST|XOR)\.new$/;
const PYCRYPTO_NEW = /^(Crypto|Cryptodome)\.Cipher\.[A-Za-z0-9_]+\.new$/;
/** Cipher-string tokens that enable broken suites unless negated with `!` or `-`. */
const WEAK_SUITE_TOKENS = /^(RC4|DES|3DES|NULL|eNULL|aNULL|EXPORT|EXP|LOW|MD5|ADH|RC2|IDEA|SEED)$/i;

const NAMES: Record<string, string> = {
  TripleDES: 'Triple DES', DES3: 'Triple DES', DES: 'DES', ARC4: 'RC4', ARC2: 'RC2', RC2: 'RC2', Blowfish: 'Blowfish',
  IDEA: 'IDEA', CAST5: 'CAST5', CAST: 'CAST5', SEED: 'SEED', XOR: 'XOR "cipher"',
};

export const weakCipher: PatternRule = {
  meta: {
    id: 'py/weak-cipher',
    name: 'Use of a broken or risky cipher or mode',
    cwes: [327],
    severity: 'high',
    securitySeverity: 7.4,
    precision: 'high',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B304', 'B305', 'B413'],
    tags: ['crypto'],
    docs: {
      summary: 'DES, 3DES, RC4, Blowfish, IDEA and other legacy ciphers, or ECB mode.',
      what:
        'Finds `cryptography` `algorithms.TripleDES/ARC4/Blowfish/IDEA/CAST5/SEED` and `modes.ECB`, pycryptodome ' +
        '`DES.new`, `DES3.new`, `ARC4.new`, `ARC2.new`, `Blowfish.new`, `CAST.new`, any `*.new(key, *.MODE_ECB)`, and ' +
        'TLS cipher strings passed to `set_ciphers`/`set_cipher_list` that enable RC4, DES, NULL, EXPORT or anonymous suites.',
      why:
        'These ciphers have small keys or blocks (DES, 3DES, Blowfish: Sweet32) or biased keystreams (RC4). ECB encrypts equal ' +
        'blocks to equal ciphertext, so patterns in the plaintext show through, and it provides no integrity.',
      example: 'cipher = DES.new(key, DES.MODE_ECB)\nct = cipher.encrypt(pad(data, 8))',
      fix: 'from cryptography.hazmat.primitives.ciphers.aead import AESGCM\nnonce = os.urandom(12)\nct = AESGCM(key).encrypt(nonce, data, None)',
    },
  },
  check(ctx) {
    const isCipherCall = (callee: string): boolean => CRYPTOGRAPHY_WEAK.test(callee) || CRYPTOGRAPHY_ECB.test(callee) || PYCRYPTO_WEAK.test(callee) || PYCRYPTO_NEW.test(callee);
    callsWhere(ctx, isCipherCall, ['set_ciphers', 'set_cipher_list']).forEach(({ node }) => {
      const callee = calleeName(ctx, node) ?? '';
      const cg = CRYPTOGRAPHY_WEAK.exec(callee);
      if (cg) return reportCipher(ctx, node, NAMES[cg[2]]);
      if (CRYPTOGRAPHY_ECB.test(callee)) {
        return ctx.report({
          span: node.span,
          message: `\`${code(ctx, node)}\` selects ECB mode: identical plaintext blocks encrypt to identical ciphertext blocks and nothing detects tampering.`,
          fix: 'Use an authenticated mode: `AESGCM(key).encrypt(os.urandom(12), data, aad)` (or `modes.GCM(nonce)`).',
          confidence: 'high',
        });
      }
      const pc = PYCRYPTO_WEAK.exec(callee);
      if (pc) return reportCipher(ctx, node, NAMES[pc[2]]);
      if (PYCRYPTO_NEW.test(callee)) {
        const mode = argument(node, 'mode', 1);
        if (mode && /(^|\.)MODE_ECB$/.test(qname(ctx, mode) ?? '')) {
          return ctx.report({
            span: node.span,
            message: `\`${code(ctx, node)}\` uses ECB mode (\`${code(ctx, mode)}\`): identical plaintext blocks give identical ciphertext and there is no integrity protection.`,
            fix: 'Use `AES.new(key, AES.MODE_GCM)` and send `cipher.nonce` and the tag with the ciphertext.',
            confidence: 'high',
          });
        }
        return;
      }
      const m = methodName(node);
      if (m === 'set_ciphers' || m === 'set_cipher_list') checkCipherString(ctx, node);
    });
  },
};

function reportCipher(ctx: RuleContext, call: CallExpr, cipher: string): void {
  ctx.report({
    span: call.span,
    message: `\`${code(ctx, call)}\` encrypts with ${cipher}, a broken or legacy cipher (short key, 64-bit block or biased keystream).`,
    fix: 'Use AES-GCM or ChaCha20-Poly1305 (`cryptography.hazmat.primitives.ciphers.aead`) with a random 96-bit nonce per message.',
    confidence: 'high',
  });
}

function checkCipherString(ctx: RuleContext, call: CallExpr): void {
  const arg = call.args[0]?.value;
  const s = arg ? constString(ctx, arg) : undefined;
  if (s === undefined) return;
  const enabled = s
    .split(/[:, ]+/)
    .filter((t) => t && !t.startsWith('!') && !t.startsWith('-'))
    .flatMap((t) => t.replace(/^\+/, '').split('+'))
    .filter((t) => WEAK_SUITE_TOKENS.test(t) || /(^|-)(RC4|DES|NULL|EXP)(-|$)/i.test(t));
  if (enabled.length === 0) return;
  ctx.report({
    span: call.span,
    message: `\`${code(ctx, call)}\` enables weak TLS cipher suites (${enabled.map((t) => `\`${t}\``).join(', ')}).`,
    fix: 'Keep the library defaults, or use a modern list such as `"ECDHE+AESGCM:ECDHE+CHACHA20"`; never enable RC4, DES, NULL, EXPORT or anonymous suites.',
    confidence: 'high',
  });
}
