/** A small CommonMark-faithful reader of code fences and code spans, to check what renders as prose. */

export interface MarkdownParts {
  /** Contents of fenced code blocks, indentation removed. */
  fences: string[];
  /** Contents of inline code spans. */
  spans: string[];
  /** Everything else: the text GitHub would interpret as Markdown/HTML. */
  prose: string;
}

function splitSpans(line: string, spans: string[]): string {
  let prose = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] === '\\' && i + 1 < line.length) {
      prose += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (line[i] !== '`') {
      prose += line[i++];
      continue;
    }
    let n = 0;
    while (line[i + n] === '`') n++;
    // Find a closing run of exactly n backticks.
    let j = i + n;
    let close = -1;
    while (j < line.length) {
      if (line[j] === '`') {
        let m = 0;
        while (line[j + m] === '`') m++;
        if (m === n) {
          close = j;
          break;
        }
        j += m;
      } else j++;
    }
    if (close < 0) {
      prose += line.slice(i, i + n);
      i += n;
      continue;
    }
    spans.push(line.slice(i + n, close));
    i = close + n;
  }
  return prose;
}

export function splitMarkdown(md: string): MarkdownParts {
  const fences: string[] = [];
  const spans: string[] = [];
  const proseLines: string[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})([^`]*)$/.exec(lines[i]);
    if (!open) {
      proseLines.push(splitSpans(lines[i], spans));
      continue;
    }
    const fenceLength = open[2].length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^\s*(`{3,})\s*$/.exec(lines[j]);
      if (close && close[1].length >= fenceLength) break;
      body.push(lines[j].slice(Math.min(open[1].length, lines[j].length - lines[j].trimStart().length)));
    }
    fences.push(body.join('\n'));
    i = j;
  }
  return { fences, spans, prose: proseLines.join('\n') };
}
