/**
 * Finds and loads the configuration: `--config FILE`, else the nearest `.redline.yml`,
 * `.redline.yaml` or `pyproject.toml` walking up from the first scan root.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parseDocument } from 'yaml';
import { ConfigError, defaultConfig, validateConfig, type RedlineConfig } from './schema.js';

export { ConfigError, type RedlineConfig } from './schema.js';
export type { LlmConfig, TestsMode, ThreatModel } from './schema.js';

export const YAML_CONFIG_NAMES = ['.redline.yml', '.redline.yaml'] as const;
export const PYPROJECT = 'pyproject.toml';

export type LoadedConfig = RedlineConfig & { source?: string };

/**
 * The configuration with defaults applied; `source` is the file it came from (undefined when
 * defaults are used). The search stops at the first directory holding any candidate file: a
 * `pyproject.toml` without `[tool.redline]` there means defaults, not "keep looking".
 */
export function loadConfig(opts: { startDir: string; explicitPath?: string }): LoadedConfig {
  if (opts.explicitPath !== undefined) {
    const file = path.resolve(opts.explicitPath);
    if (!existsSync(file)) throw new ConfigError(`config file not found: ${opts.explicitPath}`);
    return loadExplicit(file);
  }
  const found = findNearestConfig(opts.startDir);
  if (!found) return defaultConfig(directoryOf(opts.startDir));
  if (found.kind === 'yaml') return withSource(validateConfig(readYaml(found.file), found.file, path.dirname(found.file)), found.file);
  const table = redlineTableOf(readToml(found.file));
  if (table === undefined) return defaultConfig(path.dirname(found.file));
  return withSource(validateConfig(table, found.file, path.dirname(found.file)), found.file);
}

/** The nearest directory at or above `startDir` (a file's directory if a file) holding a config candidate. */
export function findNearestConfig(startDir: string): { file: string; kind: 'yaml' | 'pyproject' } | undefined {
  let dir = directoryOf(startDir);
  for (;;) {
    const yamls = YAML_CONFIG_NAMES.map((n) => path.join(dir, n)).filter(isFile);
    if (yamls.length > 1) throw new ConfigError(`${yamls[0]}: both ${YAML_CONFIG_NAMES.join(' and ')} exist; keep one`);
    if (yamls[0]) return { file: yamls[0], kind: 'yaml' };
    const pyproject = path.join(dir, PYPROJECT);
    if (isFile(pyproject)) return { file: pyproject, kind: 'pyproject' };
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function loadExplicit(file: string): LoadedConfig {
  const dir = path.dirname(file);
  const ext = path.extname(file).toLowerCase();
  if (ext === '.yml' || ext === '.yaml') return withSource(validateConfig(readYaml(file), file, dir), file);
  if (ext === '.toml') {
    const doc = readToml(file);
    // pyproject.toml keeps settings under [tool.redline]; a dedicated TOML file holds them at top level.
    const table = path.basename(file) === PYPROJECT ? redlineTableOf(doc) : doc;
    if (table === undefined) throw new ConfigError(`${file}: no [tool.redline] table`);
    return withSource(validateConfig(table, file, dir), file);
  }
  throw new ConfigError(`${file}: unsupported config file type (use .redline.yml, .yaml or .toml)`);
}

function withSource(config: RedlineConfig, source: string): LoadedConfig {
  return { ...config, source };
}

function redlineTableOf(doc: Record<string, unknown>): unknown {
  const tool = doc['tool'];
  if (typeof tool !== 'object' || tool === null) return undefined;
  return (tool as Record<string, unknown>)['redline'];
}

function readToml(file: string): Record<string, unknown> {
  const text = readText(file);
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (err) {
    const e = err as { message?: string; line?: number; column?: number };
    const reason = firstLine(e.message ?? String(err)).replace(/^Invalid TOML document:\s*/, '');
    const where = e.line !== undefined ? ` at line ${e.line}, column ${e.column ?? 1}` : '';
    throw new ConfigError(`${file}: invalid TOML${where}: ${reason}`);
  }
}

function readYaml(file: string): unknown {
  const doc = parseDocument(readText(file), { prettyErrors: true, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) throw new ConfigError(`${file}: invalid YAML: ${firstLine(error.message).replace(/:$/, '')}`);
  return doc.toJS({ maxAliasCount: 100 });
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${file}: cannot read config file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0]!.trim();
}

function directoryOf(startPath: string): string {
  const abs = path.resolve(startPath);
  return isFile(abs) ? path.dirname(abs) : abs;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
