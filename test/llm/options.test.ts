import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LLM_DEFAULTS, llmOptionsFromEnv } from '../../src/llm/options.js';
import { endpointProblem, isLoopbackHost } from '../../src/llm/endpoint.js';

test('options from environment variables, with defaults', () => {
  const opts = llmOptionsFromEnv({ REDLINE_LLM_URL: 'http://127.0.0.1:11434/v1', REDLINE_LLM_MODEL: 'qwen2.5-coder:7b' });
  assert.deepEqual(opts, { url: 'http://127.0.0.1:11434/v1', model: 'qwen2.5-coder:7b', ...LLM_DEFAULTS });
  assert.equal(LLM_DEFAULTS.openReview, true);
  assert.equal(LLM_DEFAULTS.maxTokensPerRun, 200_000);
});

test('environment wins over config; the key comes from the named variable', () => {
  const opts = llmOptionsFromEnv(
    { REDLINE_LLM_MODEL: 'env-model', MY_KEY: 'k-123' },
    { url: 'https://llm.example.com/v1', model: 'config-model', apiKeyEnv: 'MY_KEY', filter: true, concurrency: 2, maxTokens: 800 },
  );
  assert.ok(!('error' in opts));
  assert.equal(opts.url, 'https://llm.example.com/v1');
  assert.equal(opts.model, 'env-model');
  assert.equal(opts.apiKey, 'k-123');
  assert.equal(opts.filter, true);
  assert.equal(opts.concurrency, 2);
  assert.equal(opts.maxTokens, 800);
});

test('missing url, model, key variable or bad numbers are errors', () => {
  assert.match((llmOptionsFromEnv({ REDLINE_LLM_MODEL: 'm' }) as { error: string }).error, /REDLINE_LLM_URL/);
  assert.match((llmOptionsFromEnv({ REDLINE_LLM_URL: 'https://x/v1' }) as { error: string }).error, /REDLINE_LLM_MODEL/);
  assert.match((llmOptionsFromEnv({ REDLINE_LLM_URL: 'not a url', REDLINE_LLM_MODEL: 'm' }) as { error: string }).error, /not a valid URL/);
  assert.match((llmOptionsFromEnv({}, { url: 'https://x/v1', model: 'm', apiKeyEnv: 'NOPE' }) as { error: string }).error, /NOPE/);
  assert.match((llmOptionsFromEnv({}, { url: 'https://x/v1', model: 'm', concurrency: 0 }) as { error: string }).error, /concurrency/);
});

test('endpoint policy: https anywhere, http only to loopback', () => {
  assert.equal(endpointProblem('https://api.openai.com/v1'), undefined);
  assert.equal(endpointProblem('http://127.0.0.1:11434/v1'), undefined);
  assert.equal(endpointProblem('http://127.8.9.10/v1'), undefined);
  assert.equal(endpointProblem('http://localhost:8080/v1'), undefined);
  assert.equal(endpointProblem('http://[::1]:8080/v1'), undefined);
  assert.match(endpointProblem('http://10.0.0.5:8000/v1')!, /refused/);
  assert.match(endpointProblem('http://localhost.example.com/v1')!, /refused/);
  assert.match(endpointProblem('http://128.0.0.1/v1')!, /refused/);
  assert.match(endpointProblem('ftp://127.0.0.1/v1')!, /refused/);
  assert.ok(isLoopbackHost('LOCALHOST'));
  assert.ok(!isLoopbackHost('0.0.0.0'));
});
