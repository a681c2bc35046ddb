/**
 * The one way redline talks to a model: an OpenAI-compatible chat completion with a timeout,
 * retries with exponential backoff, a token budget and a circuit breaker. Never throws.
 */
import OpenAI from 'openai';
import type { LlmOptions } from './options.js';
import { TokenBudget, estimateTokens } from './budget.js';
import { MAX_RETRY_AFTER_MS, classifyFailure, retryDelayMs, type Failure } from './failure.js';

export interface ChatRequest {
  system: string;
  user: string;
}

export type ChatOutcome =
  | { ok: true; text: string; tokens: number }
  /** `skipped`: not sent (budget exhausted or the endpoint given up on). */
  | { ok: false; skipped: boolean; reason: string };

/** Consecutive failed requests after which nothing more is sent. */
const BREAKER_THRESHOLD = 3;

export class ChatClient {
  readonly budget: TokenBudget;
  private readonly client: OpenAI;
  /** JSON mode and temperature 0; dropped after a 400 from a server that does not support them. */
  private strictParams = true;
  private consecutiveFailures = 0;
  private stoppedBecause: string | undefined;
  private stopFailure: string | undefined;
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly opts: LlmOptions,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.budget = new TokenBudget(opts.maxTokensPerRun);
    // Every credential and header source is explicit: nothing from OPENAI_* reaches another endpoint.
    this.client = new OpenAI({
      baseURL: opts.url,
      apiKey: opts.apiKey ?? 'redline-no-key',
      organization: null,
      project: null,
      webhookSecret: null,
      maxRetries: 0,
      timeout: opts.timeoutMs,
      logLevel: 'off',
    });
  }

  /** Set when the client stopped sending: endpoint unreachable, request rejected, or too many failures. */
  get stopReason(): string | undefined {
    return this.stoppedBecause;
  }
  /** The failure reason that made the client stop (already part of stopReason). */
  get stopFailureReason(): string | undefined {
    return this.stopFailure;
  }
  /** Failed requests grouped by reason. */
  get failureCounts(): ReadonlyMap<string, number> {
    return this.failures;
  }

  async complete(req: ChatRequest): Promise<ChatOutcome> {
    if (this.stoppedBecause) return { ok: false, skipped: true, reason: this.stoppedBecause };
    const reserve = estimateTokens(req.system.length + req.user.length) + (this.opts.maxTokens ?? 0);
    if (!this.budget.tryReserve(reserve)) return { ok: false, skipped: true, reason: 'token budget exhausted' };

    let failure: Failure | undefined;
    for (let attempt = 0; ; attempt++) {
      if (this.stoppedBecause) break;
      try {
        const text = await this.send(req);
        this.budget.settle(reserve, text.tokens ?? estimateTokens(req.system.length + req.user.length + text.content.length));
        this.consecutiveFailures = 0;
        return { ok: true, text: text.content, tokens: text.tokens ?? 0 };
      } catch (err) {
        failure = classifyFailure(err, this.opts.timeoutMs);
      }
      if (failure.status === 400 && this.strictParams) {
        this.strictParams = false; // retry at once without response_format / temperature
        attempt--;
        continue;
      }
      if (failure.kind !== 'transient' || attempt >= this.opts.maxRetries) break;
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs > MAX_RETRY_AFTER_MS) {
        failure = { ...failure, reason: `${failure.reason} (Retry-After ${Math.round(failure.retryAfterMs / 1000)} s, not waited for)` };
        break;
      }
      await this.sleep(retryDelayMs(failure, attempt));
    }
    this.budget.settle(reserve, 0);
    const reason = failure?.reason ?? this.stoppedBecause ?? 'request not completed';
    this.recordFailure(failure, reason);
    return { ok: false, skipped: false, reason };
  }

  private recordFailure(failure: Failure | undefined, reason: string): void {
    this.failures.set(reason, (this.failures.get(reason) ?? 0) + 1);
    this.consecutiveFailures++;
    if (this.stoppedBecause || !failure) return;
    this.stopFailure = reason;
    if (failure.kind === 'unreachable') this.stoppedBecause = `LLM endpoint ${this.opts.url} unreachable: ${reason}`;
    else if (failure.kind === 'rejected') this.stoppedBecause = `LLM endpoint ${this.opts.url} rejected the request: ${reason}`;
    else if (this.consecutiveFailures >= BREAKER_THRESHOLD)
      this.stoppedBecause = `LLM endpoint ${this.opts.url} failed ${this.consecutiveFailures} requests in a row (last: ${reason})`;
    if (!this.stoppedBecause) this.stopFailure = undefined;
  }

  private async send(req: ChatRequest): Promise<{ content: string; tokens?: number }> {
    const completion = await this.client.chat.completions.create(
      {
        model: this.opts.model,
        messages: [
          { role: 'system', content: req.system },
          { role: 'user', content: req.user },
        ],
        ...(this.opts.maxTokens ? { max_tokens: this.opts.maxTokens } : {}),
        ...(this.strictParams ? { temperature: 0, response_format: { type: 'json_object' as const } } : {}),
      },
      { timeout: this.opts.timeoutMs, maxRetries: 0 },
    );
    const content = completion.choices?.[0]?.message?.content ?? '';
    const total = completion.usage?.total_tokens;
    return { content, ...(typeof total === 'number' && total > 0 ? { tokens: total } : {}) };
  }
}
