/**
 * The configuration's keys, types and defaults, and the validation of a raw parsed table into a
 * RedlineConfig. Validation is all-or-nothing: the first problem throws a ConfigError.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { CONFIDENCES, SEVERITIES, type Confidence, type Severity } from '../core/finding.js';

export type ThreatModel = 'remote' | 'local';
export type TestsMode = 'skip' | 'downgrade' | 'include';

/**
 * The `llm` table as written; unset keys stay undefined so that the LLM module's own defaults
 * (src/llm/options.ts LLM_DEFAULTS) apply. Structurally assignable to that module's LlmConfig.
 */
export interface LlmConfig {
  url?: string;
  model?: string;
  /** Name of the environment variable holding the API key (the key itself never sits in a file). */
  apiKeyEnv?: string;
  /** Completion tokens per request. */
  maxTokens?: number;
  /** Token budget for the whole run. */
  maxTokensPerRun?: number;
  concurrency?: number;
  timeoutMs?: number;
  maxRetries?: number;
  /** Mark findings the model judges false positives as suppressed. */
  filter?: boolean;
  /** Ask the model for findings the static analysis did not report. */
  openReview?: boolean;
}

export interface RedlineConfig {
  include: string[];
  exclude: string[];
  rules: { enable: string[]; disable: string[] };
  cwes: { enable: number[]; disable: number[] };
  minSeverity: Severity;
  minConfidence: Confidence;
  threatModels: ThreatModel[];
  /** Absolute paths of extra model YAML files. */
  models: string[];
  tests: TestsMode;
  /** Bytes. */
  maxFileSize: number;
  nosec: boolean;
  /** Absolute path (relative values are resolved against the config file's directory). */
  cacheDir: string;
  cache: boolean;
  llm: LlmConfig;
}

/** Single-line error: `<file>: key 'min-severity': expected one of low|medium|high|critical, got "urgent"`. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, ' '));
    this.name = 'ConfigError';
  }
}

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;
export const DEFAULT_CACHE_DIR = '.redline-cache';
export const THREAT_MODELS: readonly ThreatModel[] = ['remote', 'local'];
export const TESTS_MODES: readonly TestsMode[] = ['skip', 'downgrade', 'include'];

/** Defaults; `projectDir` anchors the cache directory. */
export function defaultConfig(projectDir: string): RedlineConfig {
  return {
    include: [],
    exclude: [],
    rules: { enable: [], disable: [] },
    cwes: { enable: [], disable: [] },
    minSeverity: 'low',
    minConfidence: 'medium',
    threatModels: ['remote'],
    models: [],
    tests: 'downgrade',
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
    nosec: true,
    cacheDir: path.resolve(projectDir, DEFAULT_CACHE_DIR),
    cache: true,
    llm: {},
  };
}

type Table = Record<string, unknown>;

/** Reads one key's value; throws ConfigError naming file and key. */
class KeyReader {
  constructor(
    private readonly file: string,
    private readonly prefix: string,
  ) {}

  fail(key: string, expected: string, got: unknown): never {
    throw new ConfigError(`${this.file}: key '${this.prefix}${key}': expected ${expected}, got ${describe(got)}`);
  }

  strings(key: string, value: unknown): string[] {
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '')) {
      this.fail(key, 'a list of non-empty strings', value);
    }
    return value as string[];
  }

  oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !allowed.includes(value as T)) this.fail(key, `one of ${allowed.join('|')}`, value);
    return value as T;
  }

  boolean(key: string, value: unknown): boolean {
    if (typeof value !== 'boolean') this.fail(key, 'true or false', value);
    return value;
  }

  string(key: string, value: unknown): string {
    if (typeof value !== 'string' || value.trim() === '') this.fail(key, 'a non-empty string', value);
    return value;
  }

  positiveInteger(key: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) this.fail(key, 'a positive integer', value);
    return value;
  }

  nonNegativeInteger(key: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) this.fail(key, 'a whole number >= 0', value);
    return value;
  }

  cweList(key: string, value: unknown): number[] {
    if (!Array.isArray(value)) this.fail(key, 'a list of CWE ids (89 or "CWE-89")', value);
    return value.map((v) => {
      const n = parseCwe(v);
      if (n === undefined) this.fail(key, 'a list of CWE ids (89 or "CWE-89")', v);
      return n;
    });
  }

  table(key: string, value: unknown): Table {
    if (!isTable(value)) this.fail(key, 'a table of keys', value);
    return value;
  }

  /** Rejects keys outside `known`, suggesting the closest known key. */
  onlyKnownKeys(table: Table, known: readonly string[]): void {
    for (const key of Object.keys(table)) {
      if (known.includes(key)) continue;
      const hint = closest(key, known);
      throw new ConfigError(
        `${this.file}: unknown key '${this.prefix}${key}'${hint ? ` (did you mean '${this.prefix}${hint}'?)` : ''}; known keys: ${known.join(', ')}`,
      );
    }
  }

  nested(key: string): KeyReader {
    return new KeyReader(this.file, `${this.prefix}${key}.`);
  }
}

export const TOP_KEYS = [
  'include',
  'exclude',
  'rules',
  'cwes',
  'min-severity',
  'min-confidence',
  'threat-models',
  'models',
  'tests',
  'max-file-size',
  'nosec',
  'cache-dir',
  'cache',
  'llm',
] as const;
export const ENABLE_DISABLE_KEYS = ['enable', 'disable'] as const;
export const LLM_KEYS = [
  'url',
  'model',
  'api-key-env',
  'max-tokens',
  'max-tokens-per-run',
  'concurrency',
  'timeout-ms',
  'max-retries',
  'filter',
  'open-review',
] as const;

/**
 * Validates the redline table of a config file. `file` names the file in errors; relative paths
 * (`models`, `cache-dir`) are resolved against `configDir`.
 */
export function validateConfig(raw: unknown, file: string, configDir: string): RedlineConfig {
  const r: KeyReader = new KeyReader(file, '');
  if (raw === null || raw === undefined) return defaultConfig(configDir);
  if (!isTable(raw)) throw new ConfigError(`${file}: expected a table of redline settings, got ${describe(raw)}`);
  r.onlyKnownKeys(raw, TOP_KEYS);
  const config = defaultConfig(configDir);
  const v = raw as Partial<Record<(typeof TOP_KEYS)[number], unknown>>;

  if (v.include !== undefined) config.include = r.strings('include', v.include);
  if (v.exclude !== undefined) config.exclude = r.strings('exclude', v.exclude);
  if (v.rules !== undefined) {
    const t = r.table('rules', v.rules);
    const rr: KeyReader = r.nested('rules');
    rr.onlyKnownKeys(t, ENABLE_DISABLE_KEYS);
    if (t.enable !== undefined) config.rules.enable = rr.strings('enable', t.enable);
    if (t.disable !== undefined) config.rules.disable = rr.strings('disable', t.disable);
  }
  if (v.cwes !== undefined) {
    const t = r.table('cwes', v.cwes);
    const cr: KeyReader = r.nested('cwes');
    cr.onlyKnownKeys(t, ENABLE_DISABLE_KEYS);
    if (t.enable !== undefined) config.cwes.enable = cr.cweList('enable', t.enable);
    if (t.disable !== undefined) config.cwes.disable = cr.cweList('disable', t.disable);
  }
  if (v['min-severity'] !== undefined) config.minSeverity = r.oneOf('min-severity', v['min-severity'], SEVERITIES);
  if (v['min-confidence'] !== undefined) config.minConfidence = r.oneOf('min-confidence', v['min-confidence'], CONFIDENCES);
  if (v['threat-models'] !== undefined) {
    const list = v['threat-models'];
    if (!Array.isArray(list) || list.length === 0) r.fail('threat-models', `a non-empty list of ${THREAT_MODELS.join('|')}`, list);
    config.threatModels = [...new Set(list.map((m) => r.oneOf('threat-models', m, THREAT_MODELS)))];
  }
  if (v.models !== undefined) {
    config.models = r.strings('models', v.models).map((m) => {
      const abs = path.resolve(configDir, m);
      if (!existsSync(abs)) throw new ConfigError(`${file}: key 'models': file not found: ${m}`);
      return abs;
    });
  }
  if (v.tests !== undefined) config.tests = r.oneOf('tests', v.tests, TESTS_MODES);
  if (v['max-file-size'] !== undefined) {
    const size = parseByteSize(v['max-file-size']);
    if (size === undefined) r.fail('max-file-size', 'a positive number of bytes or a size like "2MB"', v['max-file-size']);
    config.maxFileSize = size;
  }
  if (v.nosec !== undefined) config.nosec = r.boolean('nosec', v.nosec);
  if (v['cache-dir'] !== undefined) config.cacheDir = path.resolve(configDir, r.string('cache-dir', v['cache-dir']));
  if (v.cache !== undefined) config.cache = r.boolean('cache', v.cache);
  if (v.llm !== undefined) config.llm = validateLlm(r.table('llm', v.llm), r.nested('llm'), config.llm);
  return config;
}

function validateLlm(t: Table, r: KeyReader, defaults: LlmConfig): LlmConfig {
  r.onlyKnownKeys(t, LLM_KEYS);
  const llm: LlmConfig = { ...defaults };
  if (t.url !== undefined) {
    const url = r.string('url', t.url);
    if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) r.fail('url', 'an http(s) URL', t.url);
    llm.url = url;
  }
  if (t.model !== undefined) llm.model = r.string('model', t.model);
  if (t['api-key-env'] !== undefined) {
    const name = r.string('api-key-env', t['api-key-env']);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) r.fail('api-key-env', 'an environment variable name', name);
    llm.apiKeyEnv = name;
  }
  if (t['max-tokens'] !== undefined) llm.maxTokens = r.positiveInteger('max-tokens', t['max-tokens']);
  if (t.concurrency !== undefined) llm.concurrency = r.positiveInteger('concurrency', t.concurrency);
  if (t['timeout-ms'] !== undefined) llm.timeoutMs = r.positiveInteger('timeout-ms', t['timeout-ms']);
  if (t['max-tokens-per-run'] !== undefined) llm.maxTokensPerRun = r.positiveInteger('max-tokens-per-run', t['max-tokens-per-run']);
  if (t['max-retries'] !== undefined) llm.maxRetries = r.nonNegativeInteger('max-retries', t['max-retries']);
  if (t.filter !== undefined) llm.filter = r.boolean('filter', t.filter);
  if (t['open-review'] !== undefined) llm.openReview = r.boolean('open-review', t['open-review']);
  return llm;
}

/** 89, "89", "CWE-89", "cwe-89" -> 89. */
export function parseCwe(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(?:cwe-)?(\d+)\s*$/i.exec(value);
  const n = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

/** 2097152, "2MB", "1.5 MiB", "500kb" -> bytes (K/M/G are powers of 1024). */
export function parseByteSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return undefined;
  const bytes = Math.floor(Number(m[1]) * unit);
  return bytes > 0 ? bytes : undefined;
}

function isTable(value: unknown): value is Table {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null; // TOML tables have a null prototype
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list ${truncate(JSON.stringify(value))}`;
  if (value instanceof Date) return `a date ${value.toISOString()}`;
  if (typeof value === 'object') return isTable(value) ? 'a table' : `a ${value.constructor?.name ?? 'value'}`;
  if (typeof value === 'string') return truncate(JSON.stringify(value));
  if (typeof value === 'bigint') return `${value}`;
  return String(value);
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function closest(key: string, known: readonly string[]): string | undefined {
  const normalised = key.toLowerCase().replace(/_/g, '-');
  let best: { key: string; distance: number } | undefined;
  for (const k of known) {
    const d = k === normalised ? 0 : editDistance(normalised, k);
    if (d <= 2 && (!best || d < best.distance)) best = { key: k, distance: d };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
