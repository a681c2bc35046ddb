import type { TaintRule } from '../types.js';
import commandInjection from './command-injection.js';
import sqlInjection from './sql-injection.js';
import codeInjection from './code-injection.js';
import pathTraversal from './path-traversal.js';
import xss from './xss.js';
import openRedirect from './open-redirect.js';
import ssrf from './ssrf.js';
import unsafeDeserialization from './unsafe-deserialization.js';
import xxe from './xxe.js';
import ldapInjection from './ldap-injection.js';
import xpathInjection from './xpath-injection.js';
import trustBoundary from './trust-boundary.js';
import headerInjection from './header-injection.js';
import logInjection from './log-injection.js';
import regexInjection from './regex-injection.js';
import nosqlInjection from './nosql-injection.js';
import templateInjection from './template-injection.js';
import weakRandomToken from './weak-random-token.js';
import cleartextLogging from './cleartext-logging.js';
import cleartextCookie from './cleartext-cookie.js';
import secretInResponse from './secret-in-response.js';

export const pythonTaintRules: TaintRule[] = [
  commandInjection, sqlInjection, codeInjection, pathTraversal, xss, openRedirect, ssrf, unsafeDeserialization, xxe,
  ldapInjection, xpathInjection, trustBoundary, headerInjection, logInjection, regexInjection, nosqlInjection,
  templateInjection, weakRandomToken, cleartextLogging, cleartextCookie, secretInResponse,
];
