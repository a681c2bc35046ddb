import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/trust-boundary-violation',
    name: 'Untrusted data stored in the session',
    cwes: [501],
    severity: 'medium',
    securitySeverity: 5.3,
    precision: 'medium',
    docs: {
      summary: 'Untrusted request data is stored in the server-side session without validation.',
      what: 'Follows untrusted data into `flask.session[...] = ...` and Django `request.session[...] = ...`.',
      why: 'Code that later reads the session treats its contents as trusted; mixing unvalidated input into it lets an attacker plant values that other code relies on (user ids, roles, flags).',
      example: 'session["user"] = request.args["user"]',
      fix: 'user = request.args["user"]\nif user not in KNOWN_USERS:\n    abort(400)\nsession["user"] = user',
    },
  },
  sinkKinds: ['trust-boundary'],
  confidence: 'medium',
  effect: 'stores it in the trusted session',
  fix: () => 'Validate the value (type, format, allow-list) before storing it in the session, or keep untrusted input out of the session altogether.',
});
