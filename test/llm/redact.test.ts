import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTED, isSecretName, looksLikeSecretValue, redactLines, redactSecrets, shannonEntropy } from '../../src/llm/redact.js';

test('string literals assigned to secret-like names are redacted', () => {
  assert.equal(redactSecrets('DB_PASSWORD = "hunter2"'), `DB_PASSWORD = "${REDACTED}"`);
  assert.equal(redactSecrets("self.api_key = 'abc'"), `self.api_key = '${REDACTED}'`);
  assert.equal(redactSecrets('secret: str = "s3"'), `secret: str = "${REDACTED}"`);
  assert.equal(redactSecrets('token = b"xyz"'), `token = b"${REDACTED}"`);
  assert.equal(redactSecrets('PRIVATE_KEY = r"raw"'), `PRIVATE_KEY = r"${REDACTED}"`);
});

test('literals passed as secret-like keyword arguments, dict keys, subscripts or compared are redacted', () => {
  assert.equal(redactSecrets('connect(host="db", password="pw1")'), `connect(host="db", password="${REDACTED}")`);
  assert.equal(redactSecrets('cfg = {"user": "bob", "apiKey": "k1"}'), `cfg = {"user": "bob", "apiKey": "${REDACTED}"}`);
  assert.equal(redactSecrets('headers["X-Api-Key"] = "k2"'), `headers["X-Api-Key"] = "${REDACTED}"`);
  assert.equal(redactSecrets('if password == "letmein":'), `if password == "${REDACTED}":`);
  assert.equal(redactSecrets('if "letmein" == user.password:'), `if "${REDACTED}" == user.password:`);
});

test('ordinary code keeps its strings: reads of secrets, SQL, messages, empty strings', () => {
  const keep = [
    'password = request.form["password"]',
    'token = os.environ.get("API_TOKEN", "")',
    'cur.execute("SELECT * FROM users WHERE name = \'" + name + "\'")',
    'log.info("User logged in successfully from the main page")',
    'password = ""',
    'TOKEN_URL = "https://auth.example.com/oauth/token"',
    'path = "myapp.views.user_profile_detail"',
  ];
  for (const line of keep) assert.equal(redactSecrets(line), line, line);
});

test('high-entropy token-like literals are redacted whatever their name', () => {
  const line = 'client.configure("AKIAIOSFODNN7EXAMPLEwJalrXUtnFEMI/K7MDENG")';
  assert.equal(redactSecrets(line), `client.configure("${REDACTED}")`);
  assert.equal(redactSecrets('# old key: ghp_9aZ3kLmQ7xT2vB8nR4pW6yC1dE5fG0hJ'), `# old key: ${REDACTED}`);
});

test('entropy and token-likeness thresholds', () => {
  assert.equal(shannonEntropy('aaaa'), 0);
  assert.equal(shannonEntropy('abcd'), 2);
  assert.ok(!looksLikeSecretValue('aB3$aB3$aB3$aB3$aB3$')); // 20 chars but entropy 2
  assert.ok(!looksLikeSecretValue('Zx8#Qm2!Lp5@')); // high entropy but short
  assert.ok(looksLikeSecretValue('Zx8#Qm2!Lp5@Rt7%Wv9^'));
  assert.ok(!looksLikeSecretValue('Zx8#Qm2 !Lp5@Rt7%Wv9^ Yb1&')); // has whitespace: prose, not a token
});

test('secret-like names', () => {
  for (const n of ['password', 'DB_PASSWD', 'apiKey', 'X-Api-Key', 'private_key', 'client_secret', 'auth_token', 'pwd']) assert.ok(isSecretName(n), n);
  for (const n of ['user', 'key', 'bypass_mode', 'passenger', 'TOKEN_URL', 'password_field', 'monkey']) assert.ok(!isSecretName(n), n);
});

test('PEM private key blocks are redacted and line numbers are kept', () => {
  const lines = [
    'KEY = """-----BEGIN RSA PRIVATE KEY-----',
    'MIIEowIBAAKCAQEAxK2',
    'abcdefghijklmnop',
    '-----END RSA PRIVATE KEY-----"""',
    'print(KEY)',
  ];
  const out = redactLines(lines);
  assert.equal(out.length, lines.length);
  assert.equal(out[0], `KEY = """${REDACTED}`);
  assert.equal(out[4], 'print(KEY)');
  assert.ok(!out.join('\n').includes('MIIE'));
  assert.ok(!out.join('\n').includes('PRIVATE KEY'));
});

test('a multi-line secret literal keeps the line count', () => {
  const lines = ['password = """line one', 'line two', '"""', 'x = 1'];
  const out = redactLines(lines);
  assert.deepEqual(out, [`password = """${REDACTED}`, '', '"""', 'x = 1']);
});

test('quotes inside comments and escapes do not confuse the scanner', () => {
  assert.equal(redactSecrets("x = 'it\\'s'  # don't\npassword = 'p'"), `x = 'it\\'s'  # don't\npassword = '${REDACTED}'`);
});
