import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/open-redirect',
    name: 'Redirect to a URL from untrusted data',
    cwes: [601],
    severity: 'medium',
    securitySeverity: 6.1,
    precision: 'high',
    docs: {
      summary: 'Untrusted data chooses where the browser is redirected.',
      what: 'Follows untrusted data into `flask.redirect`, Django `redirect`/`HttpResponseRedirect` and framework redirect responses. Checking `urlparse(url).netloc` against an allow-list (or requiring it to be empty) and Django\'s `url_has_allowed_host_and_scheme` make it safe.',
      why: 'An attacker sends victims a link to your trusted domain that forwards them to a phishing page.',
      example: 'return redirect(request.args["next"])',
      fix: 'target = request.args.get("next", "/")\nif urlparse(target).netloc not in ("", "example.com"):\n    target = "/"\nreturn redirect(target)',
    },
  },
  sinkKinds: ['redirect'],
  effect: 'redirects the browser to it',
  fix: () => 'Redirect only to relative paths or allow-listed hosts: parse the URL with `urllib.parse.urlparse()` and reject it unless `netloc` is empty or in the allow-list, or redirect to a `url_for()` endpoint.',
});
