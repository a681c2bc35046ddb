/** py/static-iv: a constant IV or nonce given to a block cipher mode. */
import type { Expr } from '../../ir/types.js';
import type { PatternRule, RuleContext } from '../types.js';
import { calleeName, code, qname, type CallExpr } from './util/ir.js';
import { callsWhere } from './util/calls.js';
import { argument, keywordArg } from './util/call-args.js';
import { isConstantBytes } from './util/constant-bytes.js';

const CRYPTOGRAPHY_MODE = /^cryptography\.hazmat\.primitives\.ciphers\.modes\.(CBC|CFB|CFB8|OFB|CTR|GCM|XTS)$/;
const CRYPTOGRAPHY_AEAD_ENCRYPT = /^(AESGCM|AESCCM|ChaCha20Poly1305|AESOCB3|AESSIV|AESGCMSIV)$/;
const PYCRYPTO_NEW = /^(Crypto|Cryptodome)\.Cipher\.[A-Za-z0-9_]+\.new$/;

export const staticIv: PatternRule = {
  meta: {
    id: 'py/static-iv',
    name: 'Constant initialization vector or nonce',
    cwes: [329, 1204],
    severity: 'high',
    securitySeverity: 7.4,
    precision: 'high',
    kind: 'pattern',
    languages: ['python'],
    tags: ['crypto'],
    docs: {
      summary: 'A literal IV or nonce passed to a cipher mode.',
      what:
        'Finds `cryptography` `modes.CBC/CFB/OFB/CTR/GCM(iv)` and pycryptodome `*.new(key, mode, iv=...)`/`nonce=...` where the IV ' +
        'or nonce is a fixed byte string: a literal, `"...".encode()`, `bytes(16)`, `b"\\0" * 16`, or a module constant. CBC IVs report ' +
        'CWE-329; nonces of stream and AEAD modes CWE-1204.',
      why:
        'A fixed CBC IV makes equal plaintext prefixes produce equal ciphertext and enables chosen-plaintext attacks; a repeated ' +
        'CTR/GCM nonce under the same key leaks the XOR of plaintexts and, for GCM, lets attackers forge messages.',
      example: 'IV = b"0123456789abcdef"\ncipher = Cipher(algorithms.AES(key), modes.CBC(IV))',
      fix: 'iv = os.urandom(16)  # new for every message, sent alongside the ciphertext\ncipher = Cipher(algorithms.AES(key), modes.CBC(iv))',
    },
  },
  check(ctx) {
    // `AESGCM(key).encrypt(...)` has no callee name: found by its method name.
    callsWhere(ctx, (callee) => CRYPTOGRAPHY_MODE.test(callee) || PYCRYPTO_NEW.test(callee), ['encrypt']).forEach(({ node }) => {
      const callee = calleeName(ctx, node) ?? '';
      const mode = CRYPTOGRAPHY_MODE.exec(callee);
      if (mode) {
        const iv = argument(node, mode[1] === 'CTR' ? 'nonce' : mode[1] === 'XTS' ? 'tweak' : 'initialization_vector', 0);
        if (iv && isConstantBytes(ctx, iv)) report(ctx, node, iv, mode[1]);
        return;
      }
      if (PYCRYPTO_NEW.test(callee)) {
        const modeArg = argument(node, 'mode', 1);
        const modeName = modeArg ? (qname(ctx, modeArg) ?? '').replace(/^.*MODE_/, '') : '';
        const iv = keywordArg(node, 'iv') ?? keywordArg(node, 'IV') ?? keywordArg(node, 'nonce') ?? argument(node, 'iv', 2);
        if (iv && isConstantBytes(ctx, iv)) report(ctx, node, iv, modeName || 'the cipher');
        return;
      }
      // AESGCM(key).encrypt(b"fixed nonce", data, aad)
      if (node.fn.k === 'attr' && node.fn.name === 'encrypt' && node.fn.obj.k === 'call') {
        const cls = (calleeName(ctx, node.fn.obj) ?? '').split('.').pop() ?? '';
        const nonce = argument(node, 'nonce', 0);
        if (CRYPTOGRAPHY_AEAD_ENCRYPT.test(cls) && cls !== 'AESSIV' && nonce && isConstantBytes(ctx, nonce)) report(ctx, node, nonce, cls);
      }
    });
  },
};

function report(ctx: RuleContext, call: CallExpr, iv: Expr, mode: string): void {
  const cbc = mode === 'CBC';
  ctx.report({
    span: call.span,
    message: cbc
      ? `\`${code(ctx, call)}\` uses the constant IV \`${code(ctx, iv, 40)}\`: with CBC, equal plaintexts encrypt alike and the IV is predictable to an attacker.`
      : `\`${code(ctx, call)}\` uses the constant ${mode === 'the cipher' ? 'IV/nonce' : 'nonce'} \`${code(ctx, iv, 40)}\`${mode === 'the cipher' ? '' : ` with ${mode}`}: reusing a nonce under the same key exposes plaintext${/GCM|ChaCha|CCM|OCB/.test(mode) ? ' and allows forgeries' : ''}.`,
    fix: `Generate a fresh random ${cbc ? 'IV with `os.urandom(16)`' : 'nonce (`os.urandom(12)` for GCM)'} for every encryption and store it next to the ciphertext.`,
    confidence: 'high',
    cwes: cbc ? [329, 1204] : [1204],
  });
}
