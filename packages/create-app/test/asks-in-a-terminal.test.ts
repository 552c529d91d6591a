import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = resolve(import.meta.dirname, '../dist/cli.js');
const DOWN = '\u001b[B';
const RIGHT = '\u001b[C';
const ENTER = '\r';

/**
 * Runs the CLI under a pseudo-terminal (util-linux `script`), so stdin and stdout are TTYs and
 * the clack prompts run; answers each prompt when its question has appeared on the screen.
 */
function runInTerminal(cwd: string, answers: ReadonlyArray<readonly [RegExp, string]>) {
  // A new pty has no size, and clack wraps its lines at the width it reports: give it one.
  const command = `stty cols 120 rows 40; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(cli)}`;
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_user_agent: 'npm/11.0.0 node/v20', TERM: 'xterm', CI: '' },
  });
  let screen = '';
  let next = 0;
  const deadline = setTimeout(() => child.kill('SIGKILL'), 20_000);
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString();
    const answer = answers[next];
    if (answer?.[0].test(screen.slice(screen.lastIndexOf('◆')))) {
      next++;
      child.stdin.write(answer[1]);
    }
  });
  return new Promise<{ code: number | null; screen: string; answered: number }>((done) => {
    child.on('exit', (code) => {
      clearTimeout(deadline);
      done({ code, screen, answered: next });
    });
  });
}

describe('create-bbws-app in a terminal', () => {
  it('asks for name, template, package manager, git and install, then scaffolds what was chosen', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'bbws-tty-'));
    const result = await runInTerminal(cwd, [
      [/App name/, `tty-app${ENTER}`],
      [/Template/, `${DOWN}${ENTER}`], // minimal → api
      [/Package manager/, `${DOWN}${ENTER}`], // npm → pnpm
      [/git repository/, `${RIGHT}${ENTER}`], // Yes → No
      [/Install dependencies now \(pnpm install\)/, `${RIGHT}${ENTER}`], // Yes → No
    ]);
    expect(result.answered, result.screen).toBe(5);
    expect(result.code, result.screen).toBe(0);
    const app = join(cwd, 'tty-app');
    expect(JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).dependencies.zod).toBeDefined(); // api
    expect(existsSync(join(app, 'src/todos/todo-controller.ts'))).toBe(true);
    expect(existsSync(join(app, '.git'))).toBe(false);
    expect(existsSync(join(app, 'node_modules'))).toBe(false);
    expect(result.screen).toContain('Next steps');
    expect(result.screen).toContain('pnpm install');
    expect(result.screen).toContain('pnpm dev');
  });

  it('refuses an invalid name at the prompt and asks again', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'bbws-tty-'));
    const result = await runInTerminal(cwd, [
      [/App name/, `Bad Name${ENTER}`],
      [/capital letters/, `${'\u007f'.repeat(8)}good-name${ENTER}`],
      [/Template/, ENTER],
      [/Package manager/, ENTER],
      [/git repository/, `${RIGHT}${ENTER}`],
      [/Install dependencies/, `${RIGHT}${ENTER}`],
    ]);
    expect(result.answered, result.screen).toBe(6);
    expect(result.code, result.screen).toBe(0);
    expect(existsSync(join(cwd, 'good-name/src/hello-controller.ts'))).toBe(true);
    expect(existsSync(join(cwd, 'Bad Name'))).toBe(false);
  });
});
