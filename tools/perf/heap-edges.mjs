// The objects one instance of a constructor holds, to a depth: node tools/perf/heap-edges.mjs FILE NAME [DEPTH]
import { readFileSync } from 'node:fs';

const [file, wanted, depthArg] = process.argv.slice(2);
const maxDepth = Number(depthArg ?? 2);
const snapshot = JSON.parse(readFileSync(file, 'utf8'));
const meta = snapshot.snapshot.meta;
const nf = meta.node_fields;
const ef = meta.edge_fields;
const nodeTypes = meta.node_types[0];
const edgeTypes = meta.edge_types[0];
const W = nf.length;
const EW = ef.length;
const { nodes, edges, strings } = snapshot;
const firstEdge = new Uint32Array(nodes.length / W + 1);
for (let i = 0, e = 0; i < nodes.length / W; i++) {
  firstEdge[i] = e;
  e += nodes[i * W + nf.indexOf('edge_count')] * EW;
}
firstEdge[nodes.length / W] = edges.length;
const name = (n) => strings[nodes[n * W + nf.indexOf('name')]];
const type = (n) => nodeTypes[nodes[n * W + nf.indexOf('type')]];
const size = (n) => nodes[n * W + nf.indexOf('self_size')];
let target = -1;
for (let n = 0; n < nodes.length / W; n++) {
  if (type(n) === 'object' && name(n) === wanted) {
    target = n;
    if (process.env.SKIP && Number(process.env.SKIP) > 0) {
      process.env.SKIP = String(Number(process.env.SKIP) - 1);
      continue;
    }
    break;
  }
}
if (target === -1) throw new Error(`no ${wanted}`);
const seen = new Set();
function walk(n, depth, label) {
  const pad = '  '.repeat(depth);
  console.log(`${pad}${label} -> ${type(n)} ${JSON.stringify(name(n).slice(0, 60))} ${size(n)} B`);
  if (seen.has(n) || depth >= maxDepth) return;
  seen.add(n);
  for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += EW) {
    const et = edgeTypes[edges[e + ef.indexOf('type')]];
    if (et === 'weak' || et === 'shortcut') continue;
    const en = edges[e + ef.indexOf('name_or_index')];
    const label = et === 'element' || et === 'hidden' ? `[${en}]` : strings[en];
    const to = edges[e + ef.indexOf('to_node')] / W;
    if (type(to) === 'code' || label === 'map' || label === '__proto__') continue;
    walk(to, depth + 1, `${et}:${label}`);
  }
}
walk(target, 0, wanted);
