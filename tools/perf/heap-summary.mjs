// Self size by constructor in a V8 heap snapshot, largest first:
//   node tools/perf/heap-summary.mjs FILE [DIVISOR] [TOP]
// With DIVISOR (e.g. the number of idle connections) the counts and bytes are also shown per unit.
//   node tools/perf/heap-summary.mjs --base BASE_FILE FILE DIVISOR [TOP]
// subtracts a baseline snapshot (the same server with one connection) first.
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
let baseFile = null;
if (argv[0] === '--base') {
  baseFile = argv[1];
  argv.splice(0, 2);
}
const [file, divisorArg, topArg] = argv;
const divisor = Number(divisorArg ?? 1);
const top = Number(topArg ?? 40);

function summarize(path) {
  const snapshot = JSON.parse(readFileSync(path, 'utf8'));
  const meta = snapshot.snapshot.meta;
  const fields = meta.node_fields;
  const types = meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const nodes = snapshot.nodes;
  const strings = snapshot.strings;
  const byKey = new Map();
  let total = 0;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]];
    const name = strings[nodes[i + nameAt]];
    const key = type === 'object' || type === 'closure' || type === 'native' ? `${type}:${name}` : type;
    const size = nodes[i + sizeAt];
    total += size;
    const entry = byKey.get(key) ?? { count: 0, size: 0 };
    entry.count++;
    entry.size += size;
    byKey.set(key, entry);
  }
  return { byKey, total };
}
const { byKey, total: fullTotal } = summarize(file);
let total = fullTotal;
if (baseFile !== null) {
  const base = summarize(baseFile);
  total -= base.total;
  for (const [key, entry] of base.byKey) {
    const mine = byKey.get(key) ?? { count: 0, size: 0 };
    byKey.set(key, { count: mine.count - entry.count, size: mine.size - entry.size });
  }
}
const rows = [...byKey.entries()].sort((a, b) => b[1].size - a[1].size).slice(0, top);
console.log(`total self size ${(total / 1048576).toFixed(1)} MiB, ${(total / divisor).toFixed(0)} B/u`);
for (const [key, { count, size }] of rows) {
  console.log(
    `${(size / 1024).toFixed(0).padStart(8)} KiB ${String(count).padStart(8)}  ${(count / divisor).toFixed(2).padStart(7)}/u ${(size / divisor).toFixed(0).padStart(6)} B/u  ${key.slice(0, 90)}`,
  );
}
