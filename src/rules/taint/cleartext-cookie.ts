import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/cleartext-cookie',
    name: 'Password or key stored in a cookie',
    cwes: [315, 312],
    severity: 'medium',
    securitySeverity: 6.5,
    precision: 'medium',
    docs: {
      summary: 'A password, private key or other secret is stored in a cookie in clear text.',
      what: 'Follows values named like passwords and keys into `set_cookie` values. Session identifiers and tokens are what cookies are for and are not reported.',
      why: 'Cookies are stored on the client, sent with every request and readable by scripts unless HttpOnly: the secret leaks to anyone with access to the browser or the traffic.',
      example: 'resp.set_cookie("pw", password)',
      fix: 'session["user_id"] = user.id  # keep secrets on the server; the cookie carries only a session id',
    },
  },
  sinkKinds: ['security-value'],
  sourceKinds: ['sensitive-password', 'sensitive-secret'],
  confidence: 'medium',
  effect: 'stores it in a cookie in clear text',
  fix: () => 'Keep the secret on the server (in the session store or database) and put only an opaque, random session identifier in the cookie.',
});
