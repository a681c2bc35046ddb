import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifySensitiveName,
  isSecretProducerName,
  isUnpredictableValueName,
  splitWords,
} from '../../src/core/sensitive-names.js';

test('splitWords splits snake, camel, acronyms and digits', () => {
  assert.deepEqual(splitWords('dbPassword2'), ['db', 'password', '2']);
  assert.deepEqual(splitWords('APIKey'), ['api', 'key']);
  assert.deepEqual(splitWords('AWS_SECRET_ACCESS_KEY'), ['aws', 'secret', 'access', 'key']);
  assert.deepEqual(splitWords('client-secret.value'), ['client', 'secret', 'value']);
});

test('names that hold secrets', () => {
  const cases: Array<[string, string]> = [
    ['password', 'password'],
    ['DB_PASSWORD', 'password'],
    ['adminPwd', 'password'],
    ['db_pass', 'password'],
    ['passphrase', 'password'],
    ['api_key', 'secret'],
    ['apikey', 'secret'],
    ['access_key', 'secret'],
    ['private_key', 'crypto-key'],
    ['SIGNING_KEY', 'crypto-key'],
    ['secret_key', 'crypto-key'],
    ['client_secret', 'secret'],
    ['credentials', 'secret'],
    ['session_id', 'secret'],
    ['sessionid', 'secret'],
    ['auth_token', 'token'],
    ['password_reset_token', 'token'],
  ];
  for (const [name, kind] of cases) assert.equal(classifySensitiveName(name), kind, name);
});

test('names that describe a secret without holding one', () => {
  for (const name of [
    'password_hash', 'hashed_password', 'token_url', 'TOKEN_TYPE', 'is_password_set', 'has_token', 'password_field',
    'max_token_length', 'password_prompt', 'secret_name', 'key', 'bypass', 'tokenizer', 'tokens', 'monkey', 'keyboard',
    'password_salt', 'encrypted_password', 'PASSWORD_RESET_TIMEOUT', 'password_file', 'key_name', 'first_name', 'token_count',
  ]) {
    assert.equal(classifySensitiveName(name), undefined, name);
  }
});

test('values that must be unpredictable', () => {
  for (const name of ['otp', 'nonce', 'salt', 'reset_code', 'verification_code', 'csrf_token', 'session_key', 'iv']) {
    assert.ok(isUnpredictableValueName(name), name);
  }
  for (const name of ['delay', 'jitter', 'index', 'choice', 'sample', 'salt_length', 'code', 'country_code']) {
    assert.ok(!isUnpredictableValueName(name), name);
  }
});

test('functions that produce secrets', () => {
  for (const name of ['generate_token', 'make_password', 'new_session_id', 'random_otp', 'create_api_key', 'gen_salt']) {
    assert.ok(isSecretProducerName(name), name);
  }
  for (const name of ['generate_report', 'make_thumbnail', 'new_user', 'random_color', 'get_user']) {
    assert.ok(!isSecretProducerName(name), name);
  }
});
