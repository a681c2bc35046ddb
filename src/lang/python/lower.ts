/** Python front end: source text -> ModuleIR. */
import { lineByLineRanges, type Comment, type ModuleIR, type Span } from '../../ir/types.js';
import { LowerContext } from './context.js';
import { lowerBody } from './lower-stmt.js';
import { pythonModuleName } from './module-name.js';
import { buildSyntax, parseSyntax, type ParsedSource, type SyntaxWalk } from './parser.js';
import { LineIndex } from './positions.js';
import { statementRanges } from './statement-ranges.js';

export interface LowerResult {
  module: ModuleIR;
}

export interface ParsePythonOptions {
  /** Dotted module name; derived from `file` when absent. */
  moduleName?: string;
  isPackage?: boolean;
  /** Expression/statement nesting beyond which subtrees become childless `unknown`s (default 500). */
  maxDepth?: number;
  /** The syntax tree of `source` walked already (by a worker thread, say: parser.ts `walkSyntax`); parsed here when absent. */
  syntax?: SyntaxWalk;
}

export const DEFAULT_MAX_DEPTH = 500;

/**
 * Python also ends lines at a lone CR (old Mac files); same length, so offsets are unchanged. The
 * text `parsePython` parses: a syntax walk done elsewhere must be of this text.
 */
export function normaliseLineEnds(source: string): string {
  return source.includes('\r') ? source.replace(/\r(?!\n)/g, '\n') : source;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
  }
  return lines;
}

/** The source lines of a decoded file, exactly as `parsePython` records them in `ModuleIR.lines`. */
export function sourceLines(source: string): string[] {
  return splitLines(normaliseLineEnds(source));
}

/** Parses and lowers one Python file. Never throws on bad input: errors are recovered and reported. */
export function parsePython(source: string, file: string, opts: ParsePythonOptions = {}): LowerResult {
  const text = normaliseLineEnds(source);
  const derived = opts.moduleName === undefined || opts.isPackage === undefined ? pythonModuleName(file) : undefined;
  const lineIndex = new LineIndex(text);
  const lines = splitLines(text);

  let parsed: ParsedSource | undefined;
  let parseFailure: Span | undefined;
  try {
    parsed = opts.syntax ? buildSyntax(opts.syntax) : parseSyntax(text);
  } catch {
    parseFailure = lineIndex.span(0, text.length);
  }

  const ctx = new LowerContext(text, lineIndex, opts.maxDepth ?? DEFAULT_MAX_DEPTH);
  const module: ModuleIR = {
    file,
    name: opts.moduleName ?? derived!.name,
    isPackage: opts.isPackage ?? derived!.isPackage,
    language: 'python',
    body: parsed ? lowerBody(ctx, parsed.root) : [],
    lines,
    comments: parsed ? parsed.comments.map((c) => comment(text, lineIndex, c.start, c.end)) : [],
    statementRanges: parsed ? statementRanges(parsed.root, lineIndex, lines.length) : lineByLineRanges(lines.length),
    syntaxErrors: parsed ? parsed.errors.map((e) => lineIndex.span(e.start, e.end)) : [parseFailure!],
  };
  if (ctx.truncatedAt.length > 0) module.truncatedAt = ctx.truncatedAt;
  return { module };
}

function comment(text: string, lines: LineIndex, start: number, end: number): Comment {
  let body = text.slice(start + 1, end);
  if (body.endsWith('\r')) body = body.slice(0, -1);
  return { line: lines.line(start), text: body };
}
