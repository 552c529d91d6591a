#!/usr/bin/env node
/**
 * The create-bbws-app command (`npm create bbws-app@latest`, `pnpm create bbws-app`): asks
 * what the flags leave open, scaffolds, runs git init and the install, prints the next steps.
 * Refusals print their code and exit 1. See docs/create-app.md.
 */
import { note, outro } from '@clack/prompts';
import { parseCliArgs, USAGE } from './args.js';
import { createApp, hasGit } from './create-app.js';
import { ScaffoldError } from './errors.js';
import { planFromArgs, planInteractively } from './plan.js';
import { isNonEmpty, ownVersion } from './scaffold.js';

async function main(): Promise<void> {
  const args = parseCliArgs(process.argv.slice(2));
  if (args.isHelp) return void console.log(USAGE);
  if (args.isVersion) return void console.log(ownVersion());
  const isInteractive = !args.isYes && process.stdin.isTTY === true && process.stdout.isTTY === true;
  const git = hasGit();
  const plan = isInteractive ? await planInteractively(args, git) : planFromArgs(args, git);
  if (isNonEmpty(plan.directory) && !plan.isForce) {
    throw new ScaffoldError(
      'BBWS_ERR_SCAFFOLD_TARGET_EXISTS',
      `${plan.directory} exists and is not empty (pass --force to write into it)`,
    );
  }
  const result = createApp(plan);
  if (isInteractive) {
    note(result.nextSteps.join('\n'), 'Next steps');
    outro('Happy hacking.');
  } else {
    console.log(`\nnext steps:\n${result.nextSteps.map((line) => `  ${line}`).join('\n')}`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof ScaffoldError) {
    console.error(`create-bbws-app: ${error.message} [${error.code}]`);
    process.exitCode = 1;
    return;
  }
  throw error;
});
