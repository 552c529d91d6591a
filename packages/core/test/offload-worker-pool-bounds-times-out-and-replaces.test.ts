import { timeoutsBeforeReplace, WorkerPool, type WorkerPoolOptions } from '@bbws/transport';
import { afterEach, describe, expect, it } from 'vitest';

// The worker fixtures import the built dist/ of @bbws/transport: run `pnpm build` first.
const script = new URL('./fixtures/pool-worker.mjs', import.meta.url);
const pools: WorkerPool[] = [];

function pool(options: Partial<WorkerPoolOptions> = {}): WorkerPool {
  const created = new WorkerPool({
    script,
    size: 1,
    maxJobsPerWorker: 2,
    jobTimeoutMs: 0,
    timeoutsBeforeReplace: 1,
    ...options,
  });
  pools.push(created);
  return created;
}

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
  return 'resolved';
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('WorkerPool', () => {
  it('runs at most maxJobsPerWorker jobs per worker and queues the rest', async () => {
    const p = pool();
    await p.ready();
    const jobs = [1, 2, 3].map(() => p.run({ kind: 'sleep', ms: 100 }));
    expect(p.queued).toBe(1);
    const results = (await Promise.all(jobs)) as Array<{ threadId: number }>;
    expect(new Set(results.map((r) => r.threadId)).size).toBe(1);
    expect(p.queued).toBe(0);
  });

  it('moves ArrayBuffers both ways and keeps the error code a job throws', async () => {
    const p = pool();
    const buffer = new Uint8Array([1, 2, 3]).buffer;
    const echoed = (await p.run({ kind: 'echo', buffer }, [buffer])) as { echo: { buffer: ArrayBuffer } };
    expect(buffer.byteLength).toBe(0); // transferred, not copied
    expect([...new Uint8Array(echoed.echo.buffer)]).toEqual([1, 2, 3]);
    const bytes = (await p.run({ kind: 'bytes', length: 4 })) as ArrayBuffer;
    expect([...new Uint8Array(bytes)]).toEqual([7, 7, 7, 7]);
    expect(await codeOf(p.run({ kind: 'throw' }))).toBe('FIXTURE_CODE');
  });

  it('times a stuck job out, replaces the worker at the threshold, fails its other jobs', async () => {
    const events: string[] = [];
    const p = pool({ jobTimeoutMs: 300, timeoutsBeforeReplace: 1, onEvent: (e) => events.push(e.kind) });
    await p.ready();
    const before = (await p.run({ kind: 'echo' })) as { threadId: number };
    const stuck = codeOf(p.run({ kind: 'spin' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const behind = codeOf(p.run({ kind: 'echo' })); // same (blocked) worker, its deadline is later
    expect(await stuck).toBe('BBWS_ERR_POOL_JOB_TIMEOUT');
    expect(await behind).toBe('BBWS_ERR_POOL_WORKER_LOST');
    expect(events).toEqual(['replaced']);
    const after = (await p.run({ kind: 'echo' })) as { threadId: number };
    expect(after.threadId).not.toBe(before.threadId);
    expect(p.size).toBe(1);
  });

  it('keeps a worker below the threshold', async () => {
    const events: string[] = [];
    const p = pool({ jobTimeoutMs: 100, timeoutsBeforeReplace: 2, onEvent: (e) => events.push(e.kind) });
    await p.ready();
    expect(await codeOf(p.run({ kind: 'sleep', ms: 400 }))).toBe('BBWS_ERR_POOL_JOB_TIMEOUT');
    expect(events).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 400)); // the late answer is dropped
    expect(await codeOf(p.run({ kind: 'echo' }))).toBe('resolved');
  });

  it('fails start and every job when the worker script does not load', async () => {
    const p = pool({ script: new URL('./fixtures/pool-worker-broken.mjs', import.meta.url) });
    expect(await codeOf(p.ready())).toBe('BBWS_ERR_POOL_WORKER_START');
    expect(await codeOf(p.run({ kind: 'echo' }))).toBe('BBWS_ERR_POOL_WORKER_START');
    expect(p.size).toBe(0);
  });

  it('close() fails queued and running jobs and refuses new ones', async () => {
    const p = pool({ maxJobsPerWorker: 1 });
    await p.ready();
    const running = codeOf(p.run({ kind: 'sleep', ms: 1000 }));
    const queued = codeOf(p.run({ kind: 'echo' }));
    await p.close();
    expect(await running).toBe('BBWS_ERR_POOL_CLOSED');
    expect(await queued).toBe('BBWS_ERR_POOL_CLOSED');
    expect(await codeOf(p.run({ kind: 'echo' }))).toBe('BBWS_ERR_POOL_CLOSED');
    expect(p.size).toBe(0);
  });

  it('refuses options below 1', () => {
    expect(
      () =>
        new WorkerPool({ script, size: 0, maxJobsPerWorker: 1, jobTimeoutMs: 0, timeoutsBeforeReplace: 1 }),
    ).toThrow(expect.objectContaining({ code: 'BBWS_ERR_POOL_OPTIONS' }));
  });
});

describe('timeoutsBeforeReplace (worker_timeout_threshold)', () => {
  it('below 1 is a ratio of the per-worker concurrency, at least 1', () => {
    expect(timeoutsBeforeReplace(0.5, 16)).toBe(8);
    expect(timeoutsBeforeReplace(0.1, 16)).toBe(2);
    expect(timeoutsBeforeReplace(0, 16)).toBe(1);
  });

  it('1 and above is a count', () => {
    expect(timeoutsBeforeReplace(1, 16)).toBe(1);
    expect(timeoutsBeforeReplace(3, 2)).toBe(3);
  });
});
