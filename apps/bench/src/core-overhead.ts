/**
 * How much the controller stack (decorators compiled to a RoutePlan, DI-resolved controller,
 * router, result mapping) costs over a bare transport handler, on the same transport.
 *
 *   node apps/bench/dist/core-overhead.js [rounds]   # alternates both servers, medians (default 3 rounds)
 *
 * Each server runs in its own process pinned to core 0 (`taskset -c 0`); wrk runs pinned to
 * core 1 with `-t1 -c64 -d10s` on two routes: a plaintext `GET /hello` and a JSON route with a
 * typed parameter, `GET /user/{name:str}/{age:int}`. A third server is the controller stack with
 * the `request`, `response` and `time` log levels on, written to /dev/null: the cost of
 * logging every request (with those levels off, requests do not pass the access log stage).
 */
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HttpServer } from '@bbws/transport';
import { Controller, createApp, Get, MIME_TYPE, Param, singleton } from 'bbwebservice';

@singleton()
class Greeter {
  greet(): string {
    return 'Hello from bbwebservice!';
  }
}

@Controller()
class BenchController {
  constructor(private readonly greeter: Greeter) {}

  @Get('::/hello', { type: MIME_TYPE.TEXT })
  hello(): string {
    return this.greeter.greet();
  }

  @Get('::/user/{name:str}/{age:int}', { type: MIME_TYPE.JSON })
  user(@Param('name') name: string, @Param('age') age: number): { name: string; age: number } {
    return { name, age };
  }
}

const TEXT = 'Content-Type: text/plain; charset=utf-8\r\n';
const JSON_TYPE = 'Content-Type: application/json; charset=utf-8\r\n';

async function serve(mode: string, port: number): Promise<void> {
  if (mode === 'controller' || mode === 'logged') {
    const log =
      mode === 'logged'
        ? { levels: ['info', 'request', 'response', 'time'], console: false, files: [{ path: '/dev/null' }] }
        : undefined;
    const app = createApp({
      controllers: [BenchController],
      config: {
        server: [{ ip: '127.0.0.1', port }],
        keep_alive_max_requests: 1_000_000,
        ...(log === undefined ? {} : { log: log as never }),
      },
    });
    await app.start();
  } else {
    // The same work by hand: no router, no DI, no decorators.
    const server = new HttpServer({
      listeners: [{ ip: '127.0.0.1', port }],
      limits: { keepAliveMaxRequests: 1_000_000 },
      handler: (request, sink) => {
        const path = request.path;
        if (path === '/hello') {
          sink.send(200, TEXT, 'Hello from bbwebservice!');
        } else if (path.startsWith('/user/')) {
          const [name = '', age = ''] = path.slice(6).split('/');
          sink.send(200, JSON_TYPE, JSON.stringify({ name: decodeURIComponent(name), age: Number(age) }));
        } else {
          sink.send(404, TEXT, 'Not Found');
        }
      },
    } as ConstructorParameters<typeof HttpServer>[0]);
    await server.listen();
  }
  process.send?.('ready');
}

function wrk(url: string): number {
  const out = execFileSync('taskset', ['-c', '1', 'wrk', '-t1', '-c64', '-d10s', url], { encoding: 'utf8' });
  const match = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (match === null) throw new Error(`wrk printed no rate:\n${out}`);
  return Number(match[1]);
}

async function measure(mode: string, port: number): Promise<{ hello: number; user: number }> {
  const script = fileURLToPath(import.meta.url);
  const child = spawn('taskset', ['-c', '0', process.execPath, script, 'serve', mode, String(port)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  try {
    wrk(`http://127.0.0.1:${port}/hello`); // warm-up
    return {
      hello: wrk(`http://127.0.0.1:${port}/hello`),
      user: wrk(`http://127.0.0.1:${port}/user/ada/36`),
    };
  } finally {
    child.kill('SIGKILL');
  }
}

if (process.argv[2] === 'serve') {
  await serve(process.argv[3] ?? 'controller', Number(process.argv[4] ?? 5050));
} else {
  // Alternate the two servers for several rounds and report medians, so a burst of load from
  // elsewhere on the machine hits both sides alike.
  const rounds = Number(process.argv[2] ?? 3);
  const transport: Array<{ hello: number; user: number }> = [];
  const controller: Array<{ hello: number; user: number }> = [];
  const logged: Array<{ hello: number; user: number }> = [];
  for (let round = 0; round < rounds; round++) {
    transport.push(await measure('transport', 5051));
    controller.push(await measure('controller', 5052));
    logged.push(await measure('logged', 5053));
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const row = (name: string, key: 'hello' | 'user') => {
    const t = median(transport.map((r) => r[key]));
    const c = median(controller.map((r) => r[key]));
    const l = median(logged.map((r) => r[key]));
    return `| ${name} | ${t.toFixed(0)} | ${c.toFixed(0)} | ${(c / t).toFixed(3)} | ${l.toFixed(0)} | ${(l / t).toFixed(3)} |`;
  };
  console.log(`median of ${rounds} alternating rounds, wrk -t1 -c64 -d10s`);
  console.log(
    '| route | transport-only req/s | controller stack req/s | ratio | with request/response/time logs req/s | ratio |',
  );
  console.log('|---|---|---|---|---|---|');
  console.log(row('GET /hello (text)', 'hello'));
  console.log(row('GET /user/{name}/{age} (JSON)', 'user'));
}
