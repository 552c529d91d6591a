// The request parser alone, in process: ns per head for browser-like heads (query and cookie
// change every time) or one repeated head.
//   node tools/perf/parse-bench.mjs ROOT [browser|repeated] [ROUNDS]
// Alternate two roots on the same core to compare builds. PARSE_HEADERS=0: the header list
// is never read (as on a route that reads no header), so a head that cuts it lazily never does.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { requestHead } from './request-heads.mjs';

const [root, scenario = 'browser', roundsArg = '7'] = process.argv.slice(2);
const { RequestParser, REQUEST } = await import(
  pathToFileURL(path.resolve(root, 'packages/transport/dist/index.js')).href
);
const limits = { maxUrlLength: 2048, maxHeaderBytes: 16384, maxBodyBytes: 1 << 20 };

const head = (n) => requestHead(scenario, n);
// Each head its own Buffer, as socket reads are.
const heads = Array.from({ length: 4096 }, (_, i) => Buffer.from(head(i + 1000), 'latin1'));
const parser = new RequestParser(limits);
let sink = 0;
function run(count) {
  for (let i = 0; i < count; i++) {
    parser.feed(heads[i & 4095]);
    if (parser.next() !== REQUEST) throw new Error('not parsed');
    sink += process.env.PARSE_HEADERS === '0' ? parser.head.path.length : parser.head.headers.length;
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
