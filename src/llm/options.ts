/** LLM review options: defaults, and reading them from the environment and the config file. */

export interface LlmOptions {
  /** OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1. */
  url: string;
  model: string;
  apiKey?: string;
  /** --llm-filter: findings the model judges false positives are marked suppressed (kind 'model'). */
  filter: boolean;
  /** Ask the model for findings the static analysis did not report. */
  openReview: boolean;
  /** Token budget for one run (prompt + completion). */
  maxTokensPerRun: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Per-request timeout. */
  timeoutMs: number;
  /** Retries after a 429, a 5xx, a timeout or a network error. */
  maxRetries: number;
  /** Completion tokens per request (sent as max_tokens); unset: the server's default. */
  maxTokens?: number;
}

/** The `llm` table of the config file, keys in camelCase (src/config/schema.ts reads the file's kebab-case). */
export interface LlmConfig {
  url?: string;
  model?: string;
  /** Name of the environment variable that holds the API key (default REDLINE_LLM_API_KEY). */
  apiKeyEnv?: string;
  filter?: boolean;
  openReview?: boolean;
  maxTokensPerRun?: number;
  concurrency?: number;
  timeoutMs?: number;
  maxRetries?: number;
  maxTokens?: number;
}

export const LLM_DEFAULTS = {
  filter: false,
  openReview: true,
  maxTokensPerRun: 200_000,
  concurrency: 4,
  timeoutMs: 60_000,
  maxRetries: 2,
} as const;

export const ENV_URL = 'REDLINE_LLM_URL';
export const ENV_MODEL = 'REDLINE_LLM_MODEL';
export const ENV_API_KEY = 'REDLINE_LLM_API_KEY';

/**
 * Options from the environment, falling back to the config file; environment variables win.
 * Returns an error message when the endpoint or the model is missing or a number is invalid.
 */
export function llmOptionsFromEnv(env: NodeJS.ProcessEnv, config: LlmConfig = {}): LlmOptions | { error: string } {
  const url = nonEmpty(env[ENV_URL]) ?? nonEmpty(config.url);
  if (!url) return { error: `LLM review needs an endpoint: set ${ENV_URL} or llm.url in the config` };
  try {
    new URL(url);
  } catch {
    return { error: `LLM endpoint ${JSON.stringify(url)} is not a valid URL` };
  }
  const model = nonEmpty(env[ENV_MODEL]) ?? nonEmpty(config.model);
  if (!model) return { error: `LLM review needs a model: set ${ENV_MODEL} or llm.model in the config` };

  const keyVar = nonEmpty(config.apiKeyEnv) ?? ENV_API_KEY;
  const apiKey = nonEmpty(env[keyVar]);
  if (config.apiKeyEnv && !apiKey) return { error: `llm.apiKeyEnv names ${keyVar}, which is not set` };

  const numbers: Array<[keyof LlmConfig, number, number]> = [
    ['maxTokensPerRun', config.maxTokensPerRun ?? LLM_DEFAULTS.maxTokensPerRun, 1],
    ['concurrency', config.concurrency ?? LLM_DEFAULTS.concurrency, 1],
    ['timeoutMs', config.timeoutMs ?? LLM_DEFAULTS.timeoutMs, 1],
    ['maxRetries', config.maxRetries ?? LLM_DEFAULTS.maxRetries, 0],
  ];
  if (config.maxTokens !== undefined) numbers.push(['maxTokens', config.maxTokens, 1]);
  for (const [key, value, min] of numbers) {
    if (!Number.isInteger(value) || value < min) return { error: `llm.${key} must be an integer >= ${min}, got ${String(value)}` };
  }
  const [maxTokensPerRun, concurrency, timeoutMs, maxRetries] = numbers.map((n) => n[1]) as [number, number, number, number];
  return {
    url,
    model,
    ...(apiKey ? { apiKey } : {}),
    filter: config.filter ?? LLM_DEFAULTS.filter,
    openReview: config.openReview ?? LLM_DEFAULTS.openReview,
    maxTokensPerRun,
    concurrency,
    timeoutMs,
    maxRetries,
    ...(config.maxTokens !== undefined ? { maxTokens: config.maxTokens } : {}),
  };
}

function nonEmpty(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? t : undefined;
}
