/**
 * py/insecure-temp-file: `tempfile.mktemp()`, and files created at fixed names in shared
 * temporary directories (/tmp, /var/tmp, /dev/shm). A `/tmp` string that is never opened for
 * writing is not reported.
 */
import type { Expr } from '../../ir/types.js';
import type { PatternRule, RuleContext } from '../types.js';
import { calleeName, code, constString, methodName, qname, receiver, subtree, type CallExpr } from './util/ir.js';
import { argument } from './util/call-args.js';
import { callsWhere } from './util/calls.js';

/** The constant leading text of a path expression: literal, f-string, concatenation, os.path.join, Path(). */
function pathPrefix(ctx: RuleContext, e: Expr): string | undefined {
  const s = constString(ctx, e);
  if (s !== undefined) return s;
  if (e.k === 'template' && e.parts.length > 0) return pathPrefix(ctx, e.parts[0]);
  if (e.k === 'binop' && (e.op === '+' || e.op === '/')) {
    const left = pathPrefix(ctx, e.left);
    if (left === undefined) return undefined;
    const sep = e.op === '/' ? '/' : '';
    return `${left}${sep}${constString(ctx, e.right) ?? ''}`;
  }
  if (e.k === 'binop' && e.op === '%') return pathPrefix(ctx, e.left);
  if (e.k === 'call') {
    const callee = calleeName(ctx, e) ?? '';
    if (/^(os\.path\.join|posixpath\.join|pathlib\.(Pure)?(Posix)?Path|Path)$/.test(callee) && e.args[0]) {
      // Join the constant leading parts; stop at the first part we cannot read.
      const parts: string[] = [];
      for (const a of e.args) {
        const part = a.spread ? undefined : constString(ctx, a.value);
        if (part === undefined) break;
        parts.push(part);
      }
      return parts.length === 0 ? undefined : parts.length === e.args.length ? parts.join('/') : `${parts.join('/')}/`;
    }
    if (e.fn.k === 'attr' && e.fn.name === 'format') return pathPrefix(ctx, e.fn.obj);
  }
  return undefined;
}

/**
 * A path in a shared temp directory whose file name starts with fixed text (`/tmp/report-{date}.csv`).
 * `f"/tmp/{uuid4()}"` has no fixed name part and is not reported.
 */
function sharedTmpPath(ctx: RuleContext, e: Expr | undefined): string | undefined {
  if (!e) return undefined;
  const p = pathPrefix(ctx, e);
  return p !== undefined && /^(\/tmp|\/var\/tmp|\/dev\/shm)\/+[^/]/.test(p) ? p : undefined;
}

const NAME_ONLY = /^(tempfile\.mktemp|os\.tempnam|os\.tmpnam)$/;
const OPEN = /^(open|io\.open|codecs\.open|builtins\.open)$/;
const LOG_FILE = /^logging\.(FileHandler|handlers\.(RotatingFileHandler|TimedRotatingFileHandler|WatchedFileHandler))$/;
const SHUTIL_COPY = /^shutil\.(copy|copy2|copyfile|move)$/;
/** Methods through which createdPath may find a created file (`Path(...).write_text()`, `.open("w")`). */
const CREATING_METHODS = ['write_text', 'write_bytes', 'touch', 'open'];

/** Whether a call to `callee` may create a file or a temporary name (methods aside). */
function mayCreate(callee: string): boolean {
  return NAME_ONLY.test(callee) || OPEN.test(callee) || callee === 'os.open' || LOG_FILE.test(callee) || SHUTIL_COPY.test(callee);
}

function writes(mode: string | undefined): boolean {
  return mode !== undefined && /[wa]/.test(mode) && !mode.includes('x');
}

export const insecureTempFile: PatternRule = {
  meta: {
    id: 'py/insecure-temp-file',
    name: 'Insecure temporary file',
    cwes: [377],
    severity: 'medium',
    securitySeverity: 5.5,
    precision: 'high',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B306', 'B108'],
    tags: ['filesystem'],
    docs: {
      summary: '`tempfile.mktemp()` or a file created at a predictable name in /tmp.',
      what:
        'Finds `tempfile.mktemp()` (and `os.tempnam`/`os.tmpnam`), and files created for writing at a fixed path under /tmp, /var/tmp or ' +
        '/dev/shm: `open(path, "w"/"a")`, `os.open` with `O_CREAT` but not `O_EXCL`, `Path(...).write_text/write_bytes/touch`, ' +
        '`logging.FileHandler`, `shutil.copy*` destinations. `tempfile.mkstemp`, `NamedTemporaryFile`, `TemporaryDirectory` and ' +
        'mode `"x"` are safe. Test files are skipped.',
      why:
        'Every user can create files in /tmp. An attacker who knows (or can guess) the name can create it first or plant a symlink ' +
        'there, so the program overwrites a file of the attacker\'s choosing or reads attacker-controlled data.',
      example: 'with open("/tmp/report.csv", "w") as f:\n    f.write(data)',
      fix: 'with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:\n    f.write(data)',
    },
  },
  check(ctx) {
    if (ctx.isTestFile) return;
    callsWhere(ctx, mayCreate, CREATING_METHODS).forEach(({ node }) => {
      const callee = calleeName(ctx, node) ?? '';
      if (NAME_ONLY.test(callee)) {
        return ctx.report({
          span: node.span,
          message: `\`${code(ctx, node)}\` only returns a name: between choosing it and creating the file, another process can create it or a symlink at that path.`,
          fix: 'Use `tempfile.mkstemp()` or `tempfile.NamedTemporaryFile()`, which create the file atomically with O_EXCL.',
          confidence: 'high',
        });
      }
      const path = createdPath(ctx, node, callee);
      if (!path) return;
      const tmp = sharedTmpPath(ctx, path);
      if (tmp === undefined) return;
      ctx.report({
        span: node.span,
        message: `\`${code(ctx, node)}\` creates \`${code(ctx, path, 50)}\` at a predictable name in a world-writable directory: another user can pre-create it or plant a symlink there.`,
        fix: 'Create temporary files with `tempfile.NamedTemporaryFile()`/`mkstemp()` (or `TemporaryDirectory()`), or use a private directory the program owns.',
        confidence: 'medium',
      });
    });
  },
};

/** The path a call creates or writes, when it is a file-creating call. */
function createdPath(ctx: RuleContext, call: CallExpr, callee: string): Expr | undefined {
  if (OPEN.test(callee)) {
    const mode = argument(call, 'mode', 1);
    return writes(mode ? constString(ctx, mode) : undefined) ? argument(call, 'file', 0) ?? argument(call, 'filename', 0) : undefined;
  }
  if (callee === 'os.open') {
    const flags = argument(call, 'flags', 1);
    if (!flags) return undefined;
    const names = [...subtree(flags)].map((e) => qname(ctx, e) ?? '');
    return names.some((n) => /O_CREAT$/.test(n)) && !names.some((n) => /O_EXCL$/.test(n)) ? argument(call, 'path', 0) : undefined;
  }
  if (LOG_FILE.test(callee)) return argument(call, 'filename', 0);
  if (SHUTIL_COPY.test(callee)) return argument(call, 'dst', 1);
  const m = methodName(call);
  const recv = receiver(call);
  if (recv && (m === 'write_text' || m === 'write_bytes' || m === 'touch')) return recv;
  if (recv && m === 'open' && recv.k === 'call') {
    const mode = argument(call, 'mode', 0);
    return writes(mode ? constString(ctx, mode) : undefined) ? recv : undefined;
  }
  return undefined;
}
