/**
 * py/swallowed-exception: `except:` / `except Exception:` / `except BaseException:` whose body
 * does nothing (`pass`, `...`, `continue`) or only prints. Handlers for specific exceptions, and
 * handlers with an explanatory comment, are deliberate and not reported.
 */
import type { Expr, ExceptHandler, Stmt } from '../../ir/types.js';
import type { PatternRule, RuleContext } from '../types.js';
import { code, qname } from './util/ir.js';

const BROAD = new Set(['Exception', 'BaseException', 'builtins.Exception', 'builtins.BaseException']);

function isBroad(ctx: RuleContext, type: Expr | undefined): boolean {
  if (!type) return true;
  if (type.k === 'tuple') return type.elts.some((e) => isBroad(ctx, e));
  return BROAD.has(qname(ctx, type) ?? '');
}

/** `pass`, `continue`, `...` (lowered as a childless unknown), or a bare string/None expression. */
function isNoOp(ctx: RuleContext, s: Stmt): boolean {
  if (s.k === 'pass' || s.k === 'continue') return true;
  if (s.k !== 'expr') return false;
  if (s.value.k === 'const') return s.value.value === null || typeof s.value.value === 'string';
  return s.value.k === 'unknown' && s.value.children.length === 0 && code(ctx, s.value) === '...';
}

function isPrint(ctx: RuleContext, s: Stmt): boolean {
  return s.k === 'expr' && s.value.k === 'call' && qname(ctx, s.value.fn) === 'print';
}

/** A comment inside the handler explains why the error is ignored. */
function hasComment(ctx: RuleContext, h: ExceptHandler): boolean {
  return ctx.module.comments.some((c) => c.line >= h.span.startLine && c.line <= h.span.endLine && !/^\s*(expect|safe|nosec|noqa|type:)/.test(c.text));
}

export const swallowedException: PatternRule = {
  meta: {
    id: 'py/swallowed-exception',
    name: 'Exception silently swallowed',
    cwes: [390, 703],
    severity: 'low',
    securitySeverity: 3.1,
    precision: 'medium',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B110', 'B112'],
    tags: ['error-handling', 'hardening'],
    docs: {
      summary: 'Bare or broad `except` blocks that only `pass`, `continue` or print (a hardening note).',
      what:
        'Finds `except:`, `except Exception:` and `except BaseException:` handlers whose body is only `pass`, `...` or `continue`, or only ' +
        '`print(...)` calls. Handlers that log, re-raise, return, assign, or catch a specific exception are not reported, nor are handlers ' +
        'with a comment explaining the choice, nor test files.',
      why:
        'Silently ignoring every error hides failed security checks, failed writes and attacks in progress: the program carries on in ' +
        'a state nobody intended, and nothing is left in the logs to investigate.',
      example: 'try:\n    audit_log.write(event)\nexcept Exception:\n    pass',
      fix: 'try:\n    audit_log.write(event)\nexcept OSError:\n    LOG.exception("could not write audit event %s", event.id)',
    },
  },
  check(ctx) {
    if (ctx.isTestFile) return;
    ctx.visitsOf('try').forEach(({ node }) => {
      for (const h of node.handlers) {
        if (!isBroad(ctx, h.type) || hasComment(ctx, h) || h.body.length === 0) continue;
        const silent = h.body.every((s) => isNoOp(ctx, s));
        const printsOnly = !silent && h.body.every((s) => isNoOp(ctx, s) || isPrint(ctx, s));
        if (!silent && !printsOnly) continue;
        const caught = h.type ? `\`except ${ctx.line(h.span.startLine).trim().replace(/^except\s+/, '').replace(/:.*$/, '')}\`` : 'A bare `except:`';
        const what = h.body.some((s) => s.k === 'continue') ? 'skips to the next iteration' : printsOnly ? 'only prints to stdout' : 'does nothing';
        ctx.report({
          span: { ...h.span, endLine: h.span.startLine, endColumn: ctx.line(h.span.startLine).length + 1 },
          message: `${h.type ? `The handler ${caught}` : caught} catches every error and ${what}: failures here leave no trace in the logs${h.type ? '' : ' (and it even swallows KeyboardInterrupt and SystemExit)'}.`,
          fix: 'Catch the specific exceptions you expect, and log the rest (`LOG.exception(...)`) or let them propagate; add a comment if ignoring is really intended.',
          confidence: 'low',
        });
      }
    });
  },
};
