import { cancel, confirm, intro, isCancel, select, text } from '@clack/prompts';
import { appNameProblem, defaultDirectory } from './app-name.js';
import type { CliArgs } from './args.js';
import { ScaffoldError } from './errors.js';
import { detectPackageManager, PACKAGE_MANAGERS, type PackageManager } from './package-manager.js';
import { TEMPLATES, type TemplateName } from './templates.js';

/** Everything the CLI will do, decided before it writes anything. */
export interface CreatePlan {
  readonly name: string;
  readonly directory: string;
  readonly template: TemplateName;
  readonly packageManager: PackageManager;
  readonly isGitWanted: boolean;
  readonly isInstallWanted: boolean;
  readonly isForce: boolean;
}

/** The app name `--yes` takes when none is given. */
export const DEFAULT_APP_NAME = 'bbws-app';

/**
 * The plan from the flags alone, for scripts and CI (`--yes`, or no terminal).
 * @throws ScaffoldError `BBWS_ERR_SCAFFOLD_ARGS` when there is no name and no `--yes`
 */
export function planFromArgs(args: CliArgs, hasGit: boolean): CreatePlan {
  if (args.name === undefined && !args.isYes) {
    throw new ScaffoldError(
      'BBWS_ERR_SCAFFOLD_ARGS',
      'no app name: give one (create-bbws-app my-app), pass --yes, or run in a terminal to be asked',
    );
  }
  const name = args.name ?? DEFAULT_APP_NAME;
  return {
    name,
    directory: args.directory ?? defaultDirectory(name),
    template: args.template ?? 'minimal',
    packageManager: args.packageManager ?? detectPackageManager(process.env.npm_config_user_agent),
    isGitWanted: (args.isGitWanted ?? true) && hasGit,
    isInstallWanted: args.isInstallWanted ?? true,
    isForce: args.isForce,
  };
}

/** Ends the process as clack's convention has it when the user pressed Ctrl-C or Esc. */
function orExit<T>(answer: T): Exclude<T, symbol> {
  if (isCancel(answer)) {
    cancel('Cancelled: nothing was written.');
    process.exit(1);
  }
  return answer as Exclude<T, symbol>;
}

/** Asks, in the terminal, for what the flags leave open (clack prompts). */
export async function planInteractively(args: CliArgs, hasGit: boolean): Promise<CreatePlan> {
  intro('create-bbws-app');
  const name =
    args.name ??
    orExit(
      await text({
        message: 'App name (an npm package name)',
        placeholder: DEFAULT_APP_NAME,
        defaultValue: DEFAULT_APP_NAME,
        validate: (value) => (value === undefined || value === '' ? undefined : appNameProblem(value)),
      }),
    );
  const template =
    args.template ??
    orExit(
      await select<TemplateName>({
        message: 'Template',
        options: TEMPLATES.map((t) => ({ value: t.name, label: t.name, hint: t.hint })),
        initialValue: 'minimal',
      }),
    );
  const packageManager =
    args.packageManager ??
    orExit(
      await select<PackageManager>({
        message: 'Package manager',
        options: PACKAGE_MANAGERS.map((pm) => ({ value: pm, label: pm })),
        initialValue: detectPackageManager(process.env.npm_config_user_agent),
      }),
    );
  const isGitWanted =
    hasGit && (args.isGitWanted ?? orExit(await confirm({ message: 'Initialise a git repository?' })));
  const isInstallWanted =
    args.isInstallWanted ??
    orExit(await confirm({ message: `Install dependencies now (${packageManager} install)?` }));
  return {
    name,
    directory: args.directory ?? defaultDirectory(name),
    template,
    packageManager,
    isGitWanted,
    isInstallWanted,
    isForce: args.isForce,
  };
}
