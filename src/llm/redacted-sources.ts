/** The scanned files as the model may see them: redacted once per file, on demand. */
import { redactLines } from './redact.js';

export class RedactedSources {
  private readonly cache = new Map<string, string[]>();

  constructor(private readonly sources: ReadonlyMap<string, readonly string[]>) {}

  original(file: string): readonly string[] | undefined {
    return this.sources.get(file);
  }

  redacted(file: string): readonly string[] | undefined {
    let lines = this.cache.get(file);
    if (!lines) {
      const src = this.sources.get(file);
      if (!src) return undefined;
      lines = redactLines(src);
      this.cache.set(file, lines);
    }
    return lines;
  }

  files(): string[] {
    return [...this.sources.keys()].sort();
  }
}

/** "  12| code" — the numbering the model is asked to cite. */
export function numberLine(n: number, text: string): string {
  return `${String(n).padStart(5)}| ${text}`;
}

/** Strips a copied "12| " numbering prefix from a model's quote. */
export function stripLineNumber(quote: string): string {
  return quote.replace(/^\s*\d+\s*\|\s?/, '');
}
