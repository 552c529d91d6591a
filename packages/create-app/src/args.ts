import { parseArgs } from 'node:util';
import { ScaffoldError } from './errors.js';
import { type PackageManager, toPackageManager } from './package-manager.js';
import { type TemplateName, toTemplateName } from './templates.js';

/** What the command line said; what it left out is asked, or defaulted with `--yes`. */
export interface CliArgs {
  readonly name?: string;
  readonly directory?: string;
  readonly template?: TemplateName;
  readonly packageManager?: PackageManager;
  readonly isGitWanted?: boolean;
  readonly isInstallWanted?: boolean;
  /** `--yes`: ask nothing, take the defaults. */
  readonly isYes: boolean;
  readonly isForce: boolean;
  readonly isHelp: boolean;
  readonly isVersion: boolean;
}

/** The help text, also printed for `--help`. */
export const USAGE = `usage: create-bbws-app [name] [directory] [options]

  -t, --template <name>  minimal | api | streaming (default: minimal)
      --pm <name>        npm | pnpm | yarn | bun (default: the one that runs this)
      --no-install       do not install dependencies
      --no-git           do not run git init
  -y, --yes              ask nothing: defaults for everything not given
      --force            write into a folder that is not empty
  -h, --help             this text
  -v, --version          the version

Without --yes, and in a terminal, it asks for what the flags leave open.`;

/**
 * Reads argv (without node and the script).
 * @throws ScaffoldError `BBWS_ERR_SCAFFOLD_ARGS` for an unknown flag or a flag without its
 *   value; `BBWS_ERR_SCAFFOLD_TEMPLATE`, `BBWS_ERR_SCAFFOLD_PACKAGE_MANAGER` for a bad value
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    throw new ScaffoldError('BBWS_ERR_SCAFFOLD_ARGS', `${(error as Error).message}\n${USAGE}`, {
      cause: error,
    });
  }
  const { values, positionals } = parsed;
  if (positionals.length > 2) {
    throw new ScaffoldError(
      'BBWS_ERR_SCAFFOLD_ARGS',
      `too many arguments: ${positionals.join(' ')}\n${USAGE}`,
    );
  }
  const [name, directory] = positionals;
  return {
    ...(name === undefined ? {} : { name }),
    ...(directory === undefined ? {} : { directory }),
    ...(values.template === undefined ? {} : { template: toTemplateName(values.template) }),
    ...(values.pm === undefined ? {} : { packageManager: toPackageManager(values.pm) }),
    ...(values['no-git'] === true ? { isGitWanted: false } : {}),
    ...(values['no-install'] === true ? { isInstallWanted: false } : {}),
    isYes: values.yes === true,
    isForce: values.force === true,
    isHelp: values.help === true,
    isVersion: values.version === true,
  };
}

// Node 20's parseArgs has no `allowNegative`, so the two negations are flags of their own.
function parseCommandLine(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      template: { type: 'string', short: 't' },
      pm: { type: 'string' },
      'no-install': { type: 'boolean' },
      'no-git': { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}
