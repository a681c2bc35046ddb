/**
 * py/hardcoded-credentials: string literals stored in, compared with, defaulted as or passed as a
 * password, key, token or secret. The name says "secret" (sensitive-names heuristic); the value
 * must look like a real one (secret-values checks), so option names, placeholders, URLs and
 * token types stay silent.
 */
import type { Expr, Param, Span } from '../../ir/types.js';
import type { Confidence } from '../../core/finding.js';
import type { PatternRule, RuleContext } from '../types.js';
import { calleeName, code, constString, storageName, type CallExpr } from './util/ir.js';
import { keywordArg, positionalArg } from './util/call-args.js';
import { classifySensitiveName, splitWords, type SecretKind } from '../../core/sensitive-names.js';
import { judgeSecretValue } from './util/secret-values.js';
import { maskSecret, secretCwes, secretNoun } from './util/report-text.js';
import { namesRead } from './util/sensitive-exprs.js';

/** Framework signing keys are reported by py/hardcoded-secret-key. */
function isFrameworkSecretKey(name: string): boolean {
  return name === 'SECRET_KEY' || name === 'secret_key';
}

const ENV_LOOKUPS = new Set(['os.getenv', 'os.environ.get', 'os.environ.setdefault']);

type Site = 'assigned to' | 'compared with' | 'the default of parameter' | 'passed as' | 'stored under key';

export const hardcodedCredentials: PatternRule = {
  meta: {
    id: 'py/hardcoded-credentials',
    name: 'Hard-coded credential',
    cwes: [798, 259, 321],
    severity: 'high',
    securitySeverity: 7.5,
    precision: 'high',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B105', 'B106', 'B107'],
    tags: ['secrets'],
    docs: {
      summary: 'Passwords, keys and tokens written as string literals in the source.',
      what:
        'Finds string literals assigned to, compared with, used as the default of, or passed as a variable, attribute, ' +
        'parameter, keyword argument or dict key whose name says it holds a password, key, token or secret. Placeholders ' +
        '("changeme", "<password>", "${DB_PASSWORD}"), option and environment-variable names, URLs, file paths and token ' +
        'types ("Bearer") are not reported, nor are test files. A literal used as the fallback of `os.getenv` is a low-confidence note.',
      why:
        'A credential in source code is readable by everyone who can read the repository, its history, its packages and ' +
        'its backups, and it cannot be rotated without a release. Attackers scan public and leaked code for exactly these.',
      example: 'DB_PASSWORD = "Tr0ub4dor&3"\nconn = psycopg2.connect(host=DB_HOST, user="app", password="Tr0ub4dor&3")',
      fix: 'DB_PASSWORD = os.environ["DB_PASSWORD"]  # or a secrets manager\nconn = psycopg2.connect(host=DB_HOST, user="app", password=DB_PASSWORD)',
    },
  },
  check(ctx) {
    if (ctx.isTestFile) return;
    ctx.visitsOf('assign', 'compare', 'funcdef', 'call', 'dict').forEach(({ node }) => {
      switch (node.k) {
        case 'assign':
          if (node.op) return;
          for (const t of node.targets) checkStore(ctx, t, node.value);
          return;
        case 'compare':
          checkCompare(ctx, node);
          return;
        case 'funcdef':
          for (const p of node.fn.params) checkParam(ctx, p);
          return;
        case 'call':
          checkCall(ctx, node);
          return;
        case 'dict':
          node.keys.forEach((k, i) => {
            const key = k && k.k === 'const' && typeof k.value === 'string' ? k.value : undefined;
            if (key) checkLiteral(ctx, key, node.values[i], 'stored under key', node.values[i].span);
          });
          return;
      }
    });
  },
};

function checkStore(ctx: RuleContext, target: Expr, value: Expr): void {
  if ((target.k === 'tuple' || target.k === 'list') && (value.k === 'tuple' || value.k === 'list') && target.elts.length === value.elts.length) {
    target.elts.forEach((t, i) => checkStore(ctx, t, value.elts[i]));
    return;
  }
  const name = storageName(target);
  if (!name || isFrameworkSecretKey(name)) return;
  if (value.k === 'call' && ENV_LOOKUPS.has(calleeName(ctx, value) ?? '')) {
    checkEnvDefault(ctx, name, value);
    return;
  }
  checkLiteral(ctx, name, value, 'assigned to', target.span);
}

/** `password = os.getenv("DB_PASSWORD", "hunter22")`: a fallback secret that ships with the code. */
function checkEnvDefault(ctx: RuleContext, name: string, call: CallExpr): void {
  const fallback = keywordArg(call, 'default') ?? positionalArg(call, 1);
  if (!fallback) return;
  const kind = classifySensitiveName(name);
  const value = fallback.k === 'const' ? constString(ctx, fallback) : undefined;
  if (!kind || value === undefined || !judgeSecretValue(value, kind === 'password').secret) return;
  ctx.report({
    span: fallback.span,
    message:
      `\`${code(ctx, call)}\` falls back to the literal ${maskSecret(value)} for \`${name}\`, ${secretNoun(kind)}: ` +
      'wherever the variable is unset, the code runs with a credential that is public to anyone who reads the source.',
    fix: `Fail when the variable is missing (\`os.environ["…"]\`) instead of falling back to a literal ${kind === 'password' ? 'password' : 'secret'}, and rotate the value that was committed.`,
    confidence: 'low',
    cwes: secretCwes(kind),
  });
}

function checkCompare(ctx: RuleContext, cmp: Extract<Expr, { k: 'compare' }>): void {
  cmp.ops.forEach((op, i) => {
    if (op !== '==' && op !== '!=') return;
    const [a, b] = [cmp.operands[i], cmp.operands[i + 1]];
    for (const [subject, lit] of [[a, b], [b, a]] as const) {
      if (lit.k !== 'const' || subject.k === 'const') continue;
      // Only passwords: `token == "..."` is far more often a parser token than a credential.
      const name = namesRead(subject).find((n) => classifySensitiveName(n) === 'password');
      if (name) checkLiteral(ctx, name, lit, 'compared with', cmp.span);
    }
  });
}

function checkParam(ctx: RuleContext, p: Param): void {
  if (p.default) checkLiteral(ctx, p.name, p.default, 'the default of parameter', p.span, 'medium');
}

function checkCall(ctx: RuleContext, call: CallExpr): void {
  const callee = calleeName(ctx, call) ?? '';
  for (const a of call.args) {
    if (!a.name || a.spread) continue;
    // config.update(SECRET_KEY=...) is py/hardcoded-secret-key's.
    if (isFrameworkSecretKey(a.name) && /(^|\.)(update|from_mapping)$/.test(callee)) continue;
    checkLiteral(ctx, a.name, a.value, 'passed as', a.value.span);
  }
}

/** Reports `value` when it is a real-looking secret literal stored under a secret-sounding `name`. */
function checkLiteral(ctx: RuleContext, name: string, value: Expr, site: Site, span: Span, cap?: Confidence): void {
  if (value.k !== 'const' || typeof value.value !== 'string') return;
  const kind = classifySensitiveName(name);
  if (!kind) return;
  const literal = value.value;
  // password="password", api_key="api-key": the name repeated is a placeholder.
  if (splitWords(literal).join('') === splitWords(name).join('')) return;
  const verdict = judgeSecretValue(literal, kind === 'password');
  if (!verdict.secret) return;
  let confidence: Confidence = verdict.strong || kind === 'password' ? 'high' : 'medium';
  if (cap === 'medium' && confidence === 'high' && !verdict.strong) confidence = 'medium';
  ctx.report({
    span,
    message: `${describe(name, site)} is the string literal ${maskSecret(literal)}: ${secretNoun(kind)} hard-coded in source is readable by anyone with access to the code and cannot be rotated without a release.`,
    fix: fixFor(kind, name, site),
    confidence,
    cwes: secretCwes(kind),
  });
}

function describe(name: string, site: Site): string {
  switch (site) {
    case 'assigned to':
      return `The value assigned to \`${name}\``;
    case 'compared with':
      return `The value \`${name}\` is compared with`;
    case 'the default of parameter':
      return `The default of parameter \`${name}\``;
    case 'passed as':
      return `The argument \`${name}=\``;
    case 'stored under key':
      return `The value under key \`"${name}"\``;
  }
}

function fixFor(kind: SecretKind, name: string, site: Site): string {
  const env = name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  if (site === 'compared with' && kind === 'password') {
    return 'Do not check passwords against a literal: store a salted hash (argon2, bcrypt, scrypt) of a configurable password and verify with the library\'s constant-time check.';
  }
  return `Load it at runtime, e.g. \`os.environ["${env}"]\` or a secrets manager, and rotate the value that was committed.`;
}
