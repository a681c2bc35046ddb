import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/xxe',
    name: 'XML parsed with external entities from untrusted data',
    cwes: [611],
    severity: 'high',
    securitySeverity: 7.5,
    precision: 'high',
    banditIds: ['B313', 'B314', 'B316', 'B318', 'B319', 'B320', 'B410'],
    docs: {
      summary: 'Untrusted XML is parsed by a parser configured to resolve external entities.',
      what: 'Follows untrusted data into `lxml` parsing with `XMLParser(resolve_entities=True)`, and `xml.sax`/`pulldom` parsers with `feature_external_ges` enabled. `defusedxml` and parsers with entity resolution off are safe.',
      why: 'An external entity such as `<!ENTITY x SYSTEM "file:///etc/passwd">` makes the parser read local files or fetch internal URLs and put them in the document.',
      example: 'parser = etree.XMLParser(resolve_entities=True)\ndoc = etree.fromstring(request.data, parser)',
      fix: 'import defusedxml.ElementTree as ET\ndoc = ET.fromstring(request.data)',
    },
  },
  sinkKinds: ['xxe'],
  effect: 'parses it as XML with external entities enabled',
  fix: () => 'Parse untrusted XML with `defusedxml`, or configure the parser with `resolve_entities=False`, `no_network=True` (lxml) and leave `feature_external_ges` off (SAX).',
});
