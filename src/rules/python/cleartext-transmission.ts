/**
 * py/cleartext-transmission: credentials sent over protocols without encryption — FTP, Telnet,
 * SMTP login without STARTTLS, and HTTP URLs that carry credentials.
 */
import type { Expr, Stmt } from '../../ir/types.js';
import type { PatternRule, RuleContext } from '../types.js';
import { calleeName, code, constString, methodName, receiver, type CallExpr } from './util/ir.js';
import { keywordArg, positionalArg } from './util/call-args.js';
import { callsWhere } from './util/calls.js';

const HTTP_CALLS = /^(requests|httpx)\.(get|post|put|patch|delete|head|options|request)$|^urllib\.request\.(urlopen|Request)$|^xmlrpc\.client\.ServerProxy$|^xmlrpclib\.ServerProxy$/;

export const cleartextTransmission: PatternRule = {
  meta: {
    id: 'py/cleartext-transmission',
    name: 'Credentials sent over an unencrypted channel',
    cwes: [319],
    severity: 'medium',
    securitySeverity: 6.5,
    precision: 'high',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B321', 'B312', 'B401', 'B402'],
    docs: {
      summary: 'Logging in over FTP, Telnet or SMTP without TLS, or sending credentials to an `http://` URL.',
      what:
        'Finds `ftplib.FTP(...).login(...)` (not `FTP_TLS`), `telnetlib.Telnet` sessions, `smtplib.SMTP(...).login(...)` in a function that never calls `starttls()`, ' +
        'and HTTP requests to `http://` URLs that carry credentials (`user:pass@` in the URL, `auth=`, or an `Authorization` header).',
      why: 'Anyone on the network path can read the credentials and replay them.',
      example: 'ftp = ftplib.FTP(host)\nftp.login(user, password)',
      fix: 'ftp = ftplib.FTP_TLS(host)\nftp.login(user, password)\nftp.prot_p()',
    },
  },
  check(ctx) {
    // Most modules make none of the calls checkCall looks at: skip grouping calls by function.
    if (callsWhere(ctx, (name) => name === 'telnetlib.Telnet' || HTTP_CALLS.test(name), ['login']).length === 0) return;
    const visitBody = (body: Stmt[]): void => {
      const calls: CallExpr[] = [];
      ctxWalkBody(body, (e) => {
        if (e.k === 'call') calls.push(e);
      });
      const hasStartTls = calls.some((c) => methodName(c) === 'starttls');
      for (const c of calls) checkCall(ctx, c, body, hasStartTls);
    };
    // Group calls by function so `starttls()` in the same function counts.
    const functions: Stmt[][] = [ctx.module.body.filter((s) => s.k !== 'funcdef' && s.k !== 'classdef')];
    const collect = (stmts: Stmt[]): void => {
      for (const s of stmts) {
        if (s.k === 'funcdef') {
          functions.push(s.fn.body);
          collect(s.fn.body);
        } else if (s.k === 'classdef') collect(s.cls.body);
      }
    };
    collect(ctx.module.body);
    for (const body of functions) visitBody(body);
  },
};

function ctxWalkBody(body: Stmt[], visit: (e: Expr) => void): void {
  const visitExpr = (e: Expr): void => {
    visit(e);
    switch (e.k) {
      case 'call': visitExpr(e.fn); e.args.forEach((a) => visitExpr(a.value)); break;
      case 'attr': visitExpr(e.obj); break;
      case 'index': visitExpr(e.obj); visitExpr(e.index); break;
      case 'binop': visitExpr(e.left); visitExpr(e.right); break;
      case 'template': e.parts.forEach(visitExpr); break;
      case 'dict': e.values.forEach(visitExpr); break;
      case 'list': case 'tuple': case 'set': e.elts.forEach(visitExpr); break;
      case 'await': visitExpr(e.value); break;
      default: break;
    }
  };
  const visitStmts = (stmts: Stmt[]): void => {
    for (const s of stmts) {
      switch (s.k) {
        case 'funcdef': case 'classdef': break;
        case 'assign': visitExpr(s.value); break;
        case 'expr': visitExpr(s.value); break;
        case 'return': if (s.value) visitExpr(s.value); break;
        case 'if': case 'while': visitExpr(s.test); visitStmts(s.body); visitStmts(s.orelse); break;
        case 'for': visitExpr(s.iter); visitStmts(s.body); visitStmts(s.orelse); break;
        case 'with': s.items.forEach((i) => visitExpr(i.ctx)); visitStmts(s.body); break;
        case 'try': visitStmts(s.body); s.handlers.forEach((h) => visitStmts(h.body)); visitStmts(s.orelse); visitStmts(s.finalbody); break;
        default: break;
      }
    }
  };
  visitStmts(body);
}

function checkCall(ctx: RuleContext, call: CallExpr, body: Stmt[], hasStartTls: boolean): void {
  const name = calleeName(ctx, call);
  if (name === 'telnetlib.Telnet') {
    ctx.report({ span: call.span, message: `\`${code(ctx, call)}\` opens a Telnet session: everything, including the login, crosses the network unencrypted.`, fix: 'Use SSH (e.g. `paramiko`) instead of Telnet.', confidence: 'medium' });
    return;
  }
  if (methodName(call) === 'login') {
    const recv = receiver(call);
    const origin = recv ? creatorOf(ctx, recv, body) : undefined;
    if (origin === 'ftplib.FTP') {
      ctx.report({ span: call.span, message: `\`${code(ctx, call)}\` logs in over plain FTP: the user name and password are sent unencrypted.`, fix: 'Use `ftplib.FTP_TLS` (and `prot_p()`), or SFTP.', confidence: 'high' });
    } else if (origin === 'smtplib.SMTP' && !hasStartTls) {
      ctx.report({ span: call.span, message: `\`${code(ctx, call)}\` logs in to an SMTP server without \`starttls()\`: the credentials are sent unencrypted.`, fix: 'Call `server.starttls(context=ssl.create_default_context())` before `login()`, or use `smtplib.SMTP_SSL`.', confidence: 'high' });
    }
    return;
  }
  if (name && HTTP_CALLS.test(name)) {
    const urlExpr = positionalArg(call, 0) ?? keywordArg(call, 'url') ?? keywordArg(call, 'uri');
    const url = urlExpr ? (constString(ctx, urlExpr) ?? templatePrefix(ctx, urlExpr)) : undefined;
    if (!url || !/^http:\/\//i.test(url)) return;
    const host = /^http:\/\/([^/]*)/i.exec(url)?.[1] ?? '';
    if (/^(localhost|127\.|\[::1\])/.test(host.replace(/^[^@]*@/, ''))) return;
    const inUrl = /^[^@/]+:[^@/]+@/.test(host);
    const auth = keywordArg(call, 'auth') !== undefined;
    const headers = keywordArg(call, 'headers');
    const authHeader = headers?.k === 'dict' && headers.keys.some((k) => k && /^authorization$/i.test(constString(ctx, k) ?? ''));
    if (inUrl || auth || authHeader) {
      const what = inUrl ? 'a user name and password in the URL' : auth ? 'credentials (`auth=`)' : 'an `Authorization` header';
      ctx.report({ span: call.span, message: `\`${code(ctx, call)}\` sends ${what} to an \`http://\` URL: they cross the network unencrypted.`, fix: 'Use an `https://` URL (with certificate verification left on).', confidence: 'high' });
    }
  }
}

/** The constant start of an f-string or concatenation (`f"http://{host}/api"` -> "http://"). */
function templatePrefix(ctx: RuleContext, e: Expr): string | undefined {
  if (e.k === 'template' && e.parts[0]) return constString(ctx, e.parts[0]);
  if (e.k === 'binop' && e.op === '+') return constString(ctx, e.left) ?? templatePrefix(ctx, e.left);
  return undefined;
}

/** For `x.login()`, the class `x` was built from in this function (`x = ftplib.FTP(...)`), if visible. */
function creatorOf(ctx: RuleContext, recv: Expr, body: Stmt[]): string | undefined {
  if (recv.k === 'call') return calleeName(ctx, recv);
  if (recv.k !== 'name') return undefined;
  let found: string | undefined;
  for (const s of assignmentsTo(body, recv.id)) {
    if (s.value.k === 'call') {
      found = calleeName(ctx, s.value);
    }
  }
  // The last assignment in the function wins (`server = smtplib.SMTP_SSL(...)` after a plain one).
  return found === 'ftplib.FTP' || found === 'smtplib.SMTP' ? found : undefined;
}

function assignmentsTo(body: Stmt[], name: string): Array<Extract<Stmt, { k: 'assign' }>> {
  const out: Array<Extract<Stmt, { k: 'assign' }>> = [];
  const visit = (stmts: Stmt[]): void => {
    for (const s of stmts) {
      if (s.k === 'assign' && s.targets.some((t) => t.k === 'name' && t.id === name)) out.push(s);
      if (s.k === 'with') {
        for (const i of s.items) if (i.target?.k === 'name' && i.target.id === name && i.ctx.k === 'call') out.push({ k: 'assign', targets: [i.target], value: i.ctx, span: s.span });
        visit(s.body);
      } else if (s.k === 'if' || s.k === 'while' || s.k === 'for') {
        visit(s.body);
        visit(s.orelse);
      } else if (s.k === 'try') {
        visit(s.body);
        s.handlers.forEach((h) => visit(h.body));
        visit(s.finalbody);
      }
    }
  };
  visit(body);
  return out;
}
