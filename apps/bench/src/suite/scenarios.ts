/** The suite's servers and scenarios, and how one server is measured in one scenario. */
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { FILE_NAME, HELLO, receipt, sampleOrder, userOf } from '../servers/common.js';
import type { Figures, LoadSettings, MetricDef, ScenarioDef, ServerDef } from './model.js';
import {
  cpuSeconds,
  expectLine,
  firstOk,
  lines,
  median,
  memoryMiB,
  resetPeak,
  sleep,
  spawnPinned,
  stop,
  type WrkResult,
  wrk,
} from './tools.js';

const DIST = fileURLToPath(new URL('..', import.meta.url));
const BENCH_ROOT = join(DIST, '..');
const REPO_ROOT = join(BENCH_ROOT, '..', '..');
const WRK_DIR = join(BENCH_ROOT, 'wrk');

export const SERVERS: readonly ServerDef[] = [
  { id: 'ours', label: 'bbwebservice', entry: 'ours.js' },
  { id: 'ours-offload', label: 'bbwebservice, /spin offloaded', entry: 'ours-offload.js' },
  { id: 'quickstart', label: 'bbwebservice quickstart', entry: 'apps/quickstart/dist/main.js' },
  { id: 'fastify', label: 'Fastify 5', entry: 'fastify.js' },
  { id: 'nest-fastify', label: 'NestJS 12 (Fastify)', entry: 'nest-fastify.js' },
  { id: 'nest-express', label: 'NestJS 12 (Express)', entry: 'nest-express.js' },
  { id: 'hono', label: 'Hono 4', entry: 'hono.js' },
  { id: 'express', label: 'Express 5', entry: 'express.js' },
  { id: 'node-http', label: 'node:http', entry: 'node-http.js' },
  { id: 'raw-net', label: 'raw net (canned)', entry: 'raw-net.js' },
];

export function serverById(id: string): ServerDef {
  const server = SERVERS.find((s) => s.id === id);
  if (server === undefined)
    throw new Error(`unknown server ${id} (known: ${SERVERS.map((s) => s.id).join(', ')})`);
  return server;
}

const FRAMEWORKS = ['ours', 'fastify', 'nest-fastify', 'nest-express', 'hono', 'express', 'node-http'];
/**
 * Raw net runs next to ours: the bars hold ours against raw net within a round, and on this
 * machine the speed drifts within a minute (the order reverses every other round, so the two
 * stay neighbours).
 */
const ALL = ['ours', 'raw-net', ...FRAMEWORKS.slice(1)];
const RAW_SKIP = { 'raw-net': 'answers one canned text; it has no routes' };

const LOAD: readonly MetricDef[] = [
  { key: 'cpuUs', label: 'server CPU per request', unit: 'µs', better: 'lower', chart: true },
  { key: 'rps', label: 'requests/s', unit: '/s', better: 'higher' },
  { key: 'p99Ms', label: 'p99 latency', unit: 'ms', better: 'lower' },
  { key: 'peakRssMiB', label: 'peak RSS', unit: 'MiB', better: 'lower' },
];

export const SCENARIOS: readonly ScenarioDef[] = [
  {
    id: 'plaintext',
    title: 'Plaintext GET',
    kind: 'wrk',
    description: '`GET /hello`, a 24-byte text; wrk sends the same head every time.',
    servers: ALL,
    skipped: {},
    metrics: LOAD,
  },
  {
    id: 'json-param',
    title: 'JSON GET with a path parameter',
    kind: 'wrk',
    description: '`GET /users/12345` answered with a JSON object built from the parameter.',
    servers: FRAMEWORKS,
    skipped: RAW_SKIP,
    metrics: LOAD,
  },
  {
    id: 'browser-like',
    title: 'Browser-like heads',
    kind: 'wrk',
    description:
      "`GET /hello` with about 650-byte heads (`wrk/browser-like.lua`): a browser's headers, a query and a cookie that change on every request.",
    servers: ALL,
    skipped: {},
    metrics: LOAD,
  },
  {
    id: 'post-json',
    title: 'POST 1 KiB JSON, validated',
    kind: 'wrk',
    description:
      '`POST /orders` with a 1 KiB JSON order, validated, answered with a small JSON receipt. Validators: zod for bbwebservice (`@Body(schema)`), Hono (`hono/validator`), Express and node:http; JSON Schema (ajv) for Fastify; class-validator DTOs through the global `ValidationPipe` for both NestJS servers.',
    servers: FRAMEWORKS,
    skipped: RAW_SKIP,
    metrics: LOAD,
  },
  {
    id: 'ranged',
    title: '64 KiB ranged reads of a 16 MiB file',
    kind: 'wrk',
    description:
      '`GET /file.bin` with `Range: bytes=...` walking the 256 ranges of 64 KiB (`wrk/ranges.lua`), answered 206. bbwebservice: `PartialContent`; Fastify and NestJS on Fastify: @fastify/static (`useStaticAssets`); Express and NestJS on Express: `express.static`; Hono: `serveStatic` of @hono/node-server.',
    servers: ['ours', 'fastify', 'nest-fastify', 'nest-express', 'hono', 'express'],
    skipped: { 'node-http': 'has no usual way to serve files', ...RAW_SKIP },
    metrics: LOAD,
  },
  {
    id: 'sse',
    title: 'SSE fan-out',
    kind: 'sse',
    description:
      'Clients hold `GET /events` open; `GET /broadcast` writes one event (about 90 bytes) to every client. The client process (core 1) keeps 4 broadcasts in flight: it sends the next when every client has the event 4 broadcasts back; after a warm-up (as long as in the load scenarios), events delivered are counted for the measured time. bbwebservice: an `SseChannel` (one encoded event written to every subscriber); NestJS: `@Sse()` with an rxjs Subject; Hono: `streamSSE`; Fastify (hijacked reply), Express and node:http write to the response.',
    servers: FRAMEWORKS,
    skipped: RAW_SKIP,
    metrics: [
      { key: 'eventsPerSec', label: 'events delivered/s', unit: '/s', better: 'higher', chart: true },
      { key: 'cpuUs', label: 'server CPU per event', unit: 'µs', better: 'lower' },
      { key: 'peakRssMiB', label: 'peak RSS', unit: 'MiB', better: 'lower' },
    ],
  },
  {
    id: 'idle',
    title: 'Idle keep-alive connections',
    kind: 'idle',
    description:
      "A client process (core 1) opens the connections, sends one `GET /hello` on each, reads the answer and leaves them open; the server's RSS is read half a second after the last answer.",
    servers: ALL,
    skipped: {},
    metrics: [
      { key: 'rssMiB', label: 'RSS with all open', unit: 'MiB', better: 'lower', chart: true },
      { key: 'open', label: 'connections still open', unit: '', better: 'higher' },
    ],
  },
  {
    id: 'cold-start',
    title: 'Cold start',
    kind: 'cold',
    description:
      'From `spawn()` of the server process (`taskset -c 0 node ENTRY`, without the shell that raises the open-file limit for the load scenarios, about 7.5 ms of its own) to the first 200 of `GET /hello` (polled every millisecond); the median of the samples in a round; RSS when that 200 arrived. Servers start without `NODE_EXTRA_CA_CERTS` (see the method above). The quickstart is `apps/quickstart/dist/main.js`, the app of the getting-started page.',
    servers: ['quickstart', ...ALL],
    skipped: {},
    metrics: [
      { key: 'coldMs', label: 'spawn to first 200', unit: 'ms', better: 'lower', chart: true },
      { key: 'rssMiB', label: 'RSS after start', unit: 'MiB', better: 'lower' },
    ],
  },
  {
    id: 'cpu-route',
    title: 'A CPU route of 2 ms, inline and offloaded',
    kind: 'cpu',
    description:
      '`GET /spin` spends 2 ms of CPU (16 connections; 4 in smoke runs) while `GET /hello` is requested on 2 more connections; both wrk processes on core 1. bbwebservice inline, bbwebservice with `@Offload()` on /spin and 2 worker threads (pinned with the server to core 0, so offloading cannot add CPU, it keeps the event loop free), Fastify inline as the reference.',
    servers: ['ours', 'ours-offload', 'fastify'],
    skipped: { 'the other peers': 'the scenario is about our pool; Fastify inline is the reference' },
    metrics: [
      { key: 'spinRps', label: '/spin requests/s', unit: '/s', better: 'higher' },
      { key: 'cheapP99Ms', label: 'p99 of /hello meanwhile', unit: 'ms', better: 'lower', chart: true },
      { key: 'cheapRps', label: '/hello requests/s meanwhile', unit: '/s', better: 'higher' },
    ],
  },
];

export interface Settings extends LoadSettings {
  readonly port: number;
  readonly dir: string;
  /** Connections on the CPU route (16; fewer in smoke runs, so the cheap route gets answers). */
  readonly spinConnections: number;
}

function serverArgs(server: ServerDef): string[] {
  if (isAbsolute(server.entry)) return [server.entry];
  return [server.entry.includes('/') ? join(REPO_ROOT, server.entry) : join(DIST, 'servers', server.entry)];
}

function serverEnv(server: ServerDef, settings: Settings): Record<string, string> {
  const env: Record<string, string> = { BENCH_PORT: String(settings.port), BENCH_DIR: settings.dir };
  if (server.id === 'quickstart') env.BBWS_CONFIG = join(settings.dir, 'quickstart-config.json');
  return env;
}

/** Writes what the servers read: the 16 MiB file, the quickstart's config. */
export function prepareDir(settings: Settings, content: Buffer): void {
  writeFileSync(join(settings.dir, FILE_NAME), content);
  writeFileSync(
    join(settings.dir, 'quickstart-config.json'),
    JSON.stringify({ server: [{ ip: '127.0.0.1', port: settings.port }], log: { console: false } }),
  );
}

export interface Running {
  readonly server: ServerDef;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly ms: number;
}

/**
 * Starts `server` pinned to core 0 and waits for its first 200. `cold`: for the cold-start
 * scenario, spawned without the shell that raises the open-file limit (see spawnPinned).
 */
export async function startServer(server: ServerDef, settings: Settings, cold = false): Promise<Running> {
  const t0 = performance.now();
  const child = spawnPinned(0, serverArgs(server), serverEnv(server, settings), 'ignore', {
    raiseFileLimit: !cold,
  });
  try {
    const ms = await firstOk(settings.port, t0, child);
    return { server, child, pid: child.pid as number, ms };
  } catch (error) {
    await stop(child);
    throw new Error(`${server.id}: ${(error as Error).message}`);
  }
}

/** One check of the answer before the load: a fast wrong answer cannot win. */
async function check(scenario: string, server: string, port: number, content: Buffer): Promise<void> {
  const base = `http://127.0.0.1:${port}`;
  const fail = (what: string) => {
    throw new Error(`${server} failed the ${scenario} check: ${what}`);
  };
  if (scenario === 'plaintext' || scenario === 'browser-like') {
    const response = await fetch(`${base}/hello?page=1`);
    const body = await response.text();
    if (response.status !== 200 || body !== HELLO) fail(`${response.status} ${JSON.stringify(body)}`);
  } else if (scenario === 'json-param') {
    const response = await fetch(`${base}/users/12345`);
    const body: unknown = await response.json();
    if (response.status !== 200 || !isDeepStrictEqual(body, userOf('12345')))
      fail(`${response.status} ${JSON.stringify(body)}`);
  } else if (scenario === 'post-json') {
    const order = sampleOrder();
    const post = (value: unknown) =>
      fetch(`${base}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(value),
      });
    const ok = await post(order);
    const body: unknown = await ok.json();
    if (ok.status !== 200 || !isDeepStrictEqual(body, receipt(order)))
      fail(`${ok.status} ${JSON.stringify(body)}`);
    const bad = await post({ ...order, items: [{ sku: 'nope', qty: 0, price: -1 }] });
    await bad.arrayBuffer();
    if (bad.status !== 400) fail(`an invalid order got ${bad.status}, not 400`);
  } else if (scenario === 'ranged') {
    const first = 77 * 65536;
    const response = await fetch(`${base}/${FILE_NAME}`, {
      headers: { range: `bytes=${first}-${first + 65535}` },
    });
    const body = Buffer.from(await response.arrayBuffer());
    if (response.status !== 206 || !body.equals(content.subarray(first, first + 65536))) {
      fail(`${response.status} with ${body.length} bytes that are not the file's`);
    }
  } else if (scenario === 'cpu-route') {
    const response = await fetch(`${base}/spin`);
    const body = await response.text();
    if (response.status !== 200 || body !== 'spun') fail(`/spin: ${response.status} ${JSON.stringify(body)}`);
  }
}

function wrkTarget(
  scenario: string,
  port: number,
): { url: string; script?: string; env?: Record<string, string> } {
  const base = `http://127.0.0.1:${port}`;
  switch (scenario) {
    case 'plaintext':
      return { url: `${base}/hello` };
    case 'json-param':
      return { url: `${base}/users/12345` };
    case 'browser-like':
      return { url: `${base}/hello`, script: join(WRK_DIR, 'browser-like.lua') };
    case 'post-json':
      return {
        url: `${base}/orders`,
        script: join(WRK_DIR, 'post-order.lua'),
        env: { ORDER_BODY: JSON.stringify(sampleOrder()) },
      };
    case 'ranged':
      return { url: `${base}/${FILE_NAME}`, script: join(WRK_DIR, 'ranges.lua') };
    default:
      throw new Error(`no wrk target for ${scenario}`);
  }
}

function loadFigures(result: WrkResult, cpu: number, peak: number): Figures {
  return {
    cpuUs: (cpu * 1e6) / result.requests,
    rps: result.rps,
    p99Ms: result.p99Ms,
    peakRssMiB: peak,
    requests: result.requests,
    non2xx: result.non2xx,
    socketErrors: result.socketErrors,
  };
}

async function measureWrk(
  scenario: ScenarioDef,
  running: Running,
  settings: Settings,
  content: Buffer,
): Promise<Figures> {
  const { server, pid } = running;
  {
    await check(scenario.id, server.id, settings.port, content);
    const target = wrkTarget(scenario.id, settings.port);
    const connections = scenario.id === 'ranged' ? Math.min(32, settings.connections) : settings.connections;
    if (settings.warmupSeconds > 0) await wrk({ ...target, connections, seconds: settings.warmupSeconds });
    // A run that counted no request at all (the server got no CPU for the whole of a short smoke
    // run on a busy machine) is taken again, twice at most; its figures would be meaningless.
    for (let attempt = 1; ; attempt++) {
      resetPeak(pid);
      const before = cpuSeconds(pid);
      const result = await wrk({ ...target, connections, seconds: settings.seconds });
      const cpu = cpuSeconds(pid) - before;
      if (result.requests > 0 || attempt === 3) return loadFigures(result, cpu, memoryMiB(pid, 'VmHWM'));
    }
  }
}

async function measureSse(running: Running, settings: Settings): Promise<Figures> {
  const { server, pid } = running;
  const client = spawnPinned(
    1,
    [
      join(DIST, 'clients', 'sse-client.js'),
      String(settings.port),
      String(settings.sseClients),
      String(settings.seconds * 1000),
      String(settings.warmupSeconds * 1000),
    ],
    {},
    'pipe',
  );
  try {
    const out = lines(client);
    await expectLine(out, 'READY', `${server.id}'s SSE client`);
    await expectLine(out, 'MEASURE', `${server.id}'s SSE client`);
    resetPeak(pid);
    const before = cpuSeconds(pid);
    const done = JSON.parse(await expectLine(out, 'DONE', `${server.id}'s SSE client`)) as Record<
      string,
      number
    >;
    const cpu = cpuSeconds(pid) - before;
    const peak = memoryMiB(pid, 'VmHWM');
    if (done.open !== settings.sseClients)
      throw new Error(`${server.id}: ${done.open} of ${settings.sseClients} SSE clients still open`);
    return {
      eventsPerSec: done.eventsPerSec as number,
      cpuUs: (cpu * 1e6) / (done.delivered as number),
      peakRssMiB: peak,
      delivered: done.delivered as number,
      broadcasts: done.broadcasts as number,
    };
  } finally {
    client.stdin?.end();
    await stop(client);
  }
}

async function measureIdle(running: Running, settings: Settings): Promise<Figures> {
  const { server, pid } = running;
  resetPeak(pid);
  const client = spawnPinned(
    1,
    [join(DIST, 'clients', 'idle-client.js'), String(settings.port), String(settings.idleConnections)],
    {},
    'pipe',
  );
  try {
    const out = lines(client);
    const opened = JSON.parse(await expectLine(out, 'OPEN', `${server.id}'s idle client`)) as Record<
      string,
      number
    >;
    await sleep(500);
    const rss = memoryMiB(pid, 'VmRSS');
    const peak = memoryMiB(pid, 'VmHWM');
    client.stdin?.write('\n');
    const open = Number(await expectLine(out, 'STILL', `${server.id}'s idle client`));
    return { rssMiB: rss, peakRssMiB: peak, open, openMs: opened.ms as number };
  } finally {
    client.stdin?.end();
    await stop(client);
  }
}

async function measureCold(server: ServerDef, settings: Settings): Promise<Figures> {
  const times: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < settings.coldStartSamples; i++) {
    const { child, pid, ms } = await startServer(server, settings, true);
    try {
      times.push(ms);
      rss.push(memoryMiB(pid, 'VmRSS'));
    } finally {
      await stop(child);
    }
  }
  return { coldMs: median(times), rssMiB: median(rss), samples: times.length };
}

async function measureCpu(running: Running, settings: Settings, content: Buffer): Promise<Figures> {
  const { server, pid } = running;
  const base = `http://127.0.0.1:${settings.port}`;
  {
    await check('cpu-route', server.id, settings.port, content);
    const load = (seconds: number) =>
      Promise.all([
        wrk({ url: `${base}/spin`, connections: settings.spinConnections, seconds }),
        wrk({ url: `${base}/hello`, connections: 2, seconds }),
      ]);
    if (settings.warmupSeconds > 0) await load(settings.warmupSeconds);
    resetPeak(pid);
    const before = cpuSeconds(pid);
    const [spinResult, cheap] = await load(settings.seconds);
    const cpu = cpuSeconds(pid) - before;
    return {
      spinRps: spinResult.rps,
      cheapP99Ms: cheap.p99Ms,
      cheapRps: cheap.rps,
      spinP99Ms: spinResult.p99Ms,
      cpuUs: (cpu * 1e6) / (spinResult.requests + cheap.requests),
      peakRssMiB: memoryMiB(pid, 'VmHWM'),
      non2xx: spinResult.non2xx + cheap.non2xx,
    };
  }
}

/**
 * Measures one server in one scenario: on RUNNING (a server process started for it, or shared
 * by the scenarios of a smoke run; its peak RSS is reset first), or, for cold start, on
 * processes of its own.
 */
export function measure(
  scenario: ScenarioDef,
  server: ServerDef,
  running: Running | undefined,
  settings: Settings,
  content: Buffer,
): Promise<Figures> {
  if (scenario.kind === 'cold') return measureCold(server, settings);
  if (running === undefined) throw new Error(`${scenario.id} needs a running server`);
  switch (scenario.kind) {
    case 'wrk':
      return measureWrk(scenario, running, settings, content);
    case 'sse':
      return measureSse(running, settings);
    case 'idle':
      return measureIdle(running, settings);
    case 'cpu':
      return measureCpu(running, settings, content);
  }
}
