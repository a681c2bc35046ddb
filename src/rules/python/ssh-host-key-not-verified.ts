/** py/ssh-host-key-not-verified: paramiko accepting unknown SSH host keys. */
import type { PatternRule } from '../types.js';
import { code, qname } from './util/ir.js';
import { callsWhere } from './util/calls.js';

const ACCEPTING_POLICIES = /(^|\.)(AutoAddPolicy|WarningPolicy)$/;

export const sshHostKeyNotVerified: PatternRule = {
  meta: {
    id: 'py/ssh-host-key-not-verified',
    name: 'SSH host key not verified',
    cwes: [295],
    severity: 'high',
    securitySeverity: 7.4,
    precision: 'very-high',
    kind: 'pattern',
    languages: ['python'],
    banditIds: ['B507'],
    tags: ['ssh'],
    docs: {
      summary: 'paramiko clients that accept any host key (`AutoAddPolicy`, `WarningPolicy`).',
      what: 'Finds `set_missing_host_key_policy(...)` given `AutoAddPolicy` or `WarningPolicy` (instance or class).',
      why:
        'The host key is how SSH proves the server is the real one. Accepting unknown keys lets a man-in-the-middle pose as ' +
        'the server and capture the password or the commands and data of the session.',
      example: 'client = paramiko.SSHClient()\nclient.set_missing_host_key_policy(paramiko.AutoAddPolicy())',
      fix: 'client = paramiko.SSHClient()\nclient.load_system_host_keys()  # or load_host_keys(known_hosts_path)\nclient.set_missing_host_key_policy(paramiko.RejectPolicy())',
    },
  },
  check(ctx) {
    callsWhere(ctx, () => false, ['set_missing_host_key_policy']).forEach(({ node }) => {
      const arg = node.args[0]?.value;
      if (!arg) return;
      const policy = qname(ctx, arg.k === 'call' ? arg.fn : arg) ?? '';
      const m = ACCEPTING_POLICIES.exec(policy);
      if (!m) return;
      ctx.report({
        span: node.span,
        message: `\`${code(ctx, node)}\` accepts the host key of any server it has not seen before (${m[2]}), so the first connection — or any after the key is lost — can be intercepted.`,
        fix: 'Load known host keys (`client.load_system_host_keys()` / `load_host_keys(path)`) and use `paramiko.RejectPolicy()`.',
        confidence: 'high',
      });
    });
  },
};
