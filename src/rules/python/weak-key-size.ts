/** py/weak-key-size: RSA/DSA keys under 2048 bits and elliptic curves under 224 bits. */
import type { Expr } from '../../ir/types.js';
import type { PatternRule, RuleContext } from '../types.js';
import { calleeName, code, constNumber, qname, type CallExpr } from './util/ir.js';
import { callsWhere } from './util/calls.js';
import { argument } from './util/call-args.js';

interface KeyGen {
  pattern: RegExp;
  algorithm: string;
  param: string;
  position: number;
}

const GENERATORS: KeyGen[] = [
  { pattern: /^cryptography\.hazmat\.primitives\.asymmetric\.rsa\.generate_private_key$/, algorithm: 'RSA', param: 'key_size', position: 1 },
  { pattern: /^cryptography\.hazmat\.primitives\.asymmetric\.dsa\.generate_private_key$/, algorithm: 'DSA', param: 'key_size', position: 0 },
  { pattern: /^cryptography\.hazmat\.primitives\.asymmetric\.dh\.generate_parameters$/, algorithm: 'DH', param: 'key_size', position: 1 },
  { pattern: /^(Crypto|Cryptodome)\.PublicKey\.RSA\.generate$/, algorithm: 'RSA', param: 'bits', position: 0 },
  { pattern: /^(Crypto|Cryptodome)\.PublicKey\.DSA\.generate$/, algorithm: 'DSA', param: 'bits', position: 0 },
  { pattern: /^paramiko\.(rsakey\.)?RSAKey\.generate$/, algorithm: 'RSA', param: 'bits', position: 0 },
  { pattern: /^paramiko\.(dsskey\.)?DSSKey\.generate$/, algorithm: 'DSA', param: 'bits', position: 0 },
  { pattern: /^rsa\.newkeys$/, algorithm: 'RSA', param: 'nbits', position: 0 },
];

const WEAK_CURVES = /^cryptography\.hazmat\.primitives\.asymmetric\.ec\.(SECP192R1|SECT163K1|SECT163R2)$/;
const EC_GENERATE = /^cryptography\.hazmat\.primitives\.asymmetric\.ec\.generate_private_key$/;

export const weakKeySize: PatternRule = {
  meta: {
    id: 'py/weak-key-size',
    name: 'Cryptographic key too short',
    cwes: [326],
    severity: 'high',
    securitySeverity: 7.4,
    precision: 'very-high',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B505'],
    tags: ['crypto'],
    docs: {
      summary: 'RSA, DSA or DH keys shorter than 2048 bits, or elliptic curves shorter than 224 bits.',
      what:
        'Finds key generation in `cryptography` (`rsa/dsa.generate_private_key`, `dh.generate_parameters`, ' +
        '`ec.generate_private_key` with SECP192R1/SECT163K1/SECT163R2), pycryptodome `RSA/DSA.generate`, paramiko ' +
        '`RSAKey/DSSKey.generate` and `rsa.newkeys` where the size is a constant below the minimum.',
      why: '1024-bit RSA/DSA/DH and 160–192-bit curves are within reach of well-funded attackers; NIST disallowed them for new keys years ago.',
      example: 'key = rsa.generate_private_key(public_exponent=65537, key_size=1024)',
      fix: 'key = rsa.generate_private_key(public_exponent=65537, key_size=3072)\n# or: ec.generate_private_key(ec.SECP256R1())',
    },
  },
  check(ctx) {
    const isKeyGeneration = (callee: string): boolean => GENERATORS.some((g) => g.pattern.test(callee)) || EC_GENERATE.test(callee);
    callsWhere(ctx, isKeyGeneration).forEach(({ node }) => {
      const callee = calleeName(ctx, node) ?? '';
      for (const g of GENERATORS) {
        if (!g.pattern.test(callee)) continue;
        const size = argument(node, g.param, g.position);
        const bits = size ? constNumber(ctx, size) : undefined;
        if (size && bits !== undefined && bits < 2048) reportSize(ctx, node, size, g.algorithm, bits);
        return;
      }
      if (EC_GENERATE.test(callee)) {
        const curve = argument(node, 'curve', 0);
        const curveName = curve ? qname(ctx, curve.k === 'call' ? curve.fn : curve) : undefined;
        const weak = curveName ? WEAK_CURVES.exec(curveName) : null;
        if (curve && weak) {
          ctx.report({
            span: node.span,
            message: `\`${code(ctx, node)}\` generates a key on ${weak[1]}, a curve below 224 bits (under 112-bit security).`,
            fix: 'Use `ec.SECP256R1()` (or `SECP384R1()`), or Ed25519/X25519.',
            confidence: 'high',
          });
        }
      }
    });
  },
};

function reportSize(ctx: RuleContext, call: CallExpr, size: Expr, algorithm: string, bits: number): void {
  ctx.report({
    span: call.span,
    message: `\`${code(ctx, call)}\` generates a ${bits}-bit ${algorithm} key (\`${code(ctx, size)}\`): below the 2048-bit minimum, it can be factored or broken by a capable attacker.`,
    fix: `Use at least 2048 bits (3072 for keys that must last beyond 2030), or an elliptic-curve key.`,
    confidence: 'high',
    severity: bits < 1024 ? 'critical' : 'high',
  });
}
