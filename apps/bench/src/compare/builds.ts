/**
 * The two builds a comparison runs: the tree this runner belongs to ("after"), and "before":
 * a built checkout named by its directory, or a git revision, checked out into a temporary
 * worktree, installed and built there, and removed afterwards.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface Build {
  /** "before" or "after". */
  readonly name: string;
  /** The checkout's root directory. */
  readonly root: string;
  /** What it is: the directory, or the revision and its commit. */
  readonly source: string;
  /** Removes what was made for it (a temporary worktree); nothing for a given directory. */
  readonly dispose: () => void;
}

/** The entry of a server of the suite in a build (ServerDef.entry: a module of dist/servers, or a path). */
export function entryIn(build: Build, entry: string): string {
  return entry.includes('/') ? join(build.root, entry) : join(build.root, 'apps/bench/dist/servers', entry);
}

function git(repo: string, args: readonly string[]): string {
  return execFileSync('git', ['-C', repo, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** A build in a directory: it must hold the suite's built servers. */
export function builtDirectory(name: string, dir: string, source?: string): Build {
  const root = resolve(dir);
  if (!existsSync(join(root, 'apps/bench/dist/servers')))
    throw new Error(
      `${root} has no apps/bench/dist/servers: build it first (pnpm install && pnpm build there)`,
    );
  return { name, root, source: source ?? root, dispose: () => {} };
}

/**
 * `spec` as the "before" build: an existing directory is used as it is; anything else is a git
 * revision of `repo`, checked out (detached) into a temporary worktree, where `pnpm install
 * --frozen-lockfile --prefer-offline` and `pnpm build` run (their output goes to stderr).
 */
export function prepareBefore(repo: string, spec: string): Build {
  if (existsSync(spec) && statSync(spec).isDirectory()) return builtDirectory('before', spec);
  let commit: string;
  try {
    commit = git(repo, ['rev-parse', '--verify', `${spec}^{commit}`]);
  } catch {
    throw new Error(`--before ${spec} is neither a directory nor a git revision of ${repo}`);
  }
  const root = mkdtempSync(join(tmpdir(), 'bbws-compare-before-'));
  rmSync(root, { recursive: true, force: true });
  git(repo, ['worktree', 'add', '--detach', root, commit]);
  const dispose = () => {
    try {
      git(repo, ['worktree', 'remove', '--force', root]);
    } catch {
      rmSync(root, { recursive: true, force: true });
      git(repo, ['worktree', 'prune']);
    }
  };
  try {
    process.stderr.write(`before: ${spec} (${commit.slice(0, 12)}) in ${root}: installing and building\n`);
    const stdio: ['ignore', number, number] = ['ignore', 2, 2];
    execFileSync('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], { cwd: root, stdio });
    execFileSync('pnpm', ['build'], { cwd: root, stdio });
    const build = builtDirectory('before', root, `${spec} (${commit.slice(0, 12)})`);
    return { ...build, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}
