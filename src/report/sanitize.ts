/**
 * Scanned files are hostile input: before any of their text reaches a terminal or a rendered
 * comment, control characters (ANSI escapes, carriage returns) and bidirectional overrides
 * ("Trojan Source", CVE-2021-42574) are made visible instead of being interpreted.
 */

// C0 controls except tab and newline, DEL, C1 controls.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// Bidi embeddings/overrides/isolates, plus the line and paragraph separators.
const BIDI = /[\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

function codePoint(ch: string): string {
  return ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
}

/** Multi-line text (code excerpts): keeps tabs and newlines, neutralizes everything else. */
export function neutralizeControls(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, (ch) => `\\x${codePoint(ch).slice(2).toLowerCase()}`)
    .replace(BIDI, (ch) => `<U+${codePoint(ch)}>`);
}

/** One-line prose (messages, fixes, paths): also folds newlines and tabs into spaces. */
export function oneLine(s: string): string {
  return neutralizeControls(s).replace(/\s*\n\s*/g, ' ').replace(/\t/g, ' ').trim();
}
