import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/ldap-injection',
    name: 'LDAP filter built from untrusted data',
    cwes: [90],
    severity: 'high',
    securitySeverity: 8.1,
    precision: 'high',
    docs: {
      summary: 'Untrusted data is inserted into an LDAP search filter without escaping.',
      what: 'Follows untrusted data into the filter of `python-ldap` `search_s`/`search_ext_s` and `ldap3` `Connection.search`. `escape_filter_chars` makes it safe.',
      why: 'Characters like `*`, `(`, `)` change the filter: an attacker can match every entry, bypass a login check or enumerate the directory.',
      example: 'conn.search_s(BASE, ldap.SCOPE_SUBTREE, "(uid=" + request.args["user"] + ")")',
      fix: 'from ldap.filter import escape_filter_chars\nconn.search_s(BASE, ldap.SCOPE_SUBTREE, "(uid=%s)" % escape_filter_chars(request.args["user"]))',
    },
  },
  sinkKinds: ['ldap'],
  effect: 'uses it as an LDAP search filter',
  fix: () => 'Escape the value with `ldap.filter.escape_filter_chars()` (python-ldap) or `ldap3.utils.conv.escape_filter_chars()` before putting it into the filter.',
});
