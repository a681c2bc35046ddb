import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/insecure-randomness',
    name: 'Predictable random value used as a secret',
    cwes: [338, 330],
    severity: 'medium',
    securitySeverity: 5.9,
    precision: 'high',
    banditIds: ['B311'],
    docs: {
      summary: 'A value from the `random` module ends up in a cookie or session that identifies the client (reported at the `random` call).',
      what: 'Follows values from `random.random`, `randint`, `choice`, `getrandbits`… into cookies (`set_cookie`) and session entries.',
      why: '`random` is a Mersenne Twister: its output can be predicted from a few observed values, so tokens built from it can be guessed.',
      example: 'token = str(random.random())\nresp.set_cookie("remember_me", token)',
      fix: 'token = secrets.token_urlsafe(32)\nresp.set_cookie("remember_me", token, secure=True, httponly=True)',
    },
  },
  sinkKinds: ['security-value', 'trust-boundary'],
  sourceKinds: ['weak-random'],
  reportAt: 'source',
  effect: 'stores it where it must be unguessable',
  fix: () => 'Generate security-relevant values with the `secrets` module (`secrets.token_urlsafe()`, `secrets.token_hex()`) or `random.SystemRandom()`.',
});
