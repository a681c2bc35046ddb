/** Token budget for one run: reserve an estimate before sending, settle with the reported usage. */

/** The usual rough estimate: four characters per token. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

export class TokenBudget {
  private used = 0;
  private skipped = 0;

  constructor(readonly limit: number) {}

  /** Reserves `tokens` when they fit in what is left; false (and counted as skipped) when not. */
  tryReserve(tokens: number): boolean {
    if (this.used + tokens > this.limit) {
      this.skipped++;
      return false;
    }
    this.used += tokens;
    return true;
  }

  /** Replaces a reservation by the tokens actually spent. */
  settle(reserved: number, actual: number): void {
    this.used += actual - reserved;
  }

  get tokensUsed(): number {
    return this.used;
  }
  get requestsSkipped(): number {
    return this.skipped;
  }
}
