import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the proxy drills share: the app in a child process (support/proxied-app.mjs), nginx and
 * HAProxy as child processes of their own, and the configurations read out of
 * docs/deployment.md. Every process is ended by its pid.
 */

const APP_ENTRY = fileURLToPath(new URL('./proxied-app.mjs', import.meta.url));
const DEPLOYMENT_MD = fileURLToPath(new URL('../../../docs/deployment.md', import.meta.url));
const STDERR_TAIL_CHARS = 4000;

/** A child process ended by pid: `stop()` sends a signal and waits, `kill()` makes sure. */
export class Child {
  readonly name: string;
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly lines: string[] = [];
  readonly #child: ChildProcess;
  #isAlive = true;
  #stderr = '';

  constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.#child = child;
    this.pid = child.pid ?? -1;
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    let partial = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      partial += chunk.toString('utf8');
      for (let end = partial.indexOf('\n'); end !== -1; end = partial.indexOf('\n')) {
        this.lines.push(partial.slice(0, end));
        partial = partial.slice(end + 1);
      }
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#isAlive = false;
        resolve({ code, signal });
      });
    });
  }

  get isAlive(): boolean {
    return this.#isAlive;
  }

  get stderrTail(): string {
    return this.#stderr;
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.#isAlive) return;
    try {
      process.kill(this.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }

  /** Sends `signal`, waits up to `boundMs` for the exit, then SIGKILL. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', boundMs = 10_000): Promise<void> {
    this.signal(signal);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise((resolve) => (timer = setTimeout(resolve, boundMs)))]);
    clearTimeout(timer);
    await this.kill();
  }

  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
    this.#child.stdout?.destroy();
    this.#child.stderr?.destroy();
  }
}

/** The drill app on a fixed port; resolves once it printed its port (it listens). */
export async function startApp(spec: object, boundMs = 15_000): Promise<Child> {
  const child = new Child(
    'app',
    spawn(process.execPath, [APP_ENTRY, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const deadline = performance.now() + boundMs;
  while (!child.lines.some((line) => line.startsWith('{"port":'))) {
    if (!child.isAlive || performance.now() > deadline) {
      await child.kill();
      throw new Error(`app did not start: ${child.stderrTail}`);
    }
    await sleep(20);
  }
  return child;
}

/** The requests an app's handlers answered, printed at its exit. */
export function handledBy(app: Child): number {
  const line = app.lines.find((l) => l.startsWith('{"handled":'));
  return line === undefined ? Number.NaN : (JSON.parse(line) as { handled: number }).handled;
}

/**
 * The code block of docs/deployment.md under `<!-- drill: name -->`, with each `[from, to]`
 * replaced. Every `from` must occur: a doc that changed its ports or paths fails the drill
 * instead of running something else.
 */
export function deploymentConfig(
  name: string,
  replacements: ReadonlyArray<readonly [string, string]>,
): string {
  const page = fs.readFileSync(DEPLOYMENT_MD, 'utf8');
  const marker = `<!-- drill: ${name} -->\n`;
  const at = page.indexOf(marker);
  if (at === -1) throw new Error(`docs/deployment.md has no ${marker.trim()}`);
  const open = page.indexOf('\n', at + marker.length);
  const close = page.indexOf('\n```', open);
  if (!page.startsWith('```', at + marker.length) || close === -1)
    throw new Error(`${marker.trim()} is not followed by a code block`);
  let text = page.slice(open + 1, close + 1);
  for (const [from, to] of replacements) {
    if (!text.includes(from))
      throw new Error(`the ${name} block of docs/deployment.md no longer has ${from}`);
    text = text.replaceAll(from, to);
  }
  return text;
}

/** One GET on a fresh connection (after `prefix`, e.g. a PROXY header): the status, or the error code. */
export function get(
  port: number,
  path: string,
  boundMs = 2000,
  prefix = '',
): Promise<{ status: number; body: string } | string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, boundMs);
    socket.on('connect', () =>
      socket.write(`${prefix}GET ${path} HTTP/1.1\r\nHost: drill\r\nConnection: close\r\n\r\n`),
    );
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code ?? 'error');
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(text.slice(9, 12));
      resolve(
        text.startsWith('HTTP/1.') ? { status, body: text.slice(text.indexOf('\r\n\r\n') + 4) } : 'no answer',
      );
    });
  });
}

/** Polls `path` on `port` until it answers `status`, for at most `boundMs`. */
export async function waitForStatus(
  port: number,
  path: string,
  status: number,
  boundMs = 15_000,
  prefix = '',
): Promise<void> {
  const deadline = performance.now() + boundMs;
  let last: unknown = null;
  while (performance.now() < deadline) {
    const result = await get(port, path, 2000, prefix);
    if (typeof result !== 'string' && result.status === status) return;
    last = typeof result === 'string' ? result : result.status;
    await sleep(50);
  }
  throw new Error(
    `127.0.0.1:${port}${path} did not answer ${status} within ${boundMs} ms (last: ${String(last)})`,
  );
}

/** Where a Debian package puts a daemon's binary (`/usr/sbin` may not be on a user's PATH). */
export function binary(name: string): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin']) {
    const file = `${dir}/${name}`;
    if (dir !== '' && fs.existsSync(file)) return file;
  }
  return null;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Two drill apps on `ports`, built with `specFor(port, readyz)`. A build without the built-in
 * `/readyz` gets a route of that name from the drill app: the first app is asked (after
 * `probePrefix`, e.g. a PROXY header) and, on a 404, started again with it. Each app is pushed
 * to `apps` as soon as it runs, so the caller's `finally` ends it whatever fails later.
 * Resolves with whether the apps needed the drill's `/readyz`.
 */
export async function startTwoApps(
  ports: readonly [number, number],
  specFor: (port: number, readyz: boolean) => object,
  apps: Child[],
  probePrefix = '',
): Promise<boolean> {
  const first = await startApp(specFor(ports[0], false));
  apps.push(first);
  const probed = await get(ports[0], '/readyz', 2000, probePrefix);
  const needsReadyz = typeof probed !== 'string' && probed.status === 404;
  if (needsReadyz) {
    await first.stop();
    apps.splice(apps.indexOf(first), 1);
    apps.unshift(await startApp(specFor(ports[0], true)));
  }
  apps.push(await startApp(specFor(ports[1], needsReadyz)));
  return needsReadyz;
}

/** The proxies the drills put in front of the apps: how each is configured, run and stopped. */
const PROXIES = {
  nginx: {
    file: 'nginx.conf',
    /** A full nginx.conf around the doc's block: every path in `dir`, no root-owned file touched. */
    text: (dir: string, block: string) => {
      const user = process.getuid?.() === 0 ? `user ${os.userInfo().username};\n` : '';
      return `${user}worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
${block}
}
`;
    },
    args: (dir: string, conf: string) => ['-p', dir, '-c', conf, '-g', 'daemon off;'],
    /** SIGQUIT: nginx's graceful stop. */
    stopSignal: 'SIGQUIT' as NodeJS.Signals,
  },
  haproxy: {
    file: 'haproxy.cfg',
    text: (_dir: string, block: string) => block,
    args: (_dir: string, conf: string) => ['-db', '-f', conf],
    stopSignal: 'SIGTERM' as NodeJS.Signals,
  },
} as const;

/** A proxy started by `startProxy`; `stop()` ends it gracefully, SIGKILL after 5 s. */
export interface ProxyProcess {
  readonly child: Child;
  stop(): Promise<void>;
}

/**
 * Writes the proxy's configuration into `dir` (the docs/deployment.md block named after the
 * proxy, with `replacements`), starts it in the foreground and waits until `GET /who` through
 * `port` answers 200. A proxy that does not get there is stopped before the error is thrown.
 */
export async function startProxy(
  name: keyof typeof PROXIES,
  dir: string,
  port: number,
  replacements: ReadonlyArray<readonly [string, string]>,
): Promise<ProxyProcess> {
  const program = binary(name);
  if (program === null)
    throw new Error(`${name} is not installed (Debian package ${name}; .ci/run installs it)`);
  const proxy = PROXIES[name];
  const conf = path.join(dir, proxy.file);
  fs.writeFileSync(conf, proxy.text(dir, deploymentConfig(name, replacements)));
  const child = new Child(name, spawn(program, proxy.args(dir, conf), { stdio: ['ignore', 'pipe', 'pipe'] }));
  const handle = { child, stop: () => child.stop(proxy.stopSignal, 5000) };
  try {
    await waitForStatus(port, '/who', 200);
  } catch (error) {
    await handle.stop();
    throw new Error(`${(error as Error).message}\n${name}: ${child.stderrTail}`);
  }
  return handle;
}
