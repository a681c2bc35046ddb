/** py/assert-authorization: `assert` used to enforce an access-control check in application code. */
import type { Expr } from '../../ir/types.js';
import type { PatternRule } from '../types.js';
import { code } from './util/ir.js';
import { namesRead } from './util/sensitive-exprs.js';
import { splitWords } from '../../core/sensitive-names.js';

const AUTHZ_WORDS = new Set([
  'admin', 'superuser', 'staff', 'authenticated', 'perm', 'perms', 'permission', 'permissions', 'authorized', 'authorised',
  'authorize', 'authz', 'role', 'roles', 'owner', 'owns', 'privileged', 'acl', 'allowed', 'grant', 'granted', 'scope', 'scopes',
]);
const USER_WORDS = new Set(['user', 'owner', 'author', 'uid', 'creator', 'account']);

function authzName(test: Expr): string | undefined {
  const names = namesRead(test);
  const direct = names.find((n) => {
    const words = splitWords(n);
    return words.some((w) => AUTHZ_WORDS.has(w)) || (words[0] === 'can' && words.length > 1);
  });
  if (direct) return direct;
  // `assert doc.created_by == current_user.id`: an ownership check.
  if (test.k === 'compare' && test.ops.every((o) => o === '==' || o === 'is' || o === 'in')) {
    const sides = test.operands.map((o) => namesRead(o).some((n) => splitWords(n).some((w) => USER_WORDS.has(w))));
    if (sides.filter(Boolean).length >= 2) return namesRead(test.operands[0])[0];
  }
  return undefined;
}

export const assertAuthorization: PatternRule = {
  meta: {
    id: 'py/assert-authorization',
    name: 'Authorization enforced with assert',
    cwes: [617],
    severity: 'medium',
    securitySeverity: 6.5,
    precision: 'medium',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B101'],
    tags: ['authorization', 'hardening'],
    docs: {
      summary: '`assert user.is_admin` and similar permission checks written as assertions.',
      what:
        'Finds `assert` statements outside test files whose condition reads permission-like names (is_admin, is_authenticated, has_perm, ' +
        'permission, role, owner, can_*) or compares a user with an owner. Low confidence.',
      why:
        'Python removes assert statements when run with `-O` or `PYTHONOPTIMIZE`, which some deployments set: the access check then ' +
        'silently disappears. A failed assert also surfaces as a 500 error rather than a 403.',
      example: 'def delete_project(user, project):\n    assert user.is_admin or project.owner_id == user.id\n    project.delete()',
      fix: 'def delete_project(user, project):\n    if not (user.is_admin or project.owner_id == user.id):\n        raise PermissionDenied()\n    project.delete()',
    },
  },
  check(ctx) {
    if (ctx.isTestFile) return;
    ctx.visitsOf('assert').forEach(({ node }) => {
      const name = authzName(node.test);
      if (!name) return;
      ctx.report({
        span: node.span,
        message: `\`assert ${code(ctx, node.test, 60)}\` enforces an access check (\`${name}\`), but asserts are stripped under \`python -O\`: the check would vanish.`,
        fix: 'Use an explicit `if not ...: raise PermissionDenied()` (or your framework\'s 403 response).',
        confidence: 'low',
      });
    });
  },
};
