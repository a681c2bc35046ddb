/** py/bind-all-interfaces: servers listening on 0.0.0.0 / :: / "" (every network interface). */
import type { Expr } from '../../ir/types.js';
import type { PatternRule, RuleContext } from '../types.js';
import { calleeName, code, constString, methodName, type CallExpr } from './util/ir.js';
import { callsWhere } from './util/calls.js';
import { argument, keywordArg } from './util/call-args.js';

const ALL_INTERFACES = new Set(['0.0.0.0', '::', '']);
/** Callables whose first argument is a (host, port) address. */
const ADDRESS_TAKERS = /(^|\.)(bind|HTTPServer|ThreadingHTTPServer|TCPServer|ThreadingTCPServer|UDPServer|make_server|WSGIServer|create_server)$/;
/** Callables taking `host=`. */
const HOST_TAKERS = /(^|\.)(run|run_simple|serve|create_server|start_server|listen)$/;

function wildcard(ctx: RuleContext, e: Expr | undefined): string | undefined {
  if (!e) return undefined;
  const s = constString(ctx, e);
  return s !== undefined && ALL_INTERFACES.has(s.trim()) ? s : undefined;
}

export const bindAllInterfaces: PatternRule = {
  meta: {
    id: 'py/bind-all-interfaces',
    name: 'Server bound to all network interfaces',
    cwes: [1327],
    severity: 'medium',
    securitySeverity: 5.3,
    precision: 'medium',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B104'],
    tags: ['network', 'hardening'],
    docs: {
      summary: 'Sockets and dev servers listening on 0.0.0.0 (a hardening note).',
      what:
        'Finds `app.run(host="0.0.0.0")`, `uvicorn.run(..., host="0.0.0.0")`, `sock.bind(("0.0.0.0", port))`, `sock.bind(("", port))` ' +
        'and `HTTPServer(("0.0.0.0", port), ...)`, including hosts held in module constants. Low confidence: containers ' +
        'legitimately listen on all interfaces. Test files are skipped.',
      why:
        'A service bound to every interface is reachable from every network the host is on — including ones the developer did not ' +
        'think of — so a debug server or an unauthenticated admin port meant for localhost becomes remotely reachable.',
      example: 'app.run(host="0.0.0.0", port=5000)',
      fix: 'app.run(host=os.environ.get("BIND_HOST", "127.0.0.1"), port=5000)',
    },
  },
  check(ctx) {
    if (ctx.isTestFile) return;
    // Calls without a callee name are matched by method name below.
    callsWhere(ctx, (callee) => callee === '' || ADDRESS_TAKERS.test(callee) || HOST_TAKERS.test(callee)).forEach(({ node }) => {
      const callee = calleeName(ctx, node) ?? methodName(node) ?? '';
      if (ADDRESS_TAKERS.test(callee)) {
        const addr = argument(node, 'server_address', 0) ?? argument(node, 'address', 0);
        const host = addr && addr.k === 'tuple' ? wildcard(ctx, addr.elts[0]) : undefined;
        if (host !== undefined) return report(ctx, node, host);
      }
      if (HOST_TAKERS.test(callee)) {
        const host = wildcard(ctx, keywordArg(node, 'host'));
        if (host !== undefined && host !== '') return report(ctx, node, host);
      }
    });
  },
};

function report(ctx: RuleContext, call: CallExpr, host: string): void {
  ctx.report({
    span: call.span,
    message: `\`${code(ctx, call)}\` listens on ${host === '' ? '`""` (all interfaces)' : `\`${host}\``}: the service is reachable from every network this host is attached to.`,
    fix: 'Bind to `127.0.0.1` (or the one interface that should serve), and make the address configurable for deployments that need more.',
    confidence: 'low',
  });
}
