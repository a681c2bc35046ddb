import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/reflected-xss',
    name: 'HTML response built from untrusted data',
    cwes: [79],
    severity: 'high',
    securitySeverity: 6.1,
    precision: 'high',
    banditIds: ['B703', 'B308'],
    docs: {
      summary: 'Untrusted data is written into an HTML response without escaping.',
      what: 'Follows untrusted data into strings returned by Flask request handlers (sent as text/html), `make_response`, `Response`, Django `HttpResponse`, `Markup` and `mark_safe`. Escaping with `html.escape`/`markupsafe.escape`, JSON responses and templates rendered with autoescaping are safe.',
      why: 'Markup in the value runs as script in the victim\'s browser, with access to their session and the page.',
      example: '@app.route("/hello")\ndef hello():\n    return "<h1>Hello " + request.args["name"] + "</h1>"',
      fix: '@app.route("/hello")\ndef hello():\n    return render_template("hello.html", name=request.args["name"])  # autoescaped',
    },
  },
  sinkKinds: ['xss'],
  effect: 'sends it to the browser as HTML',
  fix: () => 'Render the value through an autoescaping template (`render_template`) or escape it with `markupsafe.escape()`/`html.escape()` before building HTML; return JSON with `jsonify()` when the client expects data.',
});
