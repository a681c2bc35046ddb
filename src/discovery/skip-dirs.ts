/** Directories that never hold project source: VCS metadata, environments, caches, build output. */

const SKIPPED_DIR_NAMES = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '__pycache__',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'build',
  'dist',
  'site-packages',
  '.eggs',
  '.redline-cache',
]);

export function isSkippedDirName(name: string): boolean {
  return SKIPPED_DIR_NAMES.has(name) || name.endsWith('.egg-info');
}

/**
 * A virtual environment is recognised by its marker file rather than its name, so a package
 * directory that happens to be called `env` is still scanned. `conda-meta` marks conda envs.
 */
export function isEnvironmentDir(entryNames: readonly string[]): boolean {
  return entryNames.includes('pyvenv.cfg') || entryNames.includes('conda-meta');
}
