import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/regex-injection',
    name: 'Regular expression built from untrusted data',
    cwes: [730, 1333],
    severity: 'medium',
    securitySeverity: 5.3,
    precision: 'high',
    docs: {
      summary: 'Untrusted data is compiled as a regular expression.',
      what: 'Follows untrusted data into the pattern argument of `re.compile`, `re.search`, `re.match` and friends. `re.escape` makes it safe.',
      why: 'An attacker-chosen pattern with nested quantifiers can take exponential time (ReDoS) and stall the worker.',
      example: 're.search(request.args["q"], text)',
      fix: 're.search(re.escape(request.args["q"]), text)',
    },
  },
  sinkKinds: ['regex'],
  effect: 'compiles it as a regular expression',
  fix: () => 'Escape the value with `re.escape()` when it should match literally, or accept only patterns from a fixed list.',
});
