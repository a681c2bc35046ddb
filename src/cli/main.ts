/** The `redline` command line. */
import { Command, CommanderError, Option } from 'commander';
import { writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { CONFIDENCES, SEVERITIES, type Confidence, type Severity } from '../core/finding.js';
import type { ScanResult } from '../core/result.js';
import { cweKind } from '../core/cwe.js';
import { loadConfig, ConfigError, type LoadedConfig } from '../config/config.js';
import { renderReport, explainRule, explainCwe, renderRuleList, type ReportFormat, REPORT_FORMATS } from '../report/index.js';
import { analyze } from '../scan.js';
import { allRules, ruleMetas } from '../rules/index.js';
import { writeBaseline } from '../core/baseline.js';
import { VERSION } from '../version.js';
import { runReview, ReviewError } from '../review/review.js';
import { defaultJobs } from '../parallel/load-modules.js';
import { createProgress } from './progress.js';

class UsageError extends Error {}

interface CommonOptions {
  format: ReportFormat;
  output?: string;
  minSeverity?: Severity;
  minConfidence?: Confidence;
  exclude: string[];
  jobs?: string;
  color: boolean;
  config?: string;
  showSuppressed?: boolean;
  baseline?: string;
  writeBaseline?: string;
  llm?: boolean;
  llmFilter?: boolean;
  local?: boolean;
  debug?: boolean;
  quiet?: boolean;
  /** commander's negation of --no-cache. */
  cache: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function commonOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'report format').choices([...REPORT_FORMATS]).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .addOption(new Option('--min-severity <level>', 'report findings at or above this severity').choices([...SEVERITIES]))
    .addOption(new Option('--min-confidence <level>', 'report findings at or above this confidence (default: medium; low adds hardening notes)').choices([...CONFIDENCES]))
    .option('--exclude <glob>', 'skip files matching the glob (repeatable)', collect, [])
    .option('-j, --jobs <n>', 'threads that parse, this one included (default: number of cores)')
    .option('--no-color', 'no ANSI colour in text output (also NO_COLOR, or when not a terminal)')
    .option('-c, --config <file>', 'configuration file (default: nearest .redline.yml or pyproject.toml [tool.redline])')
    .option('--show-suppressed', 'list suppressed findings in text and Markdown reports')
    .option('--local', 'also treat local input (argv, environment, stdin) as untrusted')
    .option('--llm', 'ask an OpenAI-compatible model to triage findings and propose extra ones (see docs/llm.md)')
    .option('--llm-filter', 'with --llm: hide findings the model judges false positives (they stay in JSON/SARIF, marked)')
    .option('-q, --quiet', 'no progress output')
    .option('--no-cache', 'neither read nor write the cache (.redline-cache/ or the configured cache-dir)')
    .option('--debug', 'print stack traces on internal errors');
}

function resolveConfig(opts: CommonOptions, startDir: string): LoadedConfig {
  const config = loadConfig({ startDir, explicitPath: opts.config });
  if (opts.minSeverity) config.minSeverity = opts.minSeverity;
  if (opts.minConfidence) config.minConfidence = opts.minConfidence;
  if (opts.local && !config.threatModels.includes('local')) config.threatModels = [...config.threatModels, 'local'];
  return config;
}

function parseJobs(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--jobs expects a whole number from 1 to 256, got "${v}"`);
  return n;
}

function useColor(opts: CommonOptions): boolean {
  if (!opts.color || process.env['NO_COLOR'] !== undefined) return false;
  if (opts.output) return false;
  return !!process.stdout.isTTY;
}

function emit(text: string, output: string | undefined): void {
  if (output) {
    const tmp = `${output}.${process.pid}.tmp`;
    writeFileSync(tmp, text.endsWith('\n') ? text : `${text}\n`);
    renameSync(tmp, output);
  } else {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

async function maybeLlm(result: ScanResult, files: Map<string, { lines: string[] }>, opts: CommonOptions, config: LoadedConfig): Promise<ScanResult> {
  if (!opts.llm) return result;
  const { applyLlm, llmOptionsFromEnv } = await import('../llm/index.js');
  const llmOpts = llmOptionsFromEnv(process.env, config.llm);
  if ('error' in llmOpts) {
    process.stderr.write(`redline: --llm: ${llmOpts.error}; static report only\n`);
    return result;
  }
  const sources = new Map<string, string[]>();
  for (const [file, f] of files) sources.set(file, f.lines);
  const out = await applyLlm(result, sources, { ...llmOpts, filter: !!opts.llmFilter || llmOpts.filter });
  for (const w of out.llm?.warnings ?? []) process.stderr.write(`redline: warning: ${w}\n`);
  return out;
}

function exitCodeFor(result: ScanResult): number {
  return result.findings.some((f) => !f.suppression) ? 1 : 0;
}

async function scanCommand(paths: string[], opts: CommonOptions): Promise<number> {
  const roots = paths.length ? paths : ['.'];
  const jobs = parseJobs(opts.jobs) ?? defaultJobs();
  const config = resolveConfig(opts, roots[0]!);
  const progress = createProgress({ quiet: !!opts.quiet });
  let analysed;
  try {
    analysed = await analyze({ roots, config, exclude: opts.exclude, baseline: opts.baseline, jobs, noCache: !opts.cache, onProgress: (d, t) => progress.update(d, t) });
  } finally {
    progress.stop();
  }
  const { result: scanned, files } = analysed;
  if (opts.writeBaseline) writeBaseline(opts.writeBaseline, scanned.findings);
  const result = await maybeLlm(scanned, files, opts, config);
  emit(renderReport(result, opts.format, { color: useColor(opts), showSuppressed: !!opts.showSuppressed }), opts.output);
  return exitCodeFor(result);
}

async function reviewCommand(opts: CommonOptions & { base?: string; staged?: boolean; diff?: string; repo?: string; wholeProgram?: boolean }): Promise<number> {
  const jobs = parseJobs(opts.jobs) ?? defaultJobs();
  const repo = path.resolve(opts.repo ?? '.');
  const config = resolveConfig(opts, repo);
  const { result: reviewed, files } = await runReview({ repo, base: opts.base, staged: !!opts.staged, diff: opts.diff, config, exclude: opts.exclude, jobs, wholeProgram: !!opts.wholeProgram, noCache: !opts.cache });
  const result = await maybeLlm(reviewed, files, opts, config);
  emit(renderReport(result, opts.format, { color: useColor(opts), showSuppressed: !!opts.showSuppressed }), opts.output);
  return exitCodeFor(result);
}

function explainCommand(target: string): number {
  const cwe = /^CWE-(\d+)$/i.exec(target.trim());
  if (cwe) {
    const id = Number(cwe[1]);
    if (cweKind(id) === 'unknown') throw new UsageError(`CWE-${id} is not in the MITRE CWE catalog`);
    emit(explainCwe(id, ruleMetas()), undefined);
    return 0;
  }
  const rule = allRules.find((r) => r.meta.id === target);
  if (!rule) throw new UsageError(`unknown rule "${target}" (see \`redline rules\`)`);
  emit(explainRule(rule.meta), undefined);
  return 0;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('redline')
    .description('Security code reviewer: whole-program taint analysis and precise rules; findings with MITRE CWE and proof.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  commonOptions(program.command('scan').description('review files or directories').argument('[paths...]', 'files or directories to scan (default: .)'))
    .option('--baseline <file>', 'hide findings recorded in this baseline file')
    .option('--write-baseline <file>', 'record the findings of this scan as a baseline')
    .action(async (paths: string[], opts: CommonOptions) => {
      program.setOptionValue('exitCode', await scanCommand(paths, opts));
    });

  commonOptions(program.command('review').description('review a change: report only what it introduces'))
    .option('--base <rev>', 'git revision to compare with (default: merge-base with upstream, main or master)')
    .option('--staged', 'review the staged changes (for a pre-commit hook)')
    .option('--diff <file>', 'review a unified diff / patch applied to the working tree ("-" for standard input)')
    .option('--repo <dir>', 'repository directory (default: .)')
    .option('--whole-program', 'analyse all of both states, not only the part the change can affect (slower; for checking)')
    .action(async (opts: CommonOptions & { base?: string; staged?: boolean; diff?: string; repo?: string; wholeProgram?: boolean }) => {
      program.setOptionValue('exitCode', await reviewCommand(opts));
    });

  program
    .command('rules')
    .description('list every rule with its CWEs, severity and precision')
    .action(() => {
      emit(renderRuleList(ruleMetas()), undefined);
      program.setOptionValue('exitCode', 0);
    });

  program
    .command('explain')
    .description("print a rule's documentation, or a CWE's description and mitigations")
    .argument('<rule-or-cwe>', 'rule id (py/sql-injection) or CWE-N')
    .action((target: string) => {
      program.setOptionValue('exitCode', explainCommand(target));
    });
  return program;
}

/** Runs the CLI; returns the exit code (0 clean, 1 findings, 2 usage/config/internal error). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv);
    return (program.getOptionValue('exitCode') as number | undefined) ?? 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    const err = e as Error;
    if (debug) process.stderr.write(`${err.stack ?? err.message}\n`);
    const kind = err instanceof ConfigError ? 'config error' : err instanceof UsageError || err instanceof ReviewError ? 'error' : /path not found|baseline|model file/i.test(err.message) ? 'error' : 'internal error';
    process.stderr.write(`redline: ${kind}: ${err.message.split('\n')[0]}\n`);
    return 2;
  }
}
