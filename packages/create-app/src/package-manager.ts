import { ScaffoldError } from './errors.js';

/** The package managers the next steps and `--pm` know. */
export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn', 'bun'] as const;

/** A package manager's command name. */
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/**
 * The package manager that runs us: npm, pnpm, yarn and bun all set `npm_config_user_agent`
 * (`pnpm/10.34.9 npm/? node/v20.20.0 linux x64`) for `create` and `dlx`. npm when unknown.
 */
export function detectPackageManager(userAgent: string | undefined): PackageManager {
  const name = userAgent?.split('/', 1)[0];
  return PACKAGE_MANAGERS.find((pm) => pm === name) ?? 'npm';
}

/**
 * Narrows `--pm`.
 * @throws ScaffoldError `BBWS_ERR_SCAFFOLD_PACKAGE_MANAGER`
 */
export function toPackageManager(value: string): PackageManager {
  const found = PACKAGE_MANAGERS.find((pm) => pm === value);
  if (found === undefined) {
    throw new ScaffoldError(
      'BBWS_ERR_SCAFFOLD_PACKAGE_MANAGER',
      `unknown package manager "${value}" (use one of ${PACKAGE_MANAGERS.join(', ')})`,
    );
  }
  return found;
}

/** How to run a package.json script with that package manager (`npm run dev`, `pnpm dev`). */
export function runScript(pm: PackageManager, script: string): string {
  return pm === 'npm' ? `npm run ${script}` : `${pm} ${script}`;
}
