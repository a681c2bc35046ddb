/**
 * Read-only git access for `redline review`. Every call runs `git` directly (no shell) with
 * optional locks disabled, so nothing here writes to the repository, its index, working tree or
 * stash: revisions are read through `git ls-tree`, `git ls-files -s`, `git diff` and
 * `git cat-file --batch`.
 */
import { execFile, spawn } from 'node:child_process';
import { ReviewError } from './patch.js';

const MAX_BUFFER = 1024 * 1024 * 1024;

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  delete env['GIT_EXTERNAL_DIFF'];
  delete env['GIT_DIFF_OPTS'];
  return env;
}

export interface GitResult {
  ok: boolean;
  stdout: Buffer;
  stderr: string;
}

export function gitRaw(cwd: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: MAX_BUFFER, encoding: 'buffer', env: gitEnv() }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT' && !stdout?.length) {
        reject(new ReviewError('git is not installed or not on PATH'));
        return;
      }
      resolve({ ok: !err, stdout: stdout ?? Buffer.alloc(0), stderr: (stderr ?? Buffer.alloc(0)).toString('utf8') });
    });
  });
}

/** Runs git and returns its standard output as text; a failure becomes a one-line ReviewError. */
export async function git(cwd: string, args: string[]): Promise<string> {
  const r = await gitRaw(cwd, args);
  if (!r.ok) {
    const msg = r.stderr.trim().split('\n').filter(Boolean).pop() ?? 'failed';
    throw new ReviewError(`git ${args[0]} failed: ${msg.replace(/^(fatal|error): /, '')}`);
  }
  return r.stdout.toString('utf8');
}

export interface RepoInfo {
  /** Absolute path of the working tree's top level. */
  toplevel: string;
  /** The reviewed directory relative to the top level, with a trailing slash ('' at the top). */
  prefix: string;
}

export async function repoInfo(dir: string): Promise<RepoInfo> {
  const r = await gitRaw(dir, ['rev-parse', '--show-toplevel', '--show-prefix']);
  if (!r.ok) throw new ReviewError(`not a git repository: ${dir}`);
  const [toplevel, prefix] = r.stdout.toString('utf8').split('\n');
  if (!toplevel) throw new ReviewError(`not a git working tree: ${dir}`);
  return { toplevel, prefix: prefix ?? '' };
}

/** The commit id of a revision, or undefined when it does not name a commit. */
export async function resolveCommit(cwd: string, rev: string): Promise<string | undefined> {
  const r = await gitRaw(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  if (!r.ok) return undefined;
  return r.stdout.toString('utf8').trim() || undefined;
}

/**
 * The default base: the merge-base of HEAD with its upstream, else with `main`, else `master`
 * (then `origin/main`, `origin/master`, for CI checkouts without local branches).
 */
export async function defaultBase(cwd: string): Promise<{ commit: string; label: string }> {
  const head = await resolveCommit(cwd, 'HEAD');
  if (!head) throw new ReviewError('cannot find a base revision: the repository has no commits yet; pass --base REV or use --staged');
  const candidates: string[] = [];
  const up = await gitRaw(cwd, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']);
  if (up.ok && up.stdout.toString('utf8').trim()) candidates.push(up.stdout.toString('utf8').trim());
  candidates.push('main', 'master', 'origin/main', 'origin/master');
  for (const c of candidates) {
    if (!(await resolveCommit(cwd, c))) continue;
    const mb = await gitRaw(cwd, ['merge-base', 'HEAD', c]);
    const commit = mb.stdout.toString('utf8').trim();
    if (mb.ok && commit) return { commit, label: `merge-base of HEAD and ${c} (${commit.slice(0, 12)})` };
  }
  throw new ReviewError('cannot find a base revision: the branch has no upstream and there is no main or master branch to compare with; pass --base REV');
}

export interface TreeEntry {
  mode: string;
  oid: string;
}

/** `git ls-tree -r` of a commit: full path -> blob entry (symlinks and submodules, mode 160000, included). */
export async function listTree(cwd: string, commit: string): Promise<Map<string, TreeEntry>> {
  const out = await git(cwd, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  const entries = new Map<string, TreeEntry>();
  for (const rec of out.split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type, oid] = rec.slice(0, tab).split(' ');
    if ((type !== 'blob' && type !== 'commit') || !mode || !oid) continue;
    entries.set(rec.slice(tab + 1), { mode, oid });
  }
  return entries;
}

/** `git ls-files -s`: the staged (stage 0) entries; paths with merge conflicts are reported apart. */
export async function listIndex(cwd: string): Promise<{ entries: Map<string, TreeEntry>; conflicted: string[] }> {
  const out = await git(cwd, ['ls-files', '-s', '-z', '--full-name']);
  const entries = new Map<string, TreeEntry>();
  const conflicted = new Set<string>();
  for (const rec of out.split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, oid, stage] = rec.slice(0, tab).split(' ');
    const file = rec.slice(tab + 1);
    if (!mode || !oid) continue;
    if (stage !== '0') {
      conflicted.add(file);
      continue;
    }
    entries.set(file, { mode, oid });
  }
  return { entries, conflicted: [...conflicted].sort() };
}

/** Reads blobs by object id with one `git cat-file --batch` process. */
export function readBlobs(cwd: string, oids: string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(oids)];
  if (unique.length === 0) return Promise.resolve(new Map());
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', (e) => reject(new ReviewError(`git cat-file failed: ${e.message}`)));
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new ReviewError(`git cat-file failed: ${stderr.trim().split('\n').pop() ?? `exit ${code}`}`));
        return;
      }
      const all = Buffer.concat(chunks);
      const blobs = new Map<string, Buffer>();
      let pos = 0;
      for (const oid of unique) {
        const nl = all.indexOf(0x0a, pos);
        if (nl < 0) break;
        const header = all.subarray(pos, nl).toString('utf8');
        const parts = header.split(' ');
        if (parts[1] === 'missing' || parts.length < 3) {
          pos = nl + 1;
          continue;
        }
        const size = Number(parts[2]);
        blobs.set(oid, all.subarray(nl + 1, nl + 1 + size));
        pos = nl + 1 + size + 1;
      }
      resolve(blobs);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(`${unique.join('\n')}\n`);
  });
}

/** Pathspecs of the files `git diff` is asked about: Python by extension, and extension-less scripts. */
export const PY_PATHSPECS = [':(top,glob,icase)**/*.py', ':(top,glob,icase)**/*.pyw'];

/**
 * The unified diff (no context) between a commit and the working tree, or the index when
 * `cached`: for Python files with rename detection, then for extension-less files (scripts whose
 * shebang may name Python).
 */
export async function diffAgainst(cwd: string, commit: string | undefined, cached: boolean): Promise<string> {
  const common = (renames: boolean) => [
    'diff', '--no-color', '--no-ext-diff', '--no-textconv', '--unified=0', renames ? '--find-renames' : '--no-renames',
    '--src-prefix=a/', '--dst-prefix=b/', '--no-relative', ...(cached ? ['--cached'] : []), ...(commit ? [commit] : []),
  ];
  const py = await git(cwd, [...common(true), '--', ...PY_PATHSPECS]);
  const names = await git(cwd, ['diff', '--no-ext-diff', '--name-only', '-z', '--no-renames', '--no-relative', ...(cached ? ['--cached'] : []), ...(commit ? [commit] : [])]);
  const extensionless = names.split('\0').filter((p) => p && !/\.[^/]*$/.test(p.split('/').pop()!));
  if (extensionless.length === 0) return py;
  const parts = [py];
  for (let i = 0; i < extensionless.length; i += 200) {
    parts.push(await git(cwd, [...common(false), '--', ...extensionless.slice(i, i + 200).map((p) => `:(top,literal)${p}`)]));
  }
  return parts.join('\n');
}
