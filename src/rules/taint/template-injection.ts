import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/template-injection',
    name: 'Server-side template built from untrusted data',
    cwes: [1336, 94],
    severity: 'critical',
    securitySeverity: 9.8,
    precision: 'high',
    docs: {
      summary: 'Untrusted data is compiled as a Jinja2/Django/Mako template.',
      what: 'Follows untrusted data into `render_template_string`, `jinja2.Template`, `Environment.from_string`, Django `Template` and Mako templates. Passing the value as a template variable is safe.',
      why: 'Template syntax such as `{{ ... }}` is evaluated on the server: an attacker can read configuration and often run code.',
      example: 'return render_template_string("Hello " + request.args["name"])',
      fix: 'return render_template_string("Hello {{ name }}", name=request.args["name"])',
    },
  },
  sinkKinds: ['template'],
  effect: 'compiles it as a server-side template',
  fix: () => 'Keep the template text constant and pass the value as a variable (`render_template_string("Hello {{ name }}", name=value)`).',
});
