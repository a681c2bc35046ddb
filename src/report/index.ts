/** Renders a ScanResult in one of redline's report formats. */
import type { ScanResult } from '../core/result.js';
import { renderHumanReview } from './human-review.js';
import { renderJson } from './json.js';
import { renderSarif } from './sarif.js';
import { markdownStyle, textStyle } from './style.js';

export type ReportFormat = 'text' | 'markdown' | 'json' | 'sarif';

export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'markdown', 'json', 'sarif'];

export interface RenderOptions {
  /** ANSI colour in the text format. */
  color: boolean;
  /** List suppressed findings in text/markdown (json and sarif always include them, marked). */
  showSuppressed: boolean;
}

export function renderReport(result: ScanResult, format: ReportFormat, opts: RenderOptions): string {
  switch (format) {
    case 'text':
      return renderHumanReview(result, textStyle(opts.color), opts.showSuppressed);
    case 'markdown':
      return renderHumanReview(result, markdownStyle, opts.showSuppressed);
    case 'json':
      return renderJson(result);
    case 'sarif':
      return renderSarif(result);
    default: {
      const unknown: never = format;
      throw new Error(`unknown report format: ${String(unknown)}`);
    }
  }
}

export { explainCwe, explainRule, renderRuleList } from './explain.js';
