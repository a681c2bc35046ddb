/** py/csrf-protection-disabled: views exempted from CSRF checks, and CSRF protection switched off. */
import type { PatternRule } from '../types.js';
import { calleeName, code, isFalseConst, qname } from './util/ir.js';
import { forEachSetting, isDevConfigClass, isDevSettingsFile, isSettingsContext } from './util/settings.js';

const EXEMPT = /(^|\.)csrf_exempt$/;
const SETTINGS_OFF = new Set(['WTF_CSRF_ENABLED', 'CSRF_ENABLED', 'WTF_CSRF_CHECK_DEFAULT']);

export const csrfProtectionDisabled: PatternRule = {
  meta: {
    id: 'py/csrf-protection-disabled',
    name: 'CSRF protection disabled',
    cwes: [352],
    severity: 'medium',
    securitySeverity: 6.5,
    precision: 'medium',
    kind: 'pattern',
    languages: ['python'],
    tags: ['csrf', 'flask', 'django'],
    docs: {
      summary: '`@csrf_exempt` views, `csrf.exempt(...)`, and `WTF_CSRF_ENABLED = False`.',
      what:
        'Finds Django `@csrf_exempt`, Flask-WTF `@csrf.exempt` and `csrf.exempt(view_or_blueprint)`, and settings that switch CSRF ' +
        'checks off (`WTF_CSRF_ENABLED = False`, `WTF_CSRF_CHECK_DEFAULT = False`). Test files and `Test*` config classes are skipped.',
      why:
        'A state-changing endpoint without CSRF protection can be triggered by any web page the victim visits: the browser attaches ' +
        'the session cookie, so the request runs with the victim\'s rights (change e-mail, transfer, delete).',
      example: '@csrf_exempt\ndef update_email(request):\n    request.user.email = request.POST["email"]\n    request.user.save()',
      fix: 'def update_email(request):  # CSRF middleware enforced; send the token from the form\n    ...',
    },
  },
  check(ctx) {
    if (ctx.isTestFile) return;
    ctx.visitsOf('funcdef', 'classdef', 'call').forEach(({ node }) => {
      if (node.k === 'funcdef' || node.k === 'classdef') {
        const decorators = node.k === 'funcdef' ? node.fn.decorators : node.cls.decorators;
        const name = node.k === 'funcdef' ? node.fn.name : node.cls.name;
        for (const d of decorators) {
          const target = d.k === 'call' ? d.fn : d;
          const dn = qname(ctx, target) ?? '';
          if (EXEMPT.test(dn) || /(^|\.)csrf\.exempt$/.test(dn)) {
            ctx.report({
              span: d.span,
              message: `\`@${code(ctx, d)}\` removes CSRF protection from \`${name}\`: any site the user visits can submit requests to it with the user's session.`,
              fix: 'Remove the exemption and send the CSRF token with the request; for a token-authenticated API (no cookies), authenticate with a header and document why the exemption is safe.',
              confidence: 'medium',
            });
          }
        }
      } else if (node.k === 'call' && /(^|\.)csrf\.exempt$/.test(calleeName(ctx, node) ?? '') && node.args.length > 0) {
        ctx.report({
          span: node.span,
          message: `\`${code(ctx, node)}\` exempts \`${code(ctx, node.args[0].value, 40)}\` from CSRF protection.`,
          fix: 'Keep CSRF protection on and send the token; exempt only endpoints that do not use cookie authentication.',
          confidence: 'medium',
        });
      }
    });
    const devFile = isDevSettingsFile(ctx.module.file);
    forEachSetting(ctx, (s) => {
      if (!SETTINGS_OFF.has(s.name) || !isFalseConst(ctx, s.value) || !isSettingsContext(ctx.module.file, s)) return;
      if (isDevConfigClass(s.scope.className) && /test/i.test(s.scope.className ?? '')) return;
      ctx.report({
        span: s.span,
        message: `\`${s.name} = False\` switches off CSRF checks for every form: cross-site pages can submit them with the user's session.`,
        fix: `Remove \`${s.name} = False\` (keep it only in the test configuration).`,
        confidence: devFile || isDevConfigClass(s.scope.className) ? 'low' : 'medium',
      });
    });
  },
};
