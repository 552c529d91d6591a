// The request parser alone, in process: ns per head for browser-like heads (query and cookie
// change every time) or one repeated head.
//   node tools/perf/parse-bench.mjs ROOT [browser|repeated] [ROUNDS]
// Alternate two roots on the same core to compare builds.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, scenario = 'browser', roundsArg = '7'] = process.argv.slice(2);
const { RequestParser, REQUEST } = await import(
  pathToFileURL(path.resolve(root, 'packages/transport/dist/index.js')).href
);
const limits = { maxUrlLength: 2048, maxHeaderBytes: 16384, maxBodyBytes: 1 << 20 };

function head(n) {
  if (scenario === 'repeated') return 'GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
  const k = n * 7919;
  return (
    `GET /hello?q=search+term+${n}&page=${n % 50}&sort=relevance HTTP/1.1\r\n` +
    'Host: 127.0.0.1:5980\r\n' +
    'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36\r\n' +
    'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n' +
    'Accept-Language: en-US,en;q=0.9,de;q=0.7\r\n' +
    'Accept-Encoding: gzip, deflate, br\r\n' +
    'Referer: http://127.0.0.1/search\r\n' +
    `Cookie: session=s${k}a8f3c2d1e0b9; theme=dark; _ga=GA1.1.${k}.1732900000; consent=1\r\n` +
    'Sec-Fetch-Dest: document\r\n' +
    'Sec-Fetch-Mode: navigate\r\n' +
    'Sec-Fetch-Site: same-origin\r\n' +
    'Upgrade-Insecure-Requests: 1\r\n' +
    'Cache-Control: max-age=0\r\n\r\n'
  );
}
// Each head its own Buffer, as socket reads are.
const heads = Array.from({ length: 4096 }, (_, i) => Buffer.from(head(i + 1000), 'latin1'));
const parser = new RequestParser(limits);
let sink = 0;
function run(count) {
  for (let i = 0; i < count; i++) {
    parser.feed(heads[i & 4095]);
    if (parser.next() !== REQUEST) throw new Error('not parsed');
    sink += parser.head.headers.length;
  }
}
// Warm-up (shorter under callgrind, where every head costs a hundred times more).
run(process.env.PARSE_COUNT === undefined ? 200_000 : 30_000);
if (process.env.PARSE_COUNT !== undefined) {
  // For instruction counts: exactly PARSE_COUNT more parses, nothing else (see parse-instructions.sh).
  run(Number(process.env.PARSE_COUNT));
  process.exit(0);
}
const results = [];
for (let r = 0; r < Number(roundsArg); r++) {
  const count = 500_000;
  // CPU time, not wall time: the machine is shared.
  const start = process.cpuUsage();
  run(count);
  const used = process.cpuUsage(start);
  results.push(((used.user + used.system) * 1000) / count);
}
results.sort((a, b) => a - b);
console.log(
  `${scenario} ${path.basename(path.resolve(root))}: median ${results[results.length >> 1].toFixed(0)} ns/head (min ${results[0].toFixed(0)}; ${heads[0].length} bytes) ${sink > 0 ? '' : '!'}`,
);
