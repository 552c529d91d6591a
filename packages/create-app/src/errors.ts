import { BbwsError } from './bbws-error.js';

/** Every failure of create-bbws-app, with its stable code; docs/errors.md lists them. */
export const SCAFFOLD_ERRORS = {
  /** The app name is not a valid npm package name. */
  BBWS_ERR_SCAFFOLD_NAME: 'invalid app name',
  /** The target folder exists and is not empty, and `--force` was not given. */
  BBWS_ERR_SCAFFOLD_TARGET_EXISTS: 'target folder not empty',
  /** No template of that name. */
  BBWS_ERR_SCAFFOLD_TEMPLATE: 'unknown template',
  /** A flag the CLI does not know, a flag without its value, or a missing name with `--yes`. */
  BBWS_ERR_SCAFFOLD_ARGS: 'bad command line',
  /** `--pm` names a package manager we do not support. */
  BBWS_ERR_SCAFFOLD_PACKAGE_MANAGER: 'unknown package manager',
  /** The package manager's install, run in the new app, failed. */
  BBWS_ERR_SCAFFOLD_INSTALL: 'install failed',
} as const;

/** A code of {@link SCAFFOLD_ERRORS}. */
export type ScaffoldErrorCode = keyof typeof SCAFFOLD_ERRORS;

/**
 * Failure of the scaffolder with a stable code; see docs/create-app.md#refusals. A
 * {@link BbwsError} like every error of the framework, so `instanceof BbwsError` and `code`
 * work the same on it.
 */
export class ScaffoldError extends BbwsError {
  override readonly name = 'ScaffoldError';
  declare readonly code: ScaffoldErrorCode;
  constructor(code: ScaffoldErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
