/**
 * py/exception-exposure: exception text or stack traces sent back in HTTP responses from Flask,
 * FastAPI and Django views. Logging them is fine and not reported.
 */
import type { Expr, Stmt } from '../../ir/types.js';
import type { PatternRule, RuleContext } from '../types.js';
import { calleeName, code, methodName, qname, statementsIn, subtree, type FuncDefStmt } from './util/ir.js';

const ROUTE_DECORATOR = /(^|\.)(route|get|post|put|patch|delete|api_view|view_config|websocket)$/;
const ERROR_HANDLER = /(^|\.)(errorhandler|app_errorhandler|exception_handler|register_error_handler)$/;
const TRACEBACK_TEXT = /^traceback\.(format_exc|format_exception|format_tb|format_stack|print_exc)$/;
const RESPONSE_CALLS = /(^|\.)(abort|make_response|HTTPException)$/;

/** The names in a view that hold a caught exception. */
function exceptionNames(fn: FuncDefStmt['fn'], ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  for (const s of statementsIn(fn.body)) if (s.k === 'try') for (const h of s.handlers) if (h.name) names.add(h.name);
  // @app.errorhandler(Exception) / (500): the parameter is the exception.
  for (const d of fn.decorators) {
    if (d.k !== 'call' || !ERROR_HANDLER.test(qname(ctx, d.fn) ?? '')) continue;
    const handled = d.args[0]?.value;
    const handledName = handled ? (qname(ctx, handled) ?? String(ctx.constValue(handled))) : '';
    if (/(^|\.)(Exception|BaseException|InternalServerError|HTTPException)$|^500$/.test(handledName) && fn.params[0]) names.add(fn.params[0].name);
  }
  return names;
}

function isView(ctx: RuleContext, fn: FuncDefStmt['fn']): boolean {
  if (fn.decorators.some((d) => ROUTE_DECORATOR.test(qname(ctx, d.k === 'call' ? d.fn : d) ?? '') || ERROR_HANDLER.test(qname(ctx, d.k === 'call' ? d.fn : d) ?? ''))) return true;
  return fn.params[0]?.name === 'request' || (fn.params[0]?.name === 'self' && fn.params[1]?.name === 'request');
}

/** The sub-expression that carries exception details, if any. */
function exceptionText(ctx: RuleContext, e: Expr, names: Set<string>): Expr | undefined {
  for (const x of subtree(e)) {
    if (x.k === 'call') {
      const callee = calleeName(ctx, x) ?? '';
      if (TRACEBACK_TEXT.test(callee)) return x;
      if ((callee === 'str' || callee === 'repr') && x.args[0]?.value.k === 'name' && names.has(x.args[0].value.id)) return x;
    }
    if (x.k === 'attr' && x.obj.k === 'name' && names.has(x.obj.id) && (x.name === 'args' || x.name === 'message' || x.name === 'strerror')) return x;
    if (x.k === 'template' && x.parts.some((p) => p.k === 'name' && names.has(p.id))) return x;
  }
  return undefined;
}

export const exceptionExposure: PatternRule = {
  meta: {
    id: 'py/exception-exposure',
    name: 'Exception details returned to the client',
    cwes: [209],
    severity: 'medium',
    securitySeverity: 5.3,
    precision: 'high',
    kind: 'pattern',
    languages: ['python'],
    tags: ['flask', 'django', 'fastapi', 'information-disclosure'],
    docs: {
      summary: '`str(e)`, `repr(e)`, `e.args` or `traceback.format_exc()` in an HTTP response.',
      what:
        'In Flask/FastAPI route functions, Django views (first parameter `request`) and error handlers for `Exception`/500, finds ' +
        '`return`, `raise HTTPException(...)`, `abort(...)` and `make_response(...)` whose value contains the text of a caught exception ' +
        'or a formatted traceback.',
      why:
        'Exception messages and tracebacks reveal file paths, library versions, SQL statements, internal host names and sometimes ' +
        'data or credentials: reconnaissance for an attacker, and occasionally a leak by itself.',
      example: '@app.route("/orders/<int:id>")\ndef order(id):\n    try:\n        return jsonify(load(id))\n    except Exception as e:\n        return jsonify(error=str(e)), 500',
      fix: '@app.route("/orders/<int:id>")\ndef order(id):\n    try:\n        return jsonify(load(id))\n    except Exception:\n        app.logger.exception("loading order %s failed", id)\n        return jsonify(error="internal error"), 500',
    },
  },
  check(ctx) {
    ctx.visitsOf('funcdef').forEach(({ node }) => {
      if (!isView(ctx, node.fn)) return;
      const names = exceptionNames(node.fn, ctx);
      for (const s of statementsIn(node.fn.body)) {
        const value = responseValue(ctx, s);
        if (!value) continue;
        const leak = exceptionText(ctx, value, names);
        if (!leak) continue;
        ctx.report({
          span: s.span,
          message: `\`${code(ctx, leak, 40)}\` is sent to the client by \`${node.fn.name}\`: exception text and tracebacks disclose internals (paths, queries, versions) to whoever triggers the error.`,
          fix: 'Log the exception server-side (`logger.exception(...)`) and return a generic message, optionally with a correlation id.',
          confidence: 'medium',
        });
      }
    });
  },
};

function responseValue(ctx: RuleContext, s: Stmt): Expr | undefined {
  if (s.k === 'return') return s.value;
  if (s.k === 'raise' && s.exc?.k === 'call' && RESPONSE_CALLS.test(calleeName(ctx, s.exc) ?? '')) return s.exc;
  if (s.k === 'expr' && s.value.k === 'call' && RESPONSE_CALLS.test(calleeName(ctx, s.value) ?? methodName(s.value) ?? '')) return s.value;
  return undefined;
}
