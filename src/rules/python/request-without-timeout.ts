/** py/request-without-timeout: requests calls that can hang forever. */
import type { PatternRule } from '../types.js';
import { code } from './util/ir.js';
import { callsWhere } from './util/calls.js';
import { hasKeyword, hasKwargsSpread } from './util/call-args.js';

const REQUESTS_CALLS = /^requests\.(get|post|put|patch|delete|head|options|request)$/;

export const requestWithoutTimeout: PatternRule = {
  meta: {
    id: 'py/request-without-timeout',
    name: 'HTTP request without a timeout',
    cwes: [400],
    severity: 'low',
    securitySeverity: 3.7,
    precision: 'high',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B113'],
    tags: ['network', 'hardening'],
    docs: {
      summary: '`requests` calls without `timeout=` (a hardening note).',
      what: 'Finds `requests.get/post/put/patch/delete/head/options/request(...)` without a `timeout=` argument or `**kwargs`. Test files are skipped.',
      why:
        '`requests` waits forever by default. A slow or malicious server can hold the calling thread or worker indefinitely; ' +
        'enough such calls exhaust the worker pool and take the service down.',
      example: 'resp = requests.get(url)',
      fix: 'resp = requests.get(url, timeout=(3.05, 30))',
    },
  },
  check(ctx) {
    if (ctx.isTestFile) return;
    callsWhere(ctx, (callee) => REQUESTS_CALLS.test(callee)).forEach(({ node }) => {
      if (hasKeyword(node, 'timeout') || hasKwargsSpread(node)) return;
      ctx.report({
        span: node.span,
        message: `\`${code(ctx, node)}\` has no \`timeout\`: if the server stops responding, this call blocks the worker forever.`,
        fix: 'Pass `timeout=` (seconds, or a `(connect, read)` tuple), e.g. `timeout=10`.',
        confidence: 'low',
      });
    });
  },
};
