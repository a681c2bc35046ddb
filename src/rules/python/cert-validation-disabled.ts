/**
 * py/cert-validation-disabled: TLS certificate or host-name checks switched off in requests,
 * httpx, aiohttp, urllib3 and the ssl module.
 */
import type { Expr } from '../../ir/types.js';
import type { Confidence } from '../../core/finding.js';
import type { PatternRule, RuleContext } from '../types.js';
import { calleeName, code, constString, dottedName, isFalseConst, methodName, qname, receiver, type CallExpr } from './util/ir.js';
import { keywordArg } from './util/call-args.js';

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'send', 'stream']);
const CLIENT_CLASSES = /^(requests\.(Session|session)|httpx\.(Client|AsyncClient)|aiohttp\.TCPConnector)$/;

export const certValidationDisabled: PatternRule = {
  meta: {
    id: 'py/cert-validation-disabled',
    name: 'TLS certificate validation disabled',
    cwes: [295],
    severity: 'high',
    securitySeverity: 7.4,
    precision: 'high',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B501', 'B323'],
    tags: ['tls'],
    docs: {
      summary: 'HTTPS requests or TLS contexts that accept any certificate or any host name.',
      what:
        'Finds `verify=False` on requests/httpx calls, sessions and clients (and `session.verify = False`), aiohttp `ssl=False`/`verify_ssl=False`, ' +
        '`ssl._create_unverified_context()`, `ssl.CERT_NONE` assigned to `verify_mode` or passed as `cert_reqs`, and ' +
        '`check_hostname = False`. `urllib3.disable_warnings()` is a low-confidence note: it hides the warning that unverified requests exist.',
      why:
        'Without certificate validation, anyone on the network path (public Wi-Fi, a compromised router, a proxy) can present ' +
        'their own certificate, read the traffic including credentials, and modify responses.',
      example: 'resp = requests.get(url, verify=False)',
      fix: 'resp = requests.get(url, timeout=10)  # verification on by default\n# private CA: requests.get(url, verify="/etc/ssl/internal-ca.pem")',
    },
  },
  check(ctx) {
    ctx.visitsOf('call', 'assign').forEach(({ node }) => {
      if (node.k === 'call') return checkCall(ctx, node);
      if (node.k !== 'assign') return;
      for (const t of node.targets) {
        if (t.k !== 'attr') continue;
        const v = node.value;
        if (t.name === 'verify_mode' && isCertNone(ctx, v)) {
          report(ctx, node.span, `\`${code(ctx, t)} = ${code(ctx, v)}\` makes the TLS context accept any certificate, so any machine on the path can impersonate the server.`, 'high');
        } else if (t.name === 'check_hostname' && isFalseConst(ctx, v)) {
          ctx.report({
            span: node.span,
            message: `\`${code(ctx, t)} = False\` disables host-name checking: a valid certificate for any other site is accepted for this connection.`,
            fix: 'Keep `check_hostname = True` (the default of `ssl.create_default_context()`); for a private CA, load it with `load_verify_locations()`.',
            confidence: 'high',
            cwes: [297, 295],
          });
        } else if (t.name === 'verify' && isFalseConst(ctx, v) && /session|client/i.test(dottedName(t.obj) ?? '')) {
          report(ctx, node.span, `\`${code(ctx, t)} = False\` turns off certificate verification for every request made through this session.`, 'high');
        } else if (t.name === '_create_default_https_context' && /(^|\.)_create_unverified_context$/.test(qname(ctx, v) ?? '')) {
          report(ctx, node.span, `\`${code(ctx, t)}\` is replaced by \`_create_unverified_context\`: every HTTPS connection of the process (urllib, http.client) stops verifying certificates.`, 'high');
        }
      }
    });
  },
};

function isCertNone(ctx: RuleContext, e: Expr): boolean {
  return /(^|\.)CERT_NONE$/.test(qname(ctx, e) ?? '') || constString(ctx, e) === 'CERT_NONE';
}

function checkCall(ctx: RuleContext, call: CallExpr): void {
  const callee = calleeName(ctx, call) ?? '';
  if (/^ssl\._create_unverified_context$/.test(callee)) {
    return report(ctx, call.span, `\`${code(ctx, call)}\` creates a TLS context that verifies neither the certificate nor the host name.`, 'high');
  }
  if (/^(urllib3|requests\.packages\.urllib3)\.disable_warnings$/.test(callee)) {
    return ctx.report({
      span: call.span,
      message: `\`${code(ctx, call)}\` silences urllib3's InsecureRequestWarning: requests made without certificate verification will no longer show up in logs.`,
      fix: 'Fix the unverified requests instead of hiding the warning (use a CA bundle via `verify=`).',
      confidence: 'low',
    });
  }
  const certReqs = keywordArg(call, 'cert_reqs');
  if (certReqs && isCertNone(ctx, certReqs)) {
    return report(ctx, call.span, `\`${code(ctx, call)}\` passes \`cert_reqs=${code(ctx, certReqs)}\`: the peer certificate is not checked.`, 'high');
  }
  const verify = keywordArg(call, 'verify') ?? keywordArg(call, 'verify_ssl');
  const sslArg = keywordArg(call, 'ssl');
  const off = (verify && verify.k === 'const' && verify.value === false) || (sslArg && sslArg.k === 'const' && sslArg.value === false);
  if (!off || /(^|\.)jwt\./.test(callee) || /^jose\./.test(callee)) return;
  const httpish = /^(requests|httpx|aiohttp)\./.test(callee) || CLIENT_CLASSES.test(callee) || (HTTP_METHODS.has(methodName(call) ?? '') && receiver(call) !== undefined);
  if (!httpish) return;
  report(ctx, call.span, `\`${code(ctx, call)}\` disables certificate verification: a man-in-the-middle can read and alter this HTTPS traffic.`, 'high');
}

function report(ctx: RuleContext, span: Expr['span'], message: string, confidence: Confidence): void {
  ctx.report({
    span,
    message,
    fix: 'Leave verification on (the default). For an internal CA, point to its bundle (`verify="/path/ca.pem"`, `ctx.load_verify_locations(...)`) rather than disabling checks.',
    confidence,
  });
}
