/**
 * @packageDocumentation
 * create-bbws-app: scaffolds a new bbwebservice app from a template (`minimal`, `api`,
 * `streaming`). The command is `npm create bbws-app@latest`; this entry is the same work as
 * functions, for tools and tests. See docs/create-app.md.
 */
export { appNameProblem, assertAppName } from './app-name.js';
export { type CliArgs, parseCliArgs, USAGE } from './args.js';
export { type CreateResult, createApp } from './create-app.js';
export { SCAFFOLD_ERRORS, ScaffoldError, type ScaffoldErrorCode } from './errors.js';
export { detectPackageManager, PACKAGE_MANAGERS, type PackageManager } from './package-manager.js';
export { type CreatePlan, DEFAULT_APP_NAME, planFromArgs } from './plan.js';
export { isNonEmpty, ownVersion, type ScaffoldOptions, scaffold } from './scaffold.js';
export { TEMPLATES, type TemplateName } from './templates.js';
