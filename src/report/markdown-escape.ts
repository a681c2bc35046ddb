/**
 * Safe Markdown for GitHub comments. Text that came from a scanned file must render as text:
 * no HTML (`<script>`), no emphasis or links, no @-mentions, no broken code fences.
 */
import { neutralizeControls, oneLine } from './sanitize.js';

function longestBacktickRun(s: string): number {
  let longest = 0;
  for (const m of s.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return longest;
}

/** Escapes prose so it renders literally (one line). */
export function escapeMarkdownText(s: string): string {
  return escapeFragment(oneLine(s));
}

/** Escapes a piece of one line as is, keeping its surrounding spaces. */
function escapeFragment(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]{}|~#!]/g, (ch) => `\\${ch}`)
    // A zero-width space after "@" keeps GitHub from notifying a user or team named in scanned code.
    .replace(/@/g, '@&#8203;');
}

/** An inline code span holding `code` literally, whatever backticks it contains. */
export function inlineCode(code: string): string {
  const text = oneLine(code);
  if (text === '') return '` `';
  const fence = '`'.repeat(longestBacktickRun(text) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * Prose in which `backtick-quoted` parts are code taken from the scanned file (rules write
 * messages that way): those parts become code spans, the rest is escaped text. An unpaired
 * backtick is escaped like any other character.
 */
export function markdownProse(s: string): string {
  const text = oneLine(s);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g)) {
    out += escapeFragment(text.slice(last, m.index));
    out += inlineCode(m[2]);
    last = m.index! + m[0].length;
  }
  return out + escapeFragment(text.slice(last));
}

/** A fenced code block, the fence longer than any backtick run inside, every line indented. */
export function fencedCode(code: string, language: string, indent: string): string[] {
  const body = neutralizeControls(code).replace(/\n+$/, '');
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(body) + 1));
  return [`${indent}${fence}${language}`, ...body.split('\n').map((l) => (l === '' ? '' : indent + l)), `${indent}${fence}`];
}
