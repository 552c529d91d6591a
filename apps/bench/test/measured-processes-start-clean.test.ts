import { afterEach, describe, expect, it } from 'vitest';
import { MACHINE_START_VARIABLES, measuredEnv, spawnPinned, stop } from '../src/suite/tools.js';

// docs/benchmarks.md, "The machine's environment" and the cold-start scenario: every measured
// process starts without NODE_EXTRA_CA_CERTS, with the rest of the runner's environment and
// the variables the suite adds; a cold start is spawned without the shell, the same node.

const saved = process.env.NODE_EXTRA_CA_CERTS;
afterEach(() => {
  if (saved === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
  else process.env.NODE_EXTRA_CA_CERTS = saved;
  delete process.env.BBWS_MEASURED_ENV_PROBE;
});

/** What a node spawned as the suite spawns servers reports of its environment. */
async function report(
  raiseFileLimit: boolean,
): Promise<{ ca: string | null; probe: string | null; added: string | null }> {
  const child = spawnPinned(
    0,
    [
      '-e',
      'process.stdout.write(JSON.stringify({ ca: process.env.NODE_EXTRA_CA_CERTS ?? null, probe: process.env.BBWS_MEASURED_ENV_PROBE ?? null, added: process.env.BENCH_ADDED ?? null }))',
    ],
    { BENCH_ADDED: 'yes' },
    'pipe',
    { raiseFileLimit },
  );
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  await stop(child);
  expect(code).toBe(0);
  return JSON.parse(out) as { ca: string | null; probe: string | null; added: string | null };
}

describe('the processes the suite measures', () => {
  it('names NODE_EXTRA_CA_CERTS as the variable it removes', () => {
    expect(MACHINE_START_VARIABLES).toEqual(['NODE_EXTRA_CA_CERTS']);
    process.env.NODE_EXTRA_CA_CERTS = '/etc/ssl/certs/ca-certificates.crt';
    const env = measuredEnv({ BENCH_PORT: '1' });
    expect('NODE_EXTRA_CA_CERTS' in env).toBe(false);
    expect(env.BENCH_PORT).toBe('1');
    expect(env.PATH).toBe(process.env.PATH);
  });

  it.each([true, false])(
    'start without it and with the rest of the environment (file limit raised: %s)',
    async (raiseFileLimit) => {
      process.env.NODE_EXTRA_CA_CERTS = '/etc/ssl/certs/ca-certificates.crt';
      process.env.BBWS_MEASURED_ENV_PROBE = 'kept';
      expect(await report(raiseFileLimit)).toEqual({ ca: null, probe: 'kept', added: 'yes' });
    },
  );
});
