import { cpSync, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The scaffolder's error table (docs/errors.md is generated from it). */
export const SCAFFOLD_ERRORS = {
  BBWS_ERR_SCAFFOLD_NAME: 'not a valid npm package name',
  BBWS_ERR_SCAFFOLD_TARGET_EXISTS: 'the target folder exists and is not empty; nothing is written',
  BBWS_ERR_SCAFFOLD_TEMPLATE: 'no such template',
} as const;

/** Failure of the scaffolder with a stable code; see docs/errors.md. */
export class ScaffoldError extends Error {
  override readonly name = 'ScaffoldError';
  constructor(
    readonly code: keyof typeof SCAFFOLD_ERRORS,
    message: string,
  ) {
    super(message);
  }
}

/** Options of {@link scaffold}. */
export interface ScaffoldOptions {
  /** The app's package name (npm rules: lower case, no spaces). */
  readonly name: string;
  /** Folder to create; default `./<name>`. */
  readonly directory?: string;
  /** Template folder name under `templates/` (default `default`). */
  readonly template?: string;
  /** Version range of bbwebservice written into the app's package.json. */
  readonly bbwebserviceVersion?: string;
}

const NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;
const templatesRoot = fileURLToPath(new URL('../templates/', import.meta.url));

/**
 * Copies a template into a new folder, filling in `{{name}}` and `{{bbwebserviceVersion}}`.
 * @returns the absolute path of the new app
 * @throws ScaffoldError for an invalid name, an existing non-empty folder or a missing template
 */
export function scaffold(options: ScaffoldOptions): string {
  if (options.name.length > 214 || !NAME.test(options.name)) {
    throw new ScaffoldError(
      'BBWS_ERR_SCAFFOLD_NAME',
      `"${options.name}" is not a valid package name (lower-case letters, digits, ".", "_", "-")`,
    );
  }
  const templateName = options.template ?? 'default';
  const template = join(templatesRoot, templateName);
  if (!existsSync(template)) {
    throw new ScaffoldError(
      'BBWS_ERR_SCAFFOLD_TEMPLATE',
      `no template "${templateName}" in ${templatesRoot}`,
    );
  }
  const target = resolve(options.directory ?? options.name.replace(/^@[^/]+\//, ''));
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new ScaffoldError('BBWS_ERR_SCAFFOLD_TARGET_EXISTS', `${target} exists and is not empty`);
  }
  cpSync(template, target, { recursive: true });
  // npm drops .gitignore from published packages, so the template ships it as _gitignore.
  if (existsSync(join(target, '_gitignore')))
    renameSync(join(target, '_gitignore'), join(target, '.gitignore'));
  const values: Record<string, string> = {
    name: options.name,
    bbwebserviceVersion: options.bbwebserviceVersion ?? '^0.1.0',
  };
  fillPlaceholders(target, values);
  return target;
}

function fillPlaceholders(dir: string, values: Record<string, string>): void {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      fillPlaceholders(path, values);
      continue;
    }
    const text = readFileSync(path, 'utf8');
    const filled = text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
    if (filled !== text) writeFileSync(path, filled);
  }
}
