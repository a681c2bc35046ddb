/** Counting for `result.llm`. */
import type { LlmSummary } from '../core/result.js';

export class LlmTally {
  triaged = 0;
  proposed = 0;
  accepted = 0;
  readonly warnings: string[] = [];
  private readonly rejected = new Map<string, number>();

  constructor(private readonly model: string) {}

  reject(reason: string): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  summary(): LlmSummary {
    return {
      model: this.model,
      triaged: this.triaged,
      proposed: this.proposed,
      accepted: this.accepted,
      rejected: [...this.rejected].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([reason, count]) => ({ reason, count })),
      warnings: [...this.warnings],
    };
  }
}
