/**
 * py/cors-wildcard-credentials: CORS that lets any origin make credentialed requests —
 * flask-cors, Starlette/FastAPI CORSMiddleware, django-cors-headers settings, and hand-written
 * `Access-Control-Allow-Origin` headers (wildcard or the request's Origin echoed back) together
 * with `Access-Control-Allow-Credentials: true`.
 */
import type { Expr, Span } from '../../ir/types.js';
import type { PatternRule, RuleContext } from '../types.js';
import { calleeName, code, constString, isTrueConst, methodName, qname, type CallExpr } from './util/ir.js';
import { keywordArg } from './util/call-args.js';
import { namesRead } from './util/sensitive-exprs.js';
import { forEachSetting } from './util/settings.js';
import { callsWhere } from './util/calls.js';

function isAnyOrigin(ctx: RuleContext, e: Expr | undefined): boolean {
  if (!e) return false;
  const s = constString(ctx, e);
  if (s !== undefined) return s === '*' || s === '.*' || s === '^.*$' || s === 'null';
  if (e.k === 'list' || e.k === 'tuple' || e.k === 'set') return e.elts.some((x) => isAnyOrigin(ctx, x));
  return false;
}

/** `request.headers.get("Origin")`, `request.headers["Origin"]`, `request.META["HTTP_ORIGIN"]`. */
function echoesOrigin(ctx: RuleContext, e: Expr): boolean {
  const names = namesRead(e).map((n) => n.toLowerCase());
  return names.includes('request') && (names.includes('origin') || names.includes('http_origin'));
}

const FLASK_CORS = /^flask_cors\.(CORS|cross_origin)$/;
const MIDDLEWARE = /(^|\.)Middleware$/;
const STARLETTE_CORS = /^(starlette\.middleware\.cors|fastapi\.middleware\.cors)\.CORSMiddleware$/;

export const corsWildcardCredentials: PatternRule = {
  meta: {
    id: 'py/cors-wildcard-credentials',
    name: 'CORS allows any origin with credentials',
    cwes: [942],
    severity: 'high',
    securitySeverity: 7.5,
    precision: 'high',
    kind: 'pattern',
    languages: ['python'],
    tags: ['cors'],
    docs: {
      summary: 'Any origin may make credentialed cross-origin requests.',
      what:
        'Finds flask-cors `CORS(...)`/`@cross_origin(...)` with `supports_credentials=True` and origins `"*"` (the default) in `origins=` or ' +
        '`resources=`; `CORSMiddleware` with `allow_credentials=True` and `allow_origins=["*"]`/`allow_origin_regex=".*"`; django-cors-headers ' +
        '`CORS_ALLOW_ALL_ORIGINS = True` with `CORS_ALLOW_CREDENTIALS = True`; and responses setting `Access-Control-Allow-Origin` to `*` or ' +
        'to the request\'s Origin together with `Access-Control-Allow-Credentials: true`.',
      why:
        'These libraries answer a wildcard with the caller\'s own origin when credentials are allowed, so any website the user visits ' +
        'can read authenticated API responses (profile data, tokens) with the user\'s cookies.',
      example: 'CORS(app, supports_credentials=True)',
      fix: 'CORS(app, origins=["https://app.example.com"], supports_credentials=True)',
    },
  },
  check(ctx) {
    for (const { node } of callsWhere(ctx, (callee) => FLASK_CORS.test(callee) || MIDDLEWARE.test(callee), ['add_middleware'])) checkCall(ctx, node);
    checkDjangoSettings(ctx);
    checkHeaders(ctx);
  },
};

function report(ctx: RuleContext, span: Span, message: string): void {
  ctx.report({
    span,
    message,
    fix: 'Allow an explicit list of trusted origins (from configuration) when credentials are enabled; never `*` or the echoed Origin.',
    confidence: 'high',
  });
}

function checkCall(ctx: RuleContext, call: CallExpr): void {
  const callee = calleeName(ctx, call) ?? '';
  if (FLASK_CORS.test(callee)) {
    const creds = keywordArg(call, 'supports_credentials');
    if (!creds || !isTrueConst(ctx, creds)) return;
    const origins = keywordArg(call, 'origins');
    const resources = keywordArg(call, 'resources');
    const topAny = !origins || isAnyOrigin(ctx, origins);
    let any = topAny && !resources;
    if (resources?.k === 'dict') {
      any = resources.values.some((opts) => {
        if (opts.k !== 'dict') return topAny;
        const i = opts.keys.findIndex((k) => k !== null && constString(ctx, k) === 'origins');
        return i < 0 ? topAny : isAnyOrigin(ctx, opts.values[i]);
      });
    } else if (resources) {
      any = topAny;
    }
    if (any) report(ctx, call.span, `\`${code(ctx, call)}\` allows credentials for ${origins ? `origins \`${code(ctx, origins, 30)}\`` : 'every origin (the default is `"*"`)'}: flask-cors then echoes any requesting origin, so every website can read authenticated responses.`);
    return;
  }
  // app.add_middleware(CORSMiddleware, ...) / Middleware(CORSMiddleware, ...)
  const first = call.args[0]?.value;
  if (first && (methodName(call) === 'add_middleware' || MIDDLEWARE.test(callee)) && STARLETTE_CORS.test(qname(ctx, first) ?? '')) {
    const creds = keywordArg(call, 'allow_credentials');
    if (!creds || !isTrueConst(ctx, creds)) return;
    const origins = keywordArg(call, 'allow_origins');
    const regex = keywordArg(call, 'allow_origin_regex');
    if (isAnyOrigin(ctx, origins) || isAnyOrigin(ctx, regex)) {
      report(ctx, call.span, `\`${code(ctx, call)}\` combines \`allow_credentials=True\` with a wildcard origin: the middleware answers with the caller's origin, so any website can make authenticated requests and read the responses.`);
    }
  }
}

function checkDjangoSettings(ctx: RuleContext): void {
  let allowAll: Span | undefined;
  let credentials = false;
  forEachSetting(ctx, (s) => {
    if ((s.name === 'CORS_ALLOW_ALL_ORIGINS' || s.name === 'CORS_ORIGIN_ALLOW_ALL') && isTrueConst(ctx, s.value)) allowAll = s.span;
    if (s.name === 'CORS_ALLOW_CREDENTIALS' && isTrueConst(ctx, s.value)) credentials = true;
  });
  if (allowAll && credentials) {
    report(ctx, allowAll, '`CORS_ALLOW_ALL_ORIGINS = True` with `CORS_ALLOW_CREDENTIALS = True`: django-cors-headers reflects every origin, so any website can read authenticated responses.');
  }
}

const HEADER_SETTERS = new Set(['add', 'set', 'add_header', 'setdefault', '__setitem__']);

/** Hand-written headers, grouped by enclosing function. */
function checkHeaders(ctx: RuleContext): void {
  const perScope = new Map<string, { origin?: { span: Span; how: string }; credentials: boolean }>();
  const header = (scope: string, name: string | undefined, value: Expr, span: Span) => {
    if (!name) return;
    const entry = perScope.get(scope) ?? { credentials: false };
    perScope.set(scope, entry);
    const lower = name.toLowerCase();
    if (lower === 'access-control-allow-origin') {
      if (isAnyOrigin(ctx, value)) entry.origin ??= { span, how: '`*`' };
      else if (echoesOrigin(ctx, value)) entry.origin ??= { span, how: `the request's own Origin (\`${code(ctx, value, 40)}\`)` };
    } else if (lower === 'access-control-allow-credentials') {
      const v = ctx.constValue(value);
      if (v === true || (typeof v === 'string' && v.toLowerCase() === 'true')) entry.credentials = true;
    }
  };
  ctx.visitsOf('assign', 'call', 'dict').forEach(({ node, scope }) => {
    if (node.k === 'assign') {
      for (const t of node.targets) if (t.k === 'index') header(scope.qualname, constString(ctx, t.index), node.value, node.span);
    } else if (node.k === 'call' && HEADER_SETTERS.has(methodName(node) ?? '') && node.args.length >= 2) {
      header(scope.qualname, constString(ctx, node.args[0].value), node.args[1].value, node.span);
    } else if (node.k === 'dict') {
      node.keys.forEach((k, i) => header(scope.qualname, k ? constString(ctx, k) : undefined, node.values[i], node.values[i].span));
    }
  });
  for (const entry of perScope.values()) {
    if (entry.origin && entry.credentials) {
      if (entry.origin.how === '`*`') {
        ctx.report({
          span: entry.origin.span,
          message: '`Access-Control-Allow-Origin: *` is sent with `Access-Control-Allow-Credentials: true`: the policy declares every origin trusted for credentialed requests (browsers refuse this exact pair; echoing the Origin to "fix" it exposes authenticated responses to every site).',
          fix: 'Send `Access-Control-Allow-Origin` only for origins in an explicit allow-list, and `Vary: Origin`.',
          confidence: 'medium',
        });
      } else {
        report(ctx, entry.origin.span, `\`Access-Control-Allow-Origin\` is set to ${entry.origin.how} while \`Access-Control-Allow-Credentials\` is \`true\`: any website can make requests with the user's cookies and read the responses.`);
      }
    }
  }
}
