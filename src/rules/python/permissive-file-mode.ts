/**
 * py/permissive-file-mode: chmod/mkdir/open modes that let other users write (or, for key files,
 * read) a file, and `os.umask` values that make every new file world-writable.
 * `chmod` sets bits as written; `mkdir`/`makedirs`/`os.open` modes are filtered by the umask, so
 * those are reported with one notch less confidence.
 */
import type { Expr } from '../../ir/types.js';
import type { Confidence } from '../../core/finding.js';
import type { PatternRule, RuleContext } from '../types.js';
import { calleeName, code, methodName, receiver, type CallExpr } from './util/ir.js';
import { callsWhere } from './util/calls.js';
import { argument } from './util/call-args.js';
import { modeValue, octal } from './util/file-modes.js';

interface ModeCall {
  pattern: RegExp;
  position: number;
  /** The kernel applies the umask to this mode. */
  umasked: boolean;
}

const MODE_CALLS: ModeCall[] = [
  { pattern: /^os\.(chmod|lchmod|fchmod)$/, position: 1, umasked: false },
  { pattern: /^os\.(mkdir|makedirs)$/, position: 1, umasked: true },
  { pattern: /^os\.open$/, position: 2, umasked: true },
];

const SECRET_PATH = /(key|secret|pem|credential|token|passw|id_rsa|id_ed25519|\.p12|\.pfx|shadow|\.env\b|private)/i;

export const permissiveFileMode: PatternRule = {
  meta: {
    id: 'py/permissive-file-mode',
    name: 'Overly permissive file permissions',
    cwes: [732, 276],
    severity: 'medium',
    securitySeverity: 6.5,
    precision: 'high',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B103'],
    tags: ['filesystem'],
    docs: {
      summary: 'Files or directories made writable by other users, key files made readable by them, or `umask(0)`.',
      what:
        'Finds `os.chmod/fchmod/lchmod`, `Path.chmod`, `os.mkdir/makedirs`, `Path.mkdir` and `os.open` with a constant mode that grants ' +
        'write to others (high for chmod) or to the group, and modes that let others read files whose path mentions keys, secrets, ' +
        'tokens or credentials (low). Also `os.umask(mask)` where the mask leaves write for others enabled.',
      why:
        'Any local user or compromised service account can modify a world-writable file: replace a script that root runs, ' +
        'rewrite configuration, or plant content. Readable key files leak the key to every account on the machine.',
      example: 'os.chmod("/usr/local/bin/backup.sh", 0o777)',
      fix: 'os.chmod("/usr/local/bin/backup.sh", 0o750)  # owner rwx, group rx, others nothing',
    },
  },
  check(ctx) {
    // `old = os.umask(0); os.umask(old)` only reads the current umask: its result is kept.
    let readsUmask: Set<Expr> | undefined;
    const readsUmaskOf = (): Set<Expr> => (readsUmask ??= new Set(ctx.visitsOf('assign').flatMap(({ node }) => (node.value.k === 'call' ? [node.value] : []))));
    const isModeCall = (callee: string): boolean => callee === 'os.umask' || MODE_CALLS.some((mc) => mc.pattern.test(callee));
    callsWhere(ctx, isModeCall, ['chmod', 'mkdir']).forEach(({ node }) => {
      const callee = calleeName(ctx, node) ?? '';
      if (callee === 'os.umask') return readsUmaskOf().has(node) ? undefined : checkUmask(ctx, node);
      for (const mc of MODE_CALLS) {
        if (!mc.pattern.test(callee)) continue;
        const mode = argument(node, 'mode', mc.position);
        if (mode) checkMode(ctx, node, mode, node.args[0]?.value, mc.umasked);
        return;
      }
      // pathlib: Path(...).chmod(mode), p.mkdir(mode=...)
      const m = methodName(node);
      const recv = receiver(node);
      if (recv && !callee.startsWith('os.') && (m === 'chmod' || m === 'mkdir')) {
        const mode = argument(node, 'mode', 0);
        if (mode) checkMode(ctx, node, mode, recv, m === 'mkdir');
      }
    });
  },
};

function checkMode(ctx: RuleContext, call: CallExpr, modeExpr: Expr, path: Expr | undefined, umasked: boolean): void {
  const mode = modeValue(ctx, modeExpr);
  if (mode === undefined) return;
  const where = umasked ? ' (before the umask is applied)' : '';
  const pathText = path ? code(ctx, path, 50) : '';
  // 0o666 / 0o777 filtered by the umask is what open() and mkdir() do anyway: a hardening note at most.
  const isDefault = umasked && (mode === 0o666 || mode === 0o777);
  if (mode & 0o002) {
    return report(ctx, call, `\`${code(ctx, call)}\` makes ${path ? `\`${pathText}\`` : 'the file'} writable by every user on the system (mode ${octal(mode)}${where}).`, isDefault ? 'low' : umasked ? 'medium' : 'high', mode);
  }
  if (mode & 0o020) {
    return report(ctx, call, `\`${code(ctx, call)}\` makes ${path ? `\`${pathText}\`` : 'the file'} writable by its group (mode ${octal(mode)}${where}).`, umasked ? 'low' : 'medium', mode);
  }
  if (mode & 0o004 && path && SECRET_PATH.test(pathText)) {
    return report(ctx, call, `\`${code(ctx, call)}\` lets every user read \`${pathText}\`, which looks like a key or secret file (mode ${octal(mode)}).`, 'low', mode);
  }
}

function report(ctx: RuleContext, call: CallExpr, message: string, confidence: Confidence, mode: number): void {
  ctx.report({
    span: call.span,
    message,
    fix: `Grant only what is needed: \`0o${(mode & 0o750).toString(8)}\` or stricter for directories and scripts, \`0o600\` for files holding secrets.`,
    confidence,
    severity: mode & 0o002 ? 'high' : 'medium',
  });
}

function checkUmask(ctx: RuleContext, call: CallExpr): void {
  const maskExpr = argument(call, 'mask', 0);
  const mask = maskExpr ? modeValue(ctx, maskExpr) : undefined;
  if (mask === undefined || mask & 0o002) return;
  ctx.report({
    span: call.span,
    message: `\`${code(ctx, call)}\` lets every file and directory created afterwards be writable by other users (umask ${octal(mask)} does not mask the "others write" bit).`,
    fix: 'Use `os.umask(0o022)` or `0o077`, and set explicit modes on the files that need wider access.',
    confidence: 'medium',
  });
}
