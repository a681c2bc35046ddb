/**
 * py/hardcoded-secret-key: Flask/Django `SECRET_KEY` (and `app.secret_key`) set to a literal.
 * This key signs session cookies, password-reset links and CSRF tokens.
 */
import type { Expr, Span } from '../../ir/types.js';
import type { PatternRule, RuleContext } from '../types.js';
import { calleeName, code, storageName } from './util/ir.js';
import { keywordArg, positionalArg } from './util/call-args.js';
import { isPlaceholder } from './util/secret-values.js';
import { maskSecret } from './util/report-text.js';

const ENV_LOOKUPS = new Set(['os.getenv', 'os.environ.get', 'os.environ.setdefault']);

/** `SECRET_KEY = ...`, `app.config["SECRET_KEY"] = ...`, `Config.SECRET_KEY = ...`, `app.secret_key = ...`. */
function isSecretKeyTarget(t: Expr): boolean {
  const name = storageName(t);
  return name === 'SECRET_KEY' || (name === 'secret_key' && t.k === 'attr');
}

/** Test configuration classes (`class TestingConfig`) legitimately carry a fixed key. */
function inTestConfig(className: string | undefined): boolean {
  return className !== undefined && /test/i.test(className);
}

export const hardcodedSecretKey: PatternRule = {
  meta: {
    id: 'py/hardcoded-secret-key',
    name: 'Hard-coded framework secret key',
    cwes: [321, 798],
    severity: 'high',
    securitySeverity: 8.1,
    precision: 'very-high',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B105'],
    tags: ['secrets', 'flask', 'django'],
    docs: {
      summary: 'Flask or Django `SECRET_KEY` written as a string literal.',
      what:
        'Finds `SECRET_KEY = "..."` (Django settings, Flask config classes), `app.secret_key = "..."`, ' +
        '`app.config["SECRET_KEY"] = "..."` and `app.config.update(SECRET_KEY="...")` with a literal value. ' +
        'A literal used as the fallback of `os.environ.get("SECRET_KEY", "...")` is reported at low confidence. Test files and `Test*` config classes are skipped.',
      why:
        'The secret key signs session cookies, password-reset tokens and CSRF tokens. Anyone who knows it can forge a ' +
        'session for any user (and with some serializers, reach code execution). A key in the repository is known to ' +
        'everyone who has ever read the repository.',
      example: 'app = Flask(__name__)\napp.secret_key = "9f2c1d8e7a6b5c4d"',
      fix: 'app = Flask(__name__)\napp.secret_key = os.environ["FLASK_SECRET_KEY"]',
    },
  },
  check(ctx) {
    if (ctx.isTestFile) return;
    ctx.visitsOf('assign', 'call').forEach(({ node, scope }) => {
      if (inTestConfig(scope.className)) return;
      if (node.k === 'assign' && !node.op) {
        for (const t of node.targets) if (isSecretKeyTarget(t)) checkValue(ctx, node.value, t.span, code(ctx, t));
      } else if (node.k === 'call') {
        const callee = calleeName(ctx, node) ?? '';
        if (!/(^|\.)(update|from_mapping)$/.test(callee)) return;
        const v = keywordArg(node, 'SECRET_KEY');
        if (v) checkValue(ctx, v, v.span, 'SECRET_KEY');
      }
    });
  },
};

function checkValue(ctx: RuleContext, value: Expr, span: Span, target: string): void {
  if (value.k === 'call' && ENV_LOOKUPS.has(calleeName(ctx, value) ?? '')) {
    const fallback = keywordArg(value, 'default') ?? positionalArg(value, 1);
    if (fallback?.k !== 'const' || typeof fallback.value !== 'string' || fallback.value.trim() === '') return;
    ctx.report({
      span: fallback.span,
      message: `\`${target}\` falls back to the literal ${maskSecret(fallback.value)} when the environment variable is unset: a deployment that forgets it signs sessions with a key everyone can read in the source.`,
      fix: 'Read the key with `os.environ["SECRET_KEY"]` so a missing key stops the app at start-up instead of silently using the literal.',
      confidence: 'low',
    });
    return;
  }
  if (value.k !== 'const' || typeof value.value !== 'string' || value.value.trim() === '') return;
  const v = value.value;
  ctx.report({
    span,
    message: `\`${target}\` is the string literal ${maskSecret(v)}: whoever reads the source can sign session cookies and tokens that the app will trust.`,
    fix: 'Load the key from the environment or a secrets manager (`os.environ["SECRET_KEY"]`), generate a new one with `secrets.token_hex(32)`, and rotate the committed key.',
    confidence: isPlaceholder(v) && !v.startsWith('django-insecure') ? 'medium' : 'high',
  });
}
