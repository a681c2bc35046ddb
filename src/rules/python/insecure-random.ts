/**
 * py/insecure-random: the `random` module producing a value that must be unpredictable.
 * Only reported when the value visibly becomes a secret: stored under a secret-like name
 * (token, password, otp, nonce, salt, session id...), passed as such a keyword argument,
 * stored in `session[...]`, given to `set_cookie`, or returned by a function named like
 * `generate_token` / `make_password`. Jitter, sampling, shuffling and game logic stay silent.
 */
import type { Expr, Stmt } from '../../ir/types.js';
import type { PatternRule, RuleContext } from '../types.js';
import { calleeName, code, methodName, parentMap, storageName, type CallExpr } from './util/ir.js';
import { callsWhere } from './util/calls.js';
import { isSecretProducerName, isUnpredictableValueName } from '../../core/sensitive-names.js';

const RANDOM_FUNCTIONS = new Set(['random', 'randint', 'choice', 'choices', 'getrandbits', 'randrange', 'uniform', 'sample', 'randbytes', 'triangular']);

function isRandomFunction(callee: string): boolean {
  const m = /^random\.([a-z]+)$/.exec(callee);
  return m !== null && RANDOM_FUNCTIONS.has(m[1]);
}

/** What the random value becomes, in words for the message. */
interface Destination {
  what: string;
  at: Expr | Stmt;
}

export const insecureRandom: PatternRule = {
  meta: {
    id: 'py/insecure-random',
    name: 'Predictable random value used as a secret',
    cwes: [338, 330],
    severity: 'high',
    securitySeverity: 7.5,
    precision: 'high',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B311'],
    tags: ['crypto'],
    docs: {
      summary: 'Tokens, passwords, OTPs, nonces or session ids generated with the `random` module.',
      what:
        'Finds calls to `random.random/randint/choice/choices/getrandbits/randrange/uniform/sample/randbytes` whose result ' +
        'is stored under a secret-like name (token, password, key, otp, nonce, salt, session id, reset code...), passed as a ' +
        'keyword argument with such a name, stored in `session[...]`, passed to `set_cookie`, or returned from a function ' +
        'named like `generate_token` or `make_password`. Other uses of `random` (jitter, sampling, shuffling, simulations) are not reported.',
      why:
        '`random` is a Mersenne Twister: after observing 624 outputs an attacker can predict every future (and past) value, ' +
        'and it is seeded from guessable state. Tokens built from it can be predicted and forged.',
      example: 'def generate_reset_token():\n    return "".join(random.choice(string.ascii_letters) for _ in range(32))',
      fix: 'def generate_reset_token():\n    return secrets.token_urlsafe(32)',
    },
  },
  check(ctx) {
    callsWhere(ctx, isRandomFunction).forEach(({ node, scope }) => {
      const callee = calleeName(ctx, node) ?? '';
      const m = /^random\.([a-z]+)$/.exec(callee);
      if (!m || !RANDOM_FUNCTIONS.has(m[1])) return;
      const dest = destination(ctx, node, parentMap(ctx), scope.functionName);
      if (!dest) return;
      ctx.report({
        span: node.span,
        message: `\`${code(ctx, node)}\` feeds ${dest.what}, but \`random\` is a predictable PRNG: an attacker who sees some outputs can reproduce the value.`,
        fix: 'Use the `secrets` module: `secrets.token_urlsafe(32)`, `secrets.token_hex(16)`, `secrets.choice(alphabet)`, `secrets.randbelow(n)` (or `random.SystemRandom()`).',
        confidence: 'high',
      });
    });
  },
};

function destination(ctx: RuleContext, call: CallExpr, parents: ReadonlyMap<Expr | Stmt, Expr | Stmt>, functionName: string | undefined): Destination | undefined {
  let child: Expr | Stmt = call;
  let parent = parents.get(child);
  while (parent) {
    if (parent.k === 'call') {
      const arg = parent.args.find((a) => a.value === child);
      if (arg?.name && isUnpredictableValueName(arg.name)) return { what: `the \`${arg.name}=\` argument of \`${code(ctx, parent.fn, 40)}\``, at: parent };
      if (arg && methodName(parent) === 'set_cookie') return { what: `a cookie set by \`${code(ctx, parent.fn, 40)}\``, at: parent };
    }
    if (isStatement(parent)) return fromStatement(ctx, parent, functionName);
    child = parent;
    parent = parents.get(child);
  }
  return undefined;
}

const STMT_KINDS = new Set(['assign', 'expr', 'return', 'if', 'while', 'for', 'with', 'raise', 'assert', 'match', 'delete']);
function isStatement(n: Expr | Stmt): n is Stmt {
  return STMT_KINDS.has(n.k);
}

function fromStatement(ctx: RuleContext, s: Stmt, functionName: string | undefined): Destination | undefined {
  if (s.k === 'assign') {
    for (const t of s.targets) {
      if (t.k === 'index' && t.obj.k === 'name' && t.obj.id === 'session') return { what: `\`${code(ctx, t)}\`, a session value`, at: s };
      const name = storageName(t);
      if (name && isUnpredictableValueName(name)) return { what: `\`${code(ctx, t)}\``, at: s };
    }
  }
  if (s.k === 'return' && functionName && isSecretProducerName(functionName)) return { what: `the value returned by \`${functionName}()\``, at: s };
  return undefined;
}
