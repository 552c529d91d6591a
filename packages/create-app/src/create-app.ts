import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { ScaffoldError } from './errors.js';
import { runScript } from './package-manager.js';
import type { CreatePlan } from './plan.js';
import { scaffold } from './scaffold.js';

/** What {@link createApp} did, for the next steps. */
export interface CreateResult {
  readonly target: string;
  readonly isGitInitialised: boolean;
  readonly isInstalled: boolean;
  /** Lines telling the user what to run next. */
  readonly nextSteps: readonly string[];
}

/** Whether `git` runs here (no git: the git step is left out, not failed). */
export function hasGit(): boolean {
  return spawnSync('git', ['--version'], { stdio: 'ignore' }).status === 0;
}

function run(command: string, args: readonly string[], cwd: string, isQuiet: boolean) {
  // Windows runs npm, pnpm and yarn through .cmd shims, which need a shell.
  return spawnSync(command, args, {
    cwd,
    stdio: isQuiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
}

/**
 * git init, add and a first commit. A failed commit (no user.name configured, say) leaves the
 * repository initialised and is reported, not thrown: the app is there either way.
 */
function initGit(target: string, log: (line: string) => void): boolean {
  if (run('git', ['init', '-q'], target, true).status !== 0) {
    log('git init failed; the app is there without a repository');
    return false;
  }
  run('git', ['add', '-A'], target, true);
  const commit = run('git', ['commit', '-q', '-m', 'Initial commit from create-bbws-app'], target, true);
  if (commit.status !== 0) log(`git repository initialised; first commit skipped: ${commit.stderr.trim()}`);
  return true;
}

/**
 * Carries out a plan: scaffold, git init, install, and the next steps.
 * @throws ScaffoldError from {@link scaffold}, or `BBWS_ERR_SCAFFOLD_INSTALL` when the install
 *   fails (the app is written; the message says to install by hand)
 */
export function createApp(plan: CreatePlan, log: (line: string) => void = console.log): CreateResult {
  const target = scaffold({
    name: plan.name,
    directory: plan.directory,
    template: plan.template,
    force: plan.isForce,
  });
  log(`created ${target} from the ${plan.template} template`);
  const isGitInitialised = plan.isGitWanted && initGit(target, log);
  if (plan.isInstallWanted) {
    log(`installing dependencies with ${plan.packageManager}...`);
    const install = run(plan.packageManager, ['install'], target, false);
    if (install.status !== 0) {
      throw new ScaffoldError(
        'BBWS_ERR_SCAFFOLD_INSTALL',
        `${plan.packageManager} install failed in ${target} (exit ${install.status ?? install.signal}); ` +
          `the app is written: fix the cause and run it there`,
      );
    }
  }
  const shown = relative(process.cwd(), target) || '.';
  const pm = plan.packageManager;
  const nextSteps = [
    ...(shown === '.' ? [] : [`cd ${shown.includes(' ') ? JSON.stringify(shown) : shown}`]),
    ...(plan.isInstallWanted ? [] : [`${pm} install`]),
    `${runScript(pm, 'dev')}      # serve, rebuild and restart on change`,
    `${runScript(pm, 'test')}     # the app's tests, no port needed`,
    `${runScript(pm, 'build')} && ${runScript(pm, 'start')}`,
  ];
  return { target, isGitInitialised, isInstalled: plan.isInstallWanted, nextSteps };
}
