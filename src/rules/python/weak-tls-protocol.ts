/** py/weak-tls-protocol: SSL 2/3 and TLS 1.0/1.1 selected in ssl or pyOpenSSL. */
import type { Expr } from '../../ir/types.js';
import type { PatternRule } from '../types.js';
import { code, parentMap, qname } from './util/ir.js';

const OLD_PROTOCOL = /^(ssl\.PROTOCOL_(SSLv2|SSLv3|TLSv1|TLSv1_1)|OpenSSL\.SSL\.(SSLv2|SSLv3|TLSv1|TLSv1_1)_METHOD)$/;
/** Last segments of the names OLD_PROTOCOL matches: other attributes need no name resolution. */
const OLD_PROTOCOL_LAST = /^(PROTOCOL_(SSLv2|SSLv3|TLSv1|TLSv1_1)|(SSLv2|SSLv3|TLSv1|TLSv1_1)_METHOD)$/;
const OLD_VERSION = /^ssl\.TLSVersion\.(SSLv3|TLSv1|TLSv1_1)$/;

export const weakTlsProtocol: PatternRule = {
  meta: {
    id: 'py/weak-tls-protocol',
    name: 'Obsolete SSL/TLS protocol version',
    cwes: [327],
    severity: 'high',
    securitySeverity: 7.4,
    precision: 'very-high',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B502', 'B503', 'B504'],
    tags: ['tls'],
    docs: {
      summary: 'SSLv2, SSLv3, TLS 1.0 or TLS 1.1 chosen as protocol or minimum version.',
      what:
        'Finds uses of `ssl.PROTOCOL_SSLv2/SSLv3/TLSv1/TLSv1_1` and pyOpenSSL `SSL.SSLv3_METHOD`/`TLSv1_METHOD`/`TLSv1_1_METHOD` ' +
        '(not in comparisons), and `minimum_version`/`maximum_version` set to `TLSVersion.SSLv3/TLSv1/TLSv1_1`.',
      why: 'These versions have practical attacks (POODLE, BEAST, weak MAC and key exchange) and were formally deprecated by RFC 8996.',
      example: 'ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)',
      fix: 'ctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1_2',
    },
  },
  check(ctx) {
    // Most modules have neither an old protocol constant nor a version assignment.
    const versionTarget = (t: Expr): boolean => t.k === 'attr' && (t.name === 'minimum_version' || t.name === 'maximum_version');
    if (!ctx.nodesOf('attr').some((a) => OLD_PROTOCOL_LAST.test(a.name)) && !ctx.nodesOf('assign').some((s) => s.targets.some(versionTarget))) return;
    ctx.visitsOf('attr', 'assign').forEach(({ node }) => {
      if (node.k === 'attr') {
        if (!OLD_PROTOCOL_LAST.test(node.name)) return;
        const name = qname(ctx, node) ?? '';
        const m = OLD_PROTOCOL.exec(name);
        if (!m) return;
        const parent = parentMap(ctx).get(node);
        if (parent?.k === 'compare' || parent?.k === 'attr') return;
        report(node, `\`${code(ctx, node)}\` selects ${m[2] ?? m[3]}, an obsolete protocol version with known attacks.`);
      } else if (node.k === 'assign') {
        for (const t of node.targets) {
          if (t.k === 'attr' && (t.name === 'minimum_version' || t.name === 'maximum_version')) {
            const m = OLD_VERSION.exec(qname(ctx, node.value) ?? '');
            if (m) report(node, `\`${code(ctx, t)} = ${code(ctx, node.value)}\` allows ${m[1]}, an obsolete protocol version with known attacks.`);
          }
        }
      }
    });
    function report(at: Expr | { span: Expr['span'] }, message: string): void {
      ctx.report({
        span: at.span,
        message,
        fix: 'Use `ssl.create_default_context()` (or `ssl.PROTOCOL_TLS_CLIENT`/`PROTOCOL_TLS_SERVER`) and set `minimum_version = ssl.TLSVersion.TLSv1_2`.',
        confidence: 'high',
      });
    }
  },
};
