import { defineTaintRule } from './define.js';

export default defineTaintRule({
  meta: {
    id: 'py/ssrf',
    name: 'Server-side request to a URL from untrusted data',
    cwes: [918],
    severity: 'high',
    securitySeverity: 8.6,
    precision: 'high',
    banditIds: ['B310'],
    docs: {
      summary: 'Untrusted data chooses the URL the server fetches.',
      what: 'Follows untrusted data into the URL of `requests`, `httpx`, `aiohttp`, `urllib` and `http.client` requests. Values passed only as query parameters (`params=`) are not flagged.',
      why: 'The server can be made to reach internal services (cloud metadata at 169.254.169.254, admin interfaces, databases) that the attacker cannot reach directly.',
      example: 'url = request.args["url"]\nreturn requests.get(url).text',
      fix: 'url = request.args["url"]\nif urlparse(url).hostname not in ALLOWED_HOSTS:\n    abort(400)\nreturn requests.get(url, timeout=5).text',
    },
  },
  sinkKinds: ['ssrf'],
  effect: 'makes the server send a request to it',
  fix: () => 'Do not let the client choose the host: keep the base URL constant and pass the value as a query parameter, or parse the URL and accept only allow-listed schemes and hosts (and resolve and block private addresses).',
});
