import validatePackageName from 'validate-npm-package-name';
import { ScaffoldError } from './errors.js';

/**
 * Why `name` cannot be a new npm package's name (npm's own rules, from
 * validate-npm-package-name: lower case, no spaces, at most 214 characters, no core module
 * names), or `undefined` when it can.
 */
export function appNameProblem(name: string): string | undefined {
  const result = validatePackageName(name);
  if (result.validForNewPackages) return undefined;
  return [...(result.errors ?? []), ...(result.warnings ?? [])].join('; ') || 'not a valid package name';
}

/**
 * Checks an app name.
 * @throws ScaffoldError `BBWS_ERR_SCAFFOLD_NAME` naming what npm objects to
 */
export function assertAppName(name: string): void {
  const problem = appNameProblem(name);
  if (problem !== undefined) {
    throw new ScaffoldError('BBWS_ERR_SCAFFOLD_NAME', `"${name}" is not a valid package name: ${problem}`);
  }
}

/** The folder an app of that name goes to by default: the name without its scope. */
export function defaultDirectory(name: string): string {
  return name.replace(/^@[^/]+\//, '');
}
