/**
 * Phase timings for performance work, in the spirit of ESLint's `TIMING=1`: with
 * `REDLINE_TIMINGS=1` each phase's wall time goes to stderr. Never part of a report (reports are
 * deterministic; times are not).
 */
const enabled = process.env.REDLINE_TIMINGS === '1';

export class PhaseTimer {
  private last = performance.now();

  constructor(private readonly label: string) {}

  /** Ends the current phase under `phase`. */
  mark(phase: string): void {
    if (!enabled) return;
    const now = performance.now();
    process.stderr.write(`redline timing ${this.label} ${phase}: ${((now - this.last) / 1000).toFixed(2)} s\n`);
    this.last = now;
  }
}
