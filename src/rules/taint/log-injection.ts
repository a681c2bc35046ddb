import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/log-injection',
    name: 'Log entry built from untrusted data',
    cwes: [117],
    severity: 'low',
    securitySeverity: 4.3,
    precision: 'medium',
    docs: {
      summary: 'Untrusted data is written to a log without neutralising line breaks.',
      what: 'Follows untrusted request data into `logging` calls and `logger.*` methods.',
      why: 'Newlines in the value let an attacker forge log entries and mislead whoever investigates an incident.',
      example: 'logger.info("login failed for " + request.form["user"])',
      fix: 'user = request.form["user"].replace("\\n", "\\\\n").replace("\\r", "\\\\r")\nlogger.info("login failed for %s", user)',
    },
  },
  sinkKinds: ['log'],
  confidence: 'low',
  effect: 'writes it to the log',
  fix: () => 'Escape `\\r` and `\\n` in the value before logging it (or use a structured log formatter that encodes fields).',
});
