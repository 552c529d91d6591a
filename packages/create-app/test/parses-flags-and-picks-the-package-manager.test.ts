import { describe, expect, it } from 'vitest';
import { detectPackageManager, parseCliArgs, planFromArgs } from '../src/index.js';

describe('command line', () => {
  it('reads every flag the prompts stand for', () => {
    expect(
      parseCliArgs([
        'my-app',
        'dir',
        '--template',
        'api',
        '--pm',
        'pnpm',
        '--no-install',
        '--no-git',
        '--yes',
        '--force',
      ]),
    ).toEqual({
      name: 'my-app',
      directory: 'dir',
      template: 'api',
      packageManager: 'pnpm',
      isGitWanted: false,
      isInstallWanted: false,
      isYes: true,
      isForce: true,
      isHelp: false,
      isVersion: false,
    });
  });

  it.each([
    [['--template', 'nope'], 'BBWS_ERR_SCAFFOLD_TEMPLATE'],
    [['--pm', 'cargo'], 'BBWS_ERR_SCAFFOLD_PACKAGE_MANAGER'],
    [['--unknown'], 'BBWS_ERR_SCAFFOLD_ARGS'],
    [['--template'], 'BBWS_ERR_SCAFFOLD_ARGS'],
    [['a', 'b', 'c'], 'BBWS_ERR_SCAFFOLD_ARGS'],
  ])('refuses %j with %s', (argv, code) => {
    expect(() => parseCliArgs(argv)).toThrow(expect.objectContaining({ code }));
  });

  it('without a terminal needs a name or --yes, and --yes takes the defaults', () => {
    expect(() => planFromArgs(parseCliArgs([]), true)).toThrow(
      expect.objectContaining({ code: 'BBWS_ERR_SCAFFOLD_ARGS' }),
    );
    expect(planFromArgs(parseCliArgs(['--yes', '--pm', 'npm']), true)).toEqual({
      name: 'bbws-app',
      directory: 'bbws-app',
      template: 'minimal',
      packageManager: 'npm',
      isGitWanted: true,
      isInstallWanted: true,
      isForce: false,
    });
    expect(planFromArgs(parseCliArgs(['@me/app', '--yes']), false)).toMatchObject({
      directory: 'app',
      isGitWanted: false,
    });
  });

  it('picks the package manager that runs it from npm_config_user_agent', () => {
    expect(detectPackageManager('pnpm/10.34.9 npm/? node/v20.20.0 linux x64')).toBe('pnpm');
    expect(detectPackageManager('npm/11.6.0 node/v20.20.0 linux x64 workspaces/false')).toBe('npm');
    expect(detectPackageManager('yarn/4.9.0 npm/? node/v20.20.0')).toBe('yarn');
    expect(detectPackageManager(undefined)).toBe('npm');
  });
});
