/** py/jwt-without-verification: JWTs decoded without checking the signature. */
import type { Expr } from '../../ir/types.js';
import type { PatternRule, RuleContext } from '../types.js';
import { code, constString, isFalseConst } from './util/ir.js';
import { callsWhere } from './util/calls.js';
import { keywordArg } from './util/call-args.js';

const DECODE = /^(jwt\.decode|jwt\.api_jwt\.decode|jose\.jwt\.decode|jwt\.PyJWT\.decode)$/;

/** `options={"verify_signature": False}` */
function disablesSignature(ctx: RuleContext, options: Expr | undefined): boolean {
  if (!options || options.k !== 'dict') return false;
  return options.keys.some((k, i) => k !== null && constString(ctx, k) === 'verify_signature' && isFalseConst(ctx, options.values[i]));
}

function allowsNone(ctx: RuleContext, algorithms: Expr | undefined): boolean {
  if (!algorithms) return false;
  const elts = algorithms.k === 'list' || algorithms.k === 'tuple' ? algorithms.elts : [algorithms];
  return elts.some((e) => constString(ctx, e)?.toLowerCase() === 'none');
}

export const jwtWithoutVerification: PatternRule = {
  meta: {
    id: 'py/jwt-without-verification',
    name: 'JWT decoded without signature verification',
    cwes: [347],
    severity: 'high',
    securitySeverity: 8.1,
    precision: 'very-high',
    kind: 'pattern',
    languages: ['python'],
    tags: ['jwt', 'authentication'],
    docs: {
      summary: '`jwt.decode` with `verify_signature: False`, `verify=False` or the `none` algorithm.',
      what:
        'Finds PyJWT and python-jose `jwt.decode(...)` with `options={"verify_signature": False}`, `verify=False` (PyJWT 1.x) or ' +
        '`algorithms` containing `"none"`.',
      why: 'Without signature verification the claims are whatever the client wrote: anyone can mint a token for any user or role.',
      example: 'claims = jwt.decode(token, options={"verify_signature": False})',
      fix: 'claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience="my-api")',
    },
  },
  check(ctx) {
    callsWhere(ctx, (callee) => DECODE.test(callee)).forEach(({ node }) => {
      const verify = keywordArg(node, 'verify');
      let how: string | undefined;
      if (disablesSignature(ctx, keywordArg(node, 'options'))) how = '`"verify_signature": False`';
      else if (verify && verify.k === 'const' && verify.value === false) how = '`verify=False`';
      else if (allowsNone(ctx, keywordArg(node, 'algorithms'))) how = 'the `"none"` algorithm';
      if (!how) return;
      ctx.report({
        span: node.span,
        message: `\`${code(ctx, node)}\` decodes the token with ${how}: the signature is not checked, so a forged token with any claims is accepted.`,
        fix: 'Verify the signature with the expected key and an explicit algorithm list: `jwt.decode(token, key, algorithms=["RS256"])`. To peek at a header before verifying, use `jwt.get_unverified_header()` and never trust its claims.',
        confidence: 'high',
      });
    });
  },
};
