/**
 * The two human formats share one layout (human-review.ts); a style says how each piece is
 * written: Markdown escapes and fences, plain text keeps it readable in a terminal, with
 * ANSI colour only when asked for.
 */
import type { Severity } from '../core/finding.js';
import { escapeMarkdownText, fencedCode, inlineCode, markdownProse } from './markdown-escape.js';
import { neutralizeControls, oneLine } from './sanitize.js';

export interface ReviewStyle {
  readonly markdown: boolean;
  /** Report title line(s). */
  title(s: string): string;
  /** A section heading. */
  heading(s: string): string;
  /** Emphasis for text already made safe. */
  strong(safe: string): string;
  /** A label such as "Issue:". */
  label(s: string): string;
  /** Literal one-line text. */
  text(s: string): string;
  /** One-line prose whose `backtick-quoted` parts are code from the scanned file. */
  prose(s: string): string;
  /** Inline code. */
  code(s: string): string;
  /** A code excerpt starting at `firstLine`, each line prefixed with `indent`. */
  codeBlock(code: string, language: string, firstLine: number, indent: string): string[];
  /** Colours (text) a piece already made safe according to a severity. */
  severity(sev: Severity, safe: string): string;
  /** Blank line between parts of one list item (Markdown needs them, text reads better without). */
  readonly itemGap: boolean;
}

export const markdownStyle: ReviewStyle = {
  markdown: true,
  title: (s) => `### ${escapeMarkdownText(s)}`,
  heading: (s) => `#### ${escapeMarkdownText(s)}`,
  strong: (safe) => `**${safe}**`,
  label: (s) => `**${escapeMarkdownText(s)}**`,
  text: escapeMarkdownText,
  prose: markdownProse,
  code: inlineCode,
  codeBlock: (code, language, _firstLine, indent) => fencedCode(code, language, indent),
  severity: (_sev, safe) => safe,
  itemGap: true,
};

const ANSI: Record<Severity, string> = {
  critical: '\u001b[1;35m',
  high: '\u001b[1;31m',
  medium: '\u001b[33m',
  low: '\u001b[36m',
};
const ANSI_BOLD = '\u001b[1m';
const ANSI_RESET = '\u001b[0m';

export function textStyle(color: boolean): ReviewStyle {
  const bold = (s: string) => (color ? `${ANSI_BOLD}${s}${ANSI_RESET}` : s);
  return {
    markdown: false,
    title: (s) => bold(oneLine(s)),
    heading: (s) => bold(oneLine(s)),
    strong: bold,
    label: (s) => oneLine(s),
    text: oneLine,
    prose: oneLine,
    code: (s) => `\`${oneLine(s)}\``,
    codeBlock: (code, _language, firstLine, indent) => {
      const lines = neutralizeControls(code).replace(/\n+$/, '').split('\n');
      const width = String(firstLine + lines.length - 1).length;
      return lines.map((l, i) => `${indent}${String(firstLine + i).padStart(width)} | ${l}`.trimEnd());
    },
    severity: (sev, safe) => (color ? `${ANSI[sev]}${safe}${ANSI_RESET}` : safe),
    itemGap: false,
  };
}
