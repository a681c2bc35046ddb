import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/xpath-injection',
    name: 'XPath expression built from untrusted data',
    cwes: [643],
    severity: 'high',
    securitySeverity: 7.5,
    precision: 'high',
    docs: {
      summary: 'Untrusted data is inserted into an XPath expression.',
      what: 'Follows untrusted data into the expression of lxml `xpath()`, `etree.XPath` and `elementpath`. Passing the value as an XPath variable (`tree.xpath("//u[@n=$name]", name=value)`) is safe.',
      why: 'Quotes in the value change the query: an attacker can read nodes they should not see or bypass an XML-backed login.',
      example: 'tree.xpath("//user[@name=\'" + request.args["name"] + "\']")',
      fix: 'tree.xpath("//user[@name=$name]", name=request.args["name"])',
    },
  },
  sinkKinds: ['xpath'],
  effect: 'evaluates it as an XPath expression',
  fix: () => 'Keep the XPath expression constant and pass the value as an XPath variable (`tree.xpath("//user[@name=$name]", name=value)`).',
});
