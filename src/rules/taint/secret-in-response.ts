import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/secret-in-response',
    name: 'Password or key sent in an HTTP response',
    cwes: [201, 200],
    severity: 'medium',
    securitySeverity: 6.5,
    precision: 'medium',
    docs: {
      summary: 'A password, private key or other secret is written into an HTML response.',
      what: 'Follows values named like passwords and keys into strings returned by request handlers, `make_response`, `Response` and `HttpResponse`.',
      why: 'The response reaches the browser, caches, proxies and logs of every hop; a secret in it is disclosed to all of them.',
      example: 'return "<p>Your password is " + user.password + "</p>"',
      fix: 'return render_template("reset.html")  # never send the secret back; send a reset link instead',
    },
  },
  sinkKinds: ['xss'],
  sourceKinds: ['sensitive-password', 'sensitive-secret'],
  confidence: 'medium',
  effect: 'sends it to the client in the response body',
  fix: () => 'Do not send secrets back to the client: drop the value from the response, or show a masked form (last four characters) if the user must recognise it.',
});
