/**
 * py/allowed-hosts-wildcard: Django `ALLOWED_HOSTS` accepting any Host header.
 * CWE-183 (Permissive List of Allowed Inputs): ALLOWED_HOSTS is an allow-list and `"*"` makes it
 * admit every value.
 */
import type { PatternRule } from '../types.js';
import { constString } from './util/ir.js';
import { forEachSetting, isDevConfigClass, isDevSettingsFile } from './util/settings.js';

export const allowedHostsWildcard: PatternRule = {
  meta: {
    id: 'py/allowed-hosts-wildcard',
    name: 'Django ALLOWED_HOSTS allows any host',
    cwes: [183],
    severity: 'medium',
    securitySeverity: 5.4,
    precision: 'high',
    kind: 'pattern',
    languages: ['python'],
    tags: ['django', 'configuration'],
    docs: {
      summary: '`ALLOWED_HOSTS = ["*"]` in Django settings.',
      what: 'Finds `ALLOWED_HOSTS` lists or tuples containing `"*"`. Development/test settings files are low confidence; test files are skipped.',
      why:
        'Django builds absolute URLs (password-reset links, redirects, cache keys) from the Host header. Accepting any host lets an ' +
        'attacker get reset e-mails with links to their own domain, or poison caches.',
      example: 'ALLOWED_HOSTS = ["*"]',
      fix: 'ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(",")  # e.g. "example.com,www.example.com"',
    },
  },
  check(ctx) {
    if (ctx.isTestFile) return;
    const devFile = isDevSettingsFile(ctx.module.file);
    forEachSetting(ctx, (s) => {
      if (s.name !== 'ALLOWED_HOSTS' || (s.value.k !== 'list' && s.value.k !== 'tuple')) return;
      if (!s.value.elts.some((e) => constString(ctx, e) === '*')) return;
      ctx.report({
        span: s.span,
        message: '`ALLOWED_HOSTS` contains `"*"`: Django accepts any Host header, so password-reset links and absolute URLs can be pointed at an attacker\'s domain.',
        fix: 'List the real host names (`["example.com", "www.example.com"]`), read from the environment per deployment.',
        confidence: devFile || isDevConfigClass(s.scope.className) ? 'low' : 'medium',
      });
    });
  },
};
