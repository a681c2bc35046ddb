/**
 * gitignore semantics across directory levels: `.gitignore` and `.redlineignore` files in every
 * directory, plus the repository's `.git/info/exclude`. Deeper files take precedence, as in git.
 */
import ignore, { type Ignore } from 'ignore';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

export const IGNORE_FILE_NAMES = ['.gitignore', '.redlineignore'] as const;

interface ScopedRules {
  /** Absolute directory the patterns are relative to. */
  dir: string;
  rules: Ignore;
}

/** An immutable chain of rule sets, shallowest first; `with` returns an extended copy. */
export class IgnoreStack {
  private constructor(private readonly scopes: readonly ScopedRules[]) {}

  static empty(): IgnoreStack {
    return new IgnoreStack([]);
  }

  /** Adds the ignore files present in `dir` (only names listed in `entryNames` are read). */
  withDirectory(dir: string, entryNames: ReadonlySet<string>): IgnoreStack {
    const added: ScopedRules[] = [];
    if (entryNames.has('.git')) {
      // info/exclude ranks below the .gitignore files, so it goes first.
      const exclude = readRulesFile(path.join(dir, '.git', 'info', 'exclude'));
      if (exclude) added.push({ dir, rules: ignore().add(exclude) });
    }
    const texts = IGNORE_FILE_NAMES.filter((n) => entryNames.has(n))
      .map((n) => readRulesFile(path.join(dir, n)))
      .filter((t): t is string => t !== undefined);
    // One matcher for both files: later rules win, so .redlineignore can re-include with `!`.
    // (add() splits a string on newlines, but takes each element of an array as a single pattern.)
    if (texts.length > 0) added.push({ dir, rules: texts.reduce((rules, text) => rules.add(text), ignore()) });
    return added.length === 0 ? this : new IgnoreStack([...this.scopes, ...added]);
  }

  /** Whether `absPath` is ignored; the deepest rule set with an opinion decides. */
  isIgnored(absPath: string, isDir: boolean): boolean {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const scope = this.scopes[i]!;
      const rel = path.relative(scope.dir, absPath).split(path.sep).join('/');
      if (rel === '' || rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) continue;
      const result = scope.rules.test(isDir ? `${rel}/` : rel);
      if (result.ignored) return true;
      if (result.unignored) return false;
    }
    return false;
  }
}

/**
 * Ignore files of the directories above a scan root, from the enclosing repository's top level
 * down to the root's parent, so that scanning `repo/src` still honours `repo/.gitignore`.
 * Outside a repository nothing above the root applies.
 */
export function ancestorIgnoreStack(rootDir: string): IgnoreStack {
  const chain: string[] = [];
  let dir = path.dirname(rootDir);
  let repoTop: string | undefined = existsSync(path.join(rootDir, '.git')) ? rootDir : undefined;
  while (repoTop === undefined) {
    chain.unshift(dir);
    if (existsSync(path.join(dir, '.git'))) repoTop = dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (repoTop === undefined || repoTop === rootDir) return IgnoreStack.empty();
  let stack = IgnoreStack.empty();
  for (const d of chain) {
    const names = new Set<string>(['.git', ...IGNORE_FILE_NAMES].filter((n) => existsSync(path.join(d, n))));
    stack = stack.withDirectory(d, names);
  }
  return stack;
}

function readRulesFile(file: string): string | undefined {
  try {
    if (!statSync(file).isFile()) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // unreadable ignore files are treated as absent
  }
}
