import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/header-injection',
    name: 'HTTP header built from untrusted data',
    cwes: [113],
    severity: 'medium',
    securitySeverity: 6.1,
    precision: 'medium',
    docs: {
      summary: 'Untrusted data is written into an HTTP response header.',
      what: 'Follows untrusted data into assignments to `response.headers[...]`.',
      why: 'CR/LF characters in the value can split the response, set cookies or inject content, on servers and proxies that do not reject them.',
      example: 'resp.headers["X-User"] = request.args["user"]',
      fix: 'user = request.args["user"].replace("\\r", "").replace("\\n", "")\nresp.headers["X-User"] = user',
    },
  },
  sinkKinds: ['header'],
  confidence: 'medium',
  effect: 'writes it into an HTTP response header',
  fix: () => 'Reject or strip `\\r` and `\\n` from the value (or validate it against a strict pattern) before putting it in a header.',
});
