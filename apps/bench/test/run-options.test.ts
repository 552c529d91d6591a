/**
 * The suite's command line (docs/benchmarks.md, "The suite"): `--help` prints the usage and
 * exits 0; what run.js or a subcommand does not understand stops it with a message naming it
 * and exit code 2, before anything runs. "Before anything runs" is checked where it shows: the
 * suite makes its `--out` directory when it measures, so a refused command line leaves none.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Args, type CommandSpec, HelpRequested, UsageError, usageText } from '../src/analysis/args.js';
import { requireBuilt, runSuite } from './run-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'bbws-run-options-'));
let outs = 0;
/** A directory the suite would make if it ran (a new name for each case). */
const freshOut = () => join(dir, `out-${++outs}`);

beforeAll(() => requireBuilt());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The subcommands, as `run.js --help` lists them. */
async function subcommands(): Promise<string[]> {
  const ran = await runSuite(['--help']);
  const line = /^Subcommands \(run\.js SUBCOMMAND --help\): (.+)\.$/m.exec(ran.stdout);
  if (line === null) throw new Error(`run.js --help lists no subcommands:\n${ran.stdout}`);
  return (line[1] as string).split(', ');
}

describe('run.js --help', () => {
  it.each([['--help'], ['-h']])(
    '%s prints the usage and every option, exits 0, and runs nothing',
    async (help) => {
      const out = freshOut();
      const ran = await runSuite(['--scenario', 'plaintext', '--out', out, help]);
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.stdout).toMatch(/^usage: run\.js /);
      for (const option of [
        '--scenario IDS',
        '--servers IDS',
        '--rounds N',
        '--smoke',
        '--no-lock',
        '--sse-clients N',
      ])
        expect(ran.stdout).toContain(option);
      expect(ran.stderr).toBe('');
      expect(existsSync(out)).toBe(false);
    },
  );

  it('lists the subcommands, each of which has its own --help', async () => {
    const names = await subcommands();
    expect(names).toEqual(expect.arrayContaining(['compare', 'instructions', 'sse-writes', 'heap-summary']));
    for (const name of names) {
      const ran = await runSuite([name, '--help']);
      expect(ran.code, `${name}: ${ran.stderr}`).toBe(0);
      expect(ran.stdout, name).toMatch(new RegExp(`^usage: run\\.js ${name}\\b`));
      expect(ran.stdout, name).toContain('--help, -h');
    }
  }, 60_000);
});

describe('run.js refuses what it does not understand, with exit code 2, before anything runs', () => {
  it.each([
    [['--bogus'], 'run.js: unknown option --bogus'],
    [['-x'], 'run.js: unknown option -x'],
    [['--smoke=yes'], 'run.js: --smoke takes no value'],
    [['--rounds'], 'run.js: --rounds needs a value (N)'],
    [['--rounds', '--smoke'], 'run.js: --rounds needs a value (N)'],
    [['--rounds', '2', '--rounds', '3'], 'run.js: --rounds is given twice'],
    [['--rounds', '1.5'], 'run.js: --rounds needs a whole number >= 1, not "1.5"'],
    [['--duration', 'five'], 'run.js: --duration needs a number >= 0, not "five"'],
    [['--scenario', 'plaintext,nope'], 'run.js: unknown scenario "nope" (known: plaintext,'],
    [['--servers', 'ours,nope'], 'run.js: unknown server "nope" (known: ours,'],
    [['--serve', 'nope'], 'run.js: unknown server nope'],
    [['--scenario', 'sse', '--docs', 'x.md'], 'run.js: --docs and --charts go together'],
    [['comapre', '--before', 'main'], 'run.js: unknown subcommand comapre (known: compare,'],
  ])('%j', async (args, message) => {
    const out = freshOut();
    const ran = await runSuite([...args, '--out', out]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain(message);
    expect(ran.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('a subcommand refuses an option it does not know, naming it', async () => {
    for (const name of await subcommands()) {
      const ran = await runSuite([name, '--bogus', 'x']);
      expect(ran.code, name).toBe(2);
      expect(ran.stderr, name).toContain(
        `run.js ${name}: unknown option --bogus (run.js ${name} --help lists the options)`,
      );
    }
  }, 60_000);

  it.each([
    [['compare'], 'run.js compare: compare needs --before'],
    [['compare', '--before'], 'run.js compare: --before needs a value (DIR|REV)'],
    [
      ['compare', '--before', 'HEAD', '--servers', 'fastify'],
      'unknown server of ours "fastify" (known: ours,',
    ],
    [['compare', '--before', 'HEAD', '--scenario', 'nope'], 'unknown scenario "nope"'],
    [
      ['compare', '--before', 'HEAD', '--instructions', '--scenario', 'sse'],
      '--instructions counts cold-start',
    ],
    [['compare', '--before', 'HEAD', '--idle', '0'], '--idle needs a whole number >= 1, not "0"'],
    [['instructions', '--port', '7420'], 'run.js instructions: no server command: put it after --'],
    [
      ['instructions', '--kind', 'nope', '--', 'node', 'x.js'],
      '--kind is plaintext, json-param, browser-like or a path',
    ],
    [['instructions', '--requests', '0', '--', 'node', 'x.js'], '--requests needs a whole number >= 1'],
    [['sse-writes', '--servers', 'raw-net'], 'unknown server of the sse scenario "raw-net"'],
    [['sse-writes', '--batch'], '--batch needs a value (N)'],
    [['profile', '--kind', 'nope'], '--kind is plaintext, json-param, browser-like or a path, not nope'],
    [['profile', '--server', 'nope'], 'unknown server nope'],
    [['idle-snapshot'], 'idle-snapshot needs --out FILE'],
    [['heap-summary'], 'run.js heap-summary: missing FILE'],
    [['heap-summary', 'a.heapsnapshot', 'b'], 'run.js heap-summary: unexpected argument b'],
    [['heap-edges', 'a.heapsnapshot'], 'run.js heap-edges: missing NAME'],
    [['parse', '--kind', 'nope'], '--kind is plaintext, json-param, browser-like, not nope'],
  ])('%j', async (args, message) => {
    const ran = await runSuite(args);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain(message);
  });
});

describe('Args (the parser behind them)', () => {
  const spec: CommandSpec = {
    usage: 'run.js thing FILE [NAME] [options]',
    about: 'A test command.',
    options: {
      out: { value: 'FILE', help: 'where it goes' },
      count: { value: 'N', help: 'how many' },
      fast: { help: 'be fast' },
    },
    positionals: { names: ['FILE', 'NAME'], required: 1 },
  };
  const refused = (argv: string[]) => {
    try {
      new Args(argv, spec);
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('reads values, --name=value, flags and positionals', () => {
    const args = new Args(['a.txt', '--out', 'o.json', '--count=3', '--fast', '-'], spec);
    expect(args.positional).toEqual(['a.txt', '-']);
    expect(args.optional('out')).toBe('o.json');
    expect(args.integer('count', 0)).toBe(3);
    expect(args.has('fast')).toBe(true);
    expect(args.optional('missing')).toBeUndefined();
  });

  it('refuses unknown options, missing values and positionals, and values given twice', () => {
    expect(refused(['a', '--nope'])).toEqual(new UsageError('unknown option --nope'));
    expect(refused(['a', '--nope=1'])).toEqual(new UsageError('unknown option --nope'));
    expect(refused(['a', '--out'])).toEqual(new UsageError('--out needs a value (FILE)'));
    expect(refused(['a', '--out', '--fast'])).toEqual(new UsageError('--out needs a value (FILE)'));
    expect(refused(['a', '--out', 'x', '--out=y'])).toEqual(new UsageError('--out is given twice'));
    expect(refused(['a', '--fast=1'])).toEqual(new UsageError('--fast takes no value: --fast=1'));
    expect(refused([])).toEqual(new UsageError('missing FILE'));
    expect(refused(['a', 'b', 'c'])).toEqual(new UsageError('unexpected argument c'));
    expect(refused(['a', '--__proto__', 'x'])).toEqual(new UsageError('unknown option --__proto__'));
  });

  it('--help or -h anywhere asks for the usage, which names every option', () => {
    const help = refused(['--nope', '-h']);
    expect(help).toBeInstanceOf(HelpRequested);
    const text = (help as HelpRequested).text;
    expect(text).toBe(usageText(spec));
    expect(text).toMatch(/^usage: run\.js thing FILE \[NAME\] \[options\]\n\nA test command\.\n/);
    for (const line of ['--count N  how many', '--fast     be fast', '--out FILE  where it goes'])
      expect(text.replace(/ +/g, ' ')).toContain(line.replace(/ +/g, ' '));
  });

  it('leaves what follows -- to the command, unread', () => {
    const args = new Args(['--count', '2', '--', 'node', 'server.js', '--help', '--nope'], {
      ...spec,
      positionals: { names: [], required: 0 },
      rest: 'COMMAND...',
    });
    expect(args.rest).toEqual(['node', 'server.js', '--help', '--nope']);
    expect(args.integer('count', 0, 1)).toBe(2);
  });

  it('checks numbers and lists', () => {
    const args = new Args(['a', '--count', '', '--out', 'x,y'], spec);
    expect(() => args.number('count', 1)).toThrow(new UsageError('--count needs a number >= 0, not ""'));
    expect(args.list('out', [], ['x', 'y'], 'thing')).toEqual(['x', 'y']);
    expect(() => args.list('out', [], ['x'], 'thing')).toThrow(
      new UsageError('unknown thing "y" (known: x)'),
    );
  });
});
