import { cpSync, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertAppName, defaultDirectory } from './app-name.js';
import { ScaffoldError } from './errors.js';
import { type TemplateName, toTemplateName } from './templates.js';

/** Options of {@link scaffold}. */
export interface ScaffoldOptions {
  /** The app's package name (npm rules: lower case, no spaces, optional `@scope/`). */
  readonly name: string;
  /** Folder to create; default `./<name>` without the scope. */
  readonly directory?: string;
  /** Template under `templates/` (default `minimal`). */
  readonly template?: TemplateName | string;
  /** Write into a non-empty folder, replacing files of the same name. */
  readonly force?: boolean;
  /** Version range of bbwebservice written into the app's package.json (default: `^` + ours). */
  readonly bbwebserviceVersion?: string;
}

const packageRoot = fileURLToPath(new URL('../', import.meta.url));
const templatesRoot = join(packageRoot, 'templates');

/**
 * The version of create-bbws-app itself. bbwebservice is released with the same version
 * (every package of the repository moves together), so the app depends on `^` this.
 */
export function ownVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
  const version = (pkg as { version?: unknown }).version;
  if (typeof version !== 'string') throw new Error(`no version in ${join(packageRoot, 'package.json')}`);
  return version;
}

/** Whether `path` is a folder with something in it (a file is "not empty" too). */
export function isNonEmpty(path: string): boolean {
  if (!existsSync(path)) return false;
  return !statSync(path).isDirectory() || readdirSync(path).length > 0;
}

/**
 * Copies a template into a new folder, filling in `{{name}}` and `{{bbwebserviceVersion}}`.
 * Checks everything before it writes anything.
 * @returns the absolute path of the new app
 * @throws ScaffoldError `BBWS_ERR_SCAFFOLD_NAME`, `BBWS_ERR_SCAFFOLD_TEMPLATE`, or
 *   `BBWS_ERR_SCAFFOLD_TARGET_EXISTS` for a non-empty folder without `force`
 */
export function scaffold(options: ScaffoldOptions): string {
  assertAppName(options.name);
  const template = join(templatesRoot, toTemplateName(options.template ?? 'minimal'));
  const target = resolve(options.directory ?? defaultDirectory(options.name));
  if (isNonEmpty(target) && options.force !== true) {
    throw new ScaffoldError(
      'BBWS_ERR_SCAFFOLD_TARGET_EXISTS',
      `${target} exists and is not empty (pass --force to write into it)`,
    );
  }
  // Files every template has (tsconfig, vitest config, the dev runner, main.ts) live in
  // _shared; a template's own file of the same name wins.
  cpSync(join(templatesRoot, '_shared'), target, { recursive: true, force: true });
  cpSync(template, target, { recursive: true, force: true });
  // npm drops .gitignore from published packages, so the templates ship it as _gitignore.
  if (existsSync(join(target, '_gitignore')))
    renameSync(join(target, '_gitignore'), join(target, '.gitignore'));
  fillPlaceholders(target, {
    name: options.name,
    bbwebserviceVersion: options.bbwebserviceVersion ?? `^${ownVersion()}`,
  });
  return target;
}

/** Text files get their placeholders filled; binary files (the sample video) are left alone. */
const TEXT_FILE = /\.(?:ts|js|mjs|json|md|html|css|txt)$|^\.gitignore$/;

function fillPlaceholders(dir: string, values: Readonly<Record<string, string>>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') fillPlaceholders(path, values);
      continue;
    }
    if (!TEXT_FILE.test(entry.name)) continue;
    const text = readFileSync(path, 'utf8');
    const filled = text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
    if (filled !== text) writeFileSync(path, filled);
  }
}
