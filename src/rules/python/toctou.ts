/**
 * py/toctou: a file is checked (`os.path.exists(p)`, `os.access(p, ...)`, `p.exists()`) and then
 * opened, removed, renamed or re-permissioned by the same path expression, in the branches of
 * that `if` or after it when the check's branch returns early. The finding is on the use: that
 * is where an attacker-swapped file (or symlink) gets acted upon.
 */
import type { Expr, Stmt } from '../../ir/types.js';
import type { PatternRule, RuleContext } from '../types.js';
import { calleeName, code, expressionsIn, forEachBlock, methodName, receiver, sameExpr, type CallExpr } from './util/ir.js';
import { callsWhere } from './util/calls.js';

const CHECK_FUNCTIONS = /^(os\.path\.(exists|lexists|isfile|isdir|islink)|os\.access|genericpath\.(exists|isfile|isdir))$/;
const CHECK_METHODS = new Set(['exists', 'is_file', 'is_dir', 'is_symlink']);
const USE_FUNCTIONS = /^(open|io\.open|codecs\.open|os\.(open|remove|unlink|rmdir|rename|replace|chmod|chown|lchown|truncate)|shutil\.(rmtree|move|copy|copy2|copyfile|copytree))$/;
const USE_METHODS = new Set(['open', 'unlink', 'rmdir', 'rename', 'replace', 'chmod', 'write_text', 'write_bytes', 'read_text', 'read_bytes', 'touch']);

interface Check {
  call: CallExpr;
  subject: Expr;
}

export const toctou: PatternRule = {
  meta: {
    id: 'py/toctou',
    name: 'File checked, then used (TOCTOU race)',
    cwes: [367],
    severity: 'medium',
    securitySeverity: 4.7,
    precision: 'medium',
    kind: 'pattern',
    languages: ['python'],
    tags: ['filesystem', 'race'],
    docs: {
      summary: 'A path is checked with exists/isfile/access, then opened, removed or changed by name.',
      what:
        'Finds `if` statements whose condition checks a path (`os.path.exists/isfile/isdir/islink`, `os.access`, `Path.exists()/is_file()`) ' +
        'and, in either branch or after the `if` when the branch returns or raises, a call that opens, removes, renames, chmods or ' +
        'copies the same path expression. `os.makedirs`/`mkdir` after a check is not reported (they fail safely).',
      why:
        'Between the check and the use the file can be replaced — for example by a symlink to `/etc/passwd` — so the program writes, ' +
        'deletes or trusts a different file than the one it checked. In privileged or shared-directory code this is exploitable.',
      example: 'if not os.path.exists(path):\n    with open(path, "w") as f:\n        f.write(data)',
      fix: 'try:\n    with open(path, "x") as f:  # create-if-absent, atomically\n        f.write(data)\nexcept FileExistsError:\n    ...',
    },
  },
  check(ctx) {
    // findCheck needs one of the check calls: most modules have none.
    if (callsWhere(ctx, (callee) => CHECK_FUNCTIONS.test(callee), CHECK_METHODS).length === 0) return;
    const reported = new Set<CallExpr>();
    forEachBlock(ctx.module.body, (block) => {
      block.forEach((s, i) => {
        if (s.k !== 'if') return;
        const check = findCheck(ctx, s.test);
        if (!check) return;
        const scopes: Stmt[][] = [s.body, s.orelse];
        if (endsAbruptly(s.body) || endsAbruptly(s.orelse)) scopes.push(block.slice(i + 1));
        for (const stmts of scopes) {
          for (const e of expressionsIn(stmts)) {
            if (e.k !== 'call' || reported.has(e) || !usesSubject(ctx, e, check.subject)) continue;
            reported.add(e);
            ctx.report({
              span: e.span,
              message: `\`${code(ctx, e)}\` acts on \`${code(ctx, check.subject, 40)}\` after \`${code(ctx, check.call)}\` checked it on line ${check.call.span.startLine}: the file can be swapped (e.g. for a symlink) in between.`,
              fix: 'Drop the separate check and handle the outcome of the operation itself: open with mode "x" (or `os.open` with `O_CREAT | O_EXCL`), catch `FileNotFoundError`/`FileExistsError`, or operate on an opened file descriptor.',
              confidence: 'low', // a hardening note: most check-then-use in service code is not attacker-reachable
            });
          }
        }
      });
    });
  },
};

function findCheck(ctx: RuleContext, test: Expr): Check | undefined {
  if (test.k === 'unop' && test.op === 'not') return findCheck(ctx, test.operand);
  if (test.k === 'boolop') {
    for (const v of test.values) {
      const c = findCheck(ctx, v);
      if (c) return c;
    }
    return undefined;
  }
  if (test.k !== 'call') return undefined;
  if (CHECK_FUNCTIONS.test(calleeName(ctx, test) ?? '') && test.args[0] && !test.args[0].spread) return { call: test, subject: test.args[0].value };
  const recv = receiver(test);
  if (recv && test.args.length === 0 && CHECK_METHODS.has(methodName(test) ?? '') && (recv.k === 'name' || recv.k === 'attr')) return { call: test, subject: recv };
  return undefined;
}

function usesSubject(ctx: RuleContext, call: CallExpr, subject: Expr): boolean {
  if (USE_FUNCTIONS.test(calleeName(ctx, call) ?? '')) return call.args.some((a) => !a.spread && sameExpr(a.value, subject));
  const recv = receiver(call);
  return recv !== undefined && USE_METHODS.has(methodName(call) ?? '') && sameExpr(recv, subject);
}

function endsAbruptly(body: Stmt[]): boolean {
  const last = body[body.length - 1];
  return last !== undefined && (last.k === 'return' || last.k === 'raise' || last.k === 'continue' || last.k === 'break');
}
