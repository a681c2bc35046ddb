import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isHighEntropy,
  isPlaceholder,
  judgeSecretValue,
  looksLikeProse,
  looksLikeReference,
  shannonEntropy,
} from '../../src/rules/python/util/secret-values.js';

test('placeholders are recognised', () => {
  for (const v of ['', '  ', 'changeme', 'CHANGE_ME', 'password', 'secret', 'xxxxxxxx', '********', '<password>', '{password}',
    '${DB_PASSWORD}', '%(password)s', 'None', 'null', 'test', 'example', 'dummy', 'fake', 'TODO', 'your-api-key-here', 'replace-me-in-prod']) {
    assert.ok(isPlaceholder(v), JSON.stringify(v));
  }
  for (const v of ['hunter2', 'Tr0ub4dor&3', 'ghp_9aF3kLm2Qx7Rt5Vw8Yz1Bc4De6Gh0JkLmNo', 's3cr3t-P4ss']) {
    assert.ok(!isPlaceholder(v), v);
  }
});

test('references are not secrets', () => {
  for (const v of ['https://auth.example.com/token', '/etc/app/key.pem', './secrets.json', 'keys/server.key', 'DB_PASSWORD', '--password', 'db.password']) {
    assert.ok(looksLikeReference(v), v);
  }
  assert.ok(!looksLikeReference('hunter22'));
});

test('prose is not a secret', () => {
  assert.ok(looksLikeProse('Enter your password:'));
  assert.ok(looksLikeProse('Please type the new password'));
  assert.ok(!looksLikeProse('hunter2!'));
});

test('entropy', () => {
  assert.equal(shannonEntropy(''), 0);
  assert.equal(shannonEntropy('aaaa'), 0);
  assert.equal(shannonEntropy('abcd'), 2);
  assert.ok(isHighEntropy('ghp_9aF3kLm2Qx7Rt5Vw8Yz1Bc4De6Gh0JkLmNo'));
  assert.ok(isHighEntropy('9c1e5f0a7b3d4e2f8a6c0b1d9e7f3a2c'));
  assert.ok(!isHighEntropy('aaaaaaaaaaaaaaaaaaaa'));
  assert.ok(!isHighEntropy('short1A'));
  assert.ok(!isHighEntropy('this is a long sentence'));
});

test('judgeSecretValue', () => {
  assert.deepEqual(judgeSecretValue('Tr0ub4dor&3', true), { secret: true, strong: true });
  assert.equal(judgeSecretValue('abc12', true).secret, true);
  assert.equal(judgeSecretValue('abc12', false).secret, false);
  assert.equal(judgeSecretValue('Bearer', false).secret, false);
  assert.equal(judgeSecretValue('changeme', true).secret, false);
  assert.equal(judgeSecretValue('abc', true).secret, false);
});
