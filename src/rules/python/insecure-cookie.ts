/**
 * py/insecure-cookie: cookies set without Secure / HttpOnly / SameSite, and session/CSRF cookie
 * settings that turn these flags off. One finding per `set_cookie` call lists every missing flag;
 * its CWEs are those of the missing flags, most important first (Secure, HttpOnly, SameSite).
 * Confidence follows the cookie name: session/auth-like cookies medium, others (theme, lang) low;
 * a missing SameSite alone is low.
 */
import type { Expr } from '../../ir/types.js';
import type { Confidence } from '../../core/finding.js';
import type { PatternRule, RuleContext } from '../types.js';
import { code, constNumber, constString, isFalseConst, methodName, type CallExpr } from './util/ir.js';
import { callsWhere } from './util/calls.js';
import { argument, hasKwargsSpread, keywordArg } from './util/call-args.js';
import { forEachSetting, isDevConfigClass, isDevSettingsFile, isSettingsContext } from './util/settings.js';
import { splitWords } from '../../core/sensitive-names.js';

const SENSITIVE_COOKIE = new Set(['session', 'sess', 'sid', 'sessionid', 'token', 'auth', 'jwt', 'remember', 'login', 'access', 'refresh', 'user', 'uid', 'credentials', 'key']);
const READ_BY_SCRIPT = new Set(['csrf', 'xsrf', 'csrftoken']);

/** Setting names that must stay true, with the CWE of turning them off. */
const FLAG_SETTINGS: Record<string, { cwe: number; flag: string }> = {
  SESSION_COOKIE_SECURE: { cwe: 614, flag: 'Secure' },
  CSRF_COOKIE_SECURE: { cwe: 614, flag: 'Secure' },
  REMEMBER_COOKIE_SECURE: { cwe: 614, flag: 'Secure' },
  LANGUAGE_COOKIE_SECURE: { cwe: 614, flag: 'Secure' },
  SESSION_COOKIE_HTTPONLY: { cwe: 1004, flag: 'HttpOnly' },
  REMEMBER_COOKIE_HTTPONLY: { cwe: 1004, flag: 'HttpOnly' },
};

export const insecureCookie: PatternRule = {
  meta: {
    id: 'py/insecure-cookie',
    name: 'Cookie without Secure, HttpOnly or SameSite',
    cwes: [614, 1004, 1275],
    severity: 'medium',
    securitySeverity: 5.4,
    precision: 'medium',
    kind: 'pattern',
    languages: ['python'],
    tags: ['cookies', 'flask', 'django'],
    docs: {
      summary: '`set_cookie()` without `secure=True`, `httponly=True` or `samesite`, and settings that disable them.',
      what:
        'Finds `response.set_cookie(...)` / `set_signed_cookie(...)` calls missing `secure=True` (CWE-614), `httponly=True` (CWE-1004) or ' +
        '`samesite=` (CWE-1275); one finding per call lists all missing flags. Cookies deleted (`max_age=0`) and CSRF cookies meant to ' +
        'be read by scripts (HttpOnly) are exempt. Also finds `SESSION_COOKIE_SECURE = False`, `SESSION_COOKIE_HTTPONLY = False`, ' +
        '`CSRF_COOKIE_SECURE = False`, `REMEMBER_COOKIE_*` and `SESSION_COOKIE_SAMESITE = None` in settings and app config.',
      why:
        'Without Secure the cookie is sent over plain HTTP where it can be sniffed; without HttpOnly any XSS can steal it; without ' +
        'SameSite it is sent on cross-site requests, enabling CSRF.',
      example: 'resp.set_cookie("session_id", sid)',
      fix: 'resp.set_cookie("session_id", sid, secure=True, httponly=True, samesite="Lax")',
    },
  },
  check(ctx) {
    if (ctx.isTestFile) return;
    callsWhere(ctx, () => false, ['set_cookie', 'set_signed_cookie']).forEach(({ node }) => {
      // `jar.set_cookie(cookie)` (http.cookiejar) stores a Cookie object; responses take a key and a value.
      const takesKeyValue = node.k === 'call' && (node.args.filter((a) => !a.name).length >= 2 || node.args.some((a) => a.name === 'value'));
      if (node.k === 'call' && takesKeyValue && (methodName(node) === 'set_cookie' || methodName(node) === 'set_signed_cookie') && node.fn.k === 'attr') checkSetCookie(ctx, node);
    });
    const devFile = isDevSettingsFile(ctx.module.file);
    forEachSetting(ctx, (s) => {
      if (!isSettingsContext(ctx.module.file, s)) return;
      const devOnly = devFile || isDevConfigClass(s.scope.className);
      const flag = FLAG_SETTINGS[s.name];
      if (flag && isFalseConst(ctx, s.value)) {
        ctx.report({
          span: s.span,
          message: `\`${s.name}\` is \`False\`: the cookie is sent without the ${flag.flag} flag${flag.flag === 'Secure' ? ', so it also travels over plain HTTP' : ', so scripts (and any XSS) can read it'}.`,
          fix: `Set \`${s.name} = True\` (use a development-only settings file if local HTTP needs it).`,
          confidence: devOnly ? 'low' : 'medium',
          cwes: [flag.cwe],
        });
      } else if (s.name === 'SESSION_COOKIE_SAMESITE' && s.value.k === 'const' && (s.value.value === null || String(s.value.value).toLowerCase() === 'none')) {
        ctx.report({
          span: s.span,
          message: '`SESSION_COOKIE_SAMESITE` is `None`: the session cookie is attached to cross-site requests, which enables CSRF.',
          fix: 'Use `SESSION_COOKIE_SAMESITE = "Lax"` (or "Strict").',
          confidence: 'low',
          cwes: [1275],
        });
      }
    });
  },
};

function cookieSensitivity(ctx: RuleContext, nameExpr: Expr | undefined): 'sensitive' | 'script' | 'plain' | 'unknown' {
  const name = nameExpr ? constString(ctx, nameExpr) : undefined;
  if (name === undefined) return 'unknown';
  const words = splitWords(name);
  if (words.some((w) => READ_BY_SCRIPT.has(w))) return 'script';
  return words.some((w) => SENSITIVE_COOKIE.has(w)) ? 'sensitive' : 'plain';
}

function checkSetCookie(ctx: RuleContext, call: CallExpr): void {
  if (hasKwargsSpread(call)) return;
  const maxAge = keywordArg(call, 'max_age');
  const expires = keywordArg(call, 'expires');
  if ((maxAge && constNumber(ctx, maxAge) === 0) || (expires && constNumber(ctx, expires) === 0)) return; // deletion
  const kind = cookieSensitivity(ctx, argument(call, 'key', 0));
  const flagOff = (name: string) => {
    const v = keywordArg(call, name);
    return !v || isFalseConst(ctx, v);
  };
  const missing: Array<{ flag: string; cwe: number }> = [];
  if (flagOff('secure')) missing.push({ flag: '`secure=True`', cwe: 614 });
  if (flagOff('httponly') && kind !== 'script') missing.push({ flag: '`httponly=True`', cwe: 1004 });
  const samesite = keywordArg(call, 'samesite');
  if (!samesite || (samesite.k === 'const' && (samesite.value === null || String(samesite.value).toLowerCase() === 'none'))) {
    missing.push({ flag: '`samesite="Lax"`', cwe: 1275 });
  }
  if (missing.length === 0) return;
  const onlySameSite = missing.length === 1 && missing[0].cwe === 1275;
  let confidence: Confidence = kind === 'sensitive' || kind === 'unknown' ? 'medium' : 'low';
  // `secure=False` / `httponly=False` written out is a decision, not an omission: worth raising.
  const explicitlyOff = ['secure', 'httponly'].some((n) => {
    const v = keywordArg(call, n);
    return v !== undefined && isFalseConst(ctx, v);
  });
  if (explicitlyOff) confidence = 'medium';
  const value = argument(call, 'value', 1);
  if (value && ctx.taintKindsAt(value).some((k) => k === 'sensitive' || k === 'weak-random')) confidence = 'medium';
  if (onlySameSite) confidence = 'low';
  ctx.report({
    span: call.span,
    message: `\`${code(ctx, call)}\` sets a cookie without ${missing.map((m) => m.flag).join(', ')}: ${consequences(missing.map((m) => m.cwe))}.`,
    fix: `Pass ${missing.map((m) => m.flag).join(', ')} (or set them once through the framework's cookie settings).`,
    confidence,
    cwes: missing.map((m) => m.cwe),
  });
}

function consequences(cwes: number[]): string {
  const parts: string[] = [];
  if (cwes.includes(614)) parts.push('it is also sent over plain HTTP');
  if (cwes.includes(1004)) parts.push('scripts, including injected ones, can read it');
  if (cwes.includes(1275)) parts.push('it rides along on cross-site requests');
  return parts.join('; ');
}
