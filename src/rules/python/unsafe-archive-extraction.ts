/**
 * py/unsafe-archive-extraction: tar archives extracted without a member filter, and zip/tar
 * member names joined onto a destination directory by hand (Zip Slip).
 * `zipfile.ZipFile.extractall()` sanitises names itself and is not reported.
 */
import type { Expr, Stmt } from '../../ir/types.js';
import type { PatternRule, RuleContext } from '../types.js';
import { calleeName, code, constString, dottedName, expressionsIn, methodName, receiver, statementsIn, type CallExpr } from './util/ir.js';
import { hasKeyword, keywordArg } from './util/call-args.js';

const TAR_OPEN = /^tarfile\.(open|TarFile(\.open)?)$/;
const SAFE_FILTERS = new Set(['data', 'tar']);
const MEMBER_LISTS = new Set(['namelist', 'infolist', 'getnames', 'getmembers']);
const CONTAINMENT_CHECKS = /(^|\.)(realpath|abspath|commonpath|commonprefix|is_relative_to|resolve|startswith|relative_to|normpath)$/;
const PATH_JOINS = /^(os\.path\.join|posixpath\.join|pathlib\.Path|Path)$/;

export const unsafeArchiveExtraction: PatternRule = {
  meta: {
    id: 'py/unsafe-archive-extraction',
    name: 'Archive extracted without path checks',
    cwes: [22],
    severity: 'high',
    securitySeverity: 7.5,
    precision: 'medium',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B202'],
    tags: ['filesystem'],
    docs: {
      summary: 'tarfile `extractall()`/`extract()` without `filter="data"`, and archive member names joined onto a path by hand.',
      what:
        'Finds `extractall()`/`extract()` on tar archives (opened with `tarfile.open` or named like one) without `filter="data"` or ' +
        '`filter="tar"` (and, for extractall, without a `members=` selection), `shutil.unpack_archive` without `filter=` (low), and loops ' +
        'over `namelist()`/`infolist()`/`getmembers()` that join the member name onto a directory without any realpath/commonpath check.',
      why:
        'Archive member names are attacker-controlled: `../../home/user/.bashrc` or an absolute path or a symlink member makes the ' +
        'extraction write outside the destination, overwriting code or configuration.',
      example: 'with tarfile.open(upload) as tar:\n    tar.extractall(dest)',
      fix: 'with tarfile.open(upload) as tar:\n    tar.extractall(dest, filter="data")  # Python 3.12+, backported to 3.8.17+',
    },
  },
  check(ctx) {
    let tarNames: Set<string> | undefined;
    const tarNamesOf = (): Set<string> => (tarNames ??= tarVariables(ctx));
    ctx.visitsOf('call', 'for').forEach(({ node }) => {
      if (node.k === 'call') checkExtract(ctx, node, tarNamesOf);
      else if (node.k === 'for') checkMemberLoop(ctx, node);
    });
  },
};

/** Names bound to `tarfile.open(...)`, by assignment or `with ... as`. */
function tarVariables(ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  ctx.visitsOf('assign', 'with').forEach(({ node }) => {
    if (node.k === 'assign' && node.value.k === 'call' && TAR_OPEN.test(calleeName(ctx, node.value) ?? '')) {
      for (const t of node.targets) if (t.k === 'name') names.add(t.id);
    } else if (node.k === 'with') {
      for (const it of node.items) {
        if (it.target?.k === 'name' && it.ctx.k === 'call' && TAR_OPEN.test(calleeName(ctx, it.ctx) ?? '')) names.add(it.target.id);
      }
    }
  });
  return names;
}

function isTarReceiver(ctx: RuleContext, e: Expr, tarNames: () => Set<string>): boolean {
  if (e.k === 'call') return TAR_OPEN.test(calleeName(ctx, e) ?? '');
  if (e.k === 'name' && tarNames().has(e.id)) return true;
  const text = dottedName(e) ?? '';
  return /(^|[._])(tar|tarball|tarfile|tf|tar_?file|archive_tar)$/i.test(text);
}

function checkExtract(ctx: RuleContext, call: CallExpr, tarNames: () => Set<string>): void {
  const m = methodName(call);
  const callee = calleeName(ctx, call) ?? '';
  if (callee === 'shutil.unpack_archive') {
    if (hasKeyword(call, 'filter')) return;
    ctx.report({
      span: call.span,
      message: `\`${code(ctx, call)}\` unpacks without \`filter=\`: for tar archives, members with \`..\`, absolute paths or links can land outside the destination on Python < 3.14.`,
      fix: 'Pass `filter="data"` (Python 3.12+).',
      confidence: 'low',
    });
    return;
  }
  if (m !== 'extractall' && m !== 'extract') return;
  const recv = receiver(call);
  if (!recv || !isTarReceiver(ctx, recv, tarNames)) return;
  const filter = keywordArg(call, 'filter');
  if (filter) {
    const f = constString(ctx, filter);
    if (f === undefined || SAFE_FILTERS.has(f)) return;
  }
  if (m === 'extractall' && hasKeyword(call, 'members')) return;
  ctx.report({
    span: call.span,
    message: `\`${code(ctx, call)}\` extracts a tar archive ${filter ? `with \`filter=${code(ctx, filter)}\`` : 'without `filter="data"`'}: a member named \`../…\`, an absolute path or a symlink can write outside the destination directory.`,
    fix: 'Pass `filter="data"` (Python 3.12+, and 3.8.17+/3.9.17+/3.10.12+/3.11.4+), or validate each member\'s resolved path before extracting it.',
    confidence: m === 'extractall' ? 'medium' : 'low',
  });
}

/** `for name in zf.namelist(): open(os.path.join(dest, name), "wb")` without a containment check. */
function checkMemberLoop(ctx: RuleContext, loop: Extract<Stmt, { k: 'for' }>): void {
  if (loop.iter.k !== 'call' || !MEMBER_LISTS.has(methodName(loop.iter) ?? '') || loop.target.k !== 'name') return;
  const member = loop.target.id;
  const exprs = [...expressionsIn(loop.body)];
  if (exprs.some((e) => e.k === 'call' && CONTAINMENT_CHECKS.test(calleeName(ctx, e) ?? methodName(e) ?? ''))) return;
  // Names assigned from the member's name inside the loop (`name = info.filename`) count as the member.
  const aliases = new Set([member]);
  for (const s of statementsIn(loop.body)) {
    if (s.k === 'assign' && readsMemberName(s.value, aliases)) for (const t of s.targets) if (t.k === 'name') aliases.add(t.id);
  }
  for (const e of exprs) {
    if (e.k !== 'call' || !PATH_JOINS.test(calleeName(ctx, e) ?? '')) continue;
    if (!e.args.slice(1).some((a) => readsMemberName(a.value, aliases))) continue;
    ctx.report({
      span: e.span,
      message: `\`${code(ctx, e)}\` builds an output path from an archive member name (\`${member}\` from \`${code(ctx, loop.iter, 40)}\`) with no check that it stays inside the destination: \`../\` names escape it (Zip Slip).`,
      fix: 'Resolve the joined path and reject members outside the destination: `target = (dest / name).resolve(); if not target.is_relative_to(dest.resolve()): raise ValueError(name)`.',
      confidence: 'medium',
    });
  }
}

function readsMemberName(e: Expr, aliases: Set<string>): boolean {
  if (e.k === 'name') return aliases.has(e.id);
  if (e.k === 'attr') return (e.name === 'filename' || e.name === 'name') && e.obj.k === 'name' && aliases.has(e.obj.id);
  return false;
}
