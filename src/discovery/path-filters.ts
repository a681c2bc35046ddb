/** The `include` / `exclude` glob lists of the configuration, matched against paths relative to baseDir. */
import picomatch from 'picomatch';

export type PathMatcher = (relPath: string) => boolean;

/**
 * Compiles globs with gitignore-like anchoring: a pattern without a slash matches at any depth
 * (`tests` matches `a/b/tests`), a leading `/` anchors it at baseDir, a trailing `/` is dropped.
 * A path matches when it or any of its parent directories matches, so `exclude: [legacy]`
 * removes everything under every `legacy/` directory.
 */
export function compileGlobs(patterns: readonly string[]): PathMatcher {
  if (patterns.length === 0) return () => false;
  const normalised = patterns.map(normaliseGlob);
  const isMatch = picomatch(normalised, { dot: true });
  return (relPath) => prefixesOf(relPath).some((p) => isMatch(p));
}

export function normaliseGlob(pattern: string): string {
  let p = pattern.trim().replace(/\\/g, '/');
  if (p.startsWith('./')) p = p.slice(2);
  while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  if (p.startsWith('/')) return p.slice(1);
  return p.includes('/') ? p : `**/${p}`;
}

/** `a/b/c.py` -> [`a`, `a/b`, `a/b/c.py`]. */
function prefixesOf(relPath: string): string[] {
  const parts = relPath.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}
