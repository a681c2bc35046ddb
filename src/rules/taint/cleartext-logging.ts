import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/cleartext-logging',
    name: 'Secret written to a log',
    cwes: [532, 312],
    severity: 'medium',
    securitySeverity: 5.5,
    precision: 'medium',
    docs: {
      summary: 'A password, key, token or other secret is written to a log.',
      what: 'Follows values read from variables, attributes and keys named like secrets (`password`, `api_key`, `secret`, `auth_token`, `session_id`…) into `logging` calls and `logger.*`/`LOG.*` methods. Hashes, masks (`mask_password`), lengths and booleans derived from them are not secrets.',
      why: 'Logs are copied to log servers, tickets and support bundles and are readable by far more people than the secret was meant for.',
      example: 'LOG.info("connecting as %s with password %s", user, password)',
      fix: 'LOG.info("connecting as %s", user)  # never log the password; mask it if it must appear',
    },
  },
  sinkKinds: ['log'],
  sourceKinds: ['sensitive-password', 'sensitive-secret', 'sensitive-token'],
  confidence: 'medium',
  effect: 'writes it to the log in clear text',
  fix: () => 'Do not log the secret: drop it from the message, or mask it first (e.g. `oslo_utils.strutils.mask_password()`, or log only a hash prefix or its length).',
});
