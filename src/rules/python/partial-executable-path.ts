/** py/partial-executable-path: processes started by bare program name, resolved through PATH. */
import type { Expr } from '../../ir/types.js';
import type { PatternRule, RuleContext } from '../types.js';
import { calleeName, code, constString } from './util/ir.js';
import { callsWhere } from './util/calls.js';
import { argument } from './util/call-args.js';

const SUBPROCESS = /^subprocess\.(run|call|check_call|check_output|Popen|getoutput|getstatusoutput)$/;
const OS_PATH_SEARCH = /^os\.(execlp|execlpe|execvp|execvpe|spawnlp|spawnlpe|spawnvp|spawnvpe)$/;
const OS_SHELL = /^os\.(system|popen)$/;
const ASYNCIO = /^asyncio\.(create_subprocess_exec|create_subprocess_shell)$/;

/** The program name a command starts with, when it is a constant. */
function programOf(ctx: RuleContext, cmd: Expr): string | undefined {
  if (cmd.k === 'list' || cmd.k === 'tuple') return cmd.elts[0] ? constString(ctx, cmd.elts[0]) : undefined;
  const s = constString(ctx, cmd);
  return s?.trim().split(/\s+/)[0];
}

function isBareName(program: string): boolean {
  return program !== '' && !program.includes('/') && !program.includes('\\') && !/^[~.$]/.test(program);
}

export const partialExecutablePath: PatternRule = {
  meta: {
    id: 'py/partial-executable-path',
    name: 'Process started with a partial path',
    cwes: [426],
    severity: 'low',
    securitySeverity: 3.9,
    precision: 'high',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B607'],
    tags: ['process', 'hardening'],
    docs: {
      summary: 'Programs started by bare name ("git", "ls"), found through PATH (a hardening note).',
      what:
        'Finds `subprocess.*`, `os.system/popen`, `os.exec*p*/spawn*p*` and `asyncio.create_subprocess_*` whose command starts with a ' +
        'constant program name without a directory. Low confidence; test files are skipped.',
      why:
        'The program that actually runs is the first match on PATH. If an attacker can influence PATH or write to a directory ' +
        'early in it (a writable working directory, a user bin directory of a privileged job), they choose the code that runs.',
      example: 'subprocess.run(["git", "pull"], check=True)',
      fix: 'GIT = shutil.which("git") or "/usr/bin/git"  # resolve once, from a trusted PATH\nsubprocess.run([GIT, "pull"], check=True)',
    },
  },
  check(ctx) {
    if (ctx.isTestFile) return;
    const startsProcess = (callee: string): boolean => SUBPROCESS.test(callee) || OS_SHELL.test(callee) || OS_PATH_SEARCH.test(callee) || ASYNCIO.test(callee);
    callsWhere(ctx, startsProcess).forEach(({ node }) => {
      const callee = calleeName(ctx, node) ?? '';
      let cmd: Expr | undefined;
      if (SUBPROCESS.test(callee)) cmd = argument(node, 'args', 0) ?? argument(node, 'cmd', 0);
      else if (OS_SHELL.test(callee) || OS_PATH_SEARCH.test(callee)) cmd = node.args[callee.startsWith('os.spawn') ? 1 : 0]?.value;
      else if (ASYNCIO.test(callee)) cmd = node.args[0]?.value;
      if (!cmd) return;
      const program = callee === 'asyncio.create_subprocess_exec' ? (constString(ctx, cmd) ?? '') : programOf(ctx, cmd);
      if (!program || !isBareName(program)) return;
      ctx.report({
        span: node.span,
        message: `\`${code(ctx, node)}\` runs \`${program}\` by bare name: whichever \`${program}\` comes first on PATH is executed.`,
        fix: `Use an absolute path (e.g. from \`shutil.which("${program}")\` resolved once against a trusted PATH), or set \`env={"PATH": "/usr/bin:/bin"}\`.`,
        confidence: 'low',
      });
    });
  },
};
