/**
 * Heap snapshots of idle connections, and what is in them:
 *
 *   node apps/bench/dist/run.js idle-snapshot --connections N --out FILE [--build DIR] [--server ours]
 *                                             [--port 5982]
 *     a snapshot of a server holding N idle keep-alive connections (each after one GET /hello);
 *   node apps/bench/dist/run.js heap-summary FILE [--base FILE] [--per N] [--top 40]
 *     self size by constructor, largest first; `--base` subtracts a baseline snapshot (the same
 *     server with one connection), `--per` also shows counts and bytes per unit (connection);
 *   node apps/bench/dist/run.js heap-edges FILE NAME [--depth 2] [--skip K]
 *     what one instance of constructor NAME (the K+1th) holds, to a depth.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectLine, lines, sleep, spawnPinned, stop } from '../suite/tools.js';
import { Args, type CommandSpec, SERVER_ENTRY_OPTIONS, serverEntry, UsageError } from './args.js';

const CONTROLLED = fileURLToPath(new URL('./controlled-server.js', import.meta.url));
const IDLE_CLIENT = fileURLToPath(new URL('../clients/idle-client.js', import.meta.url));
const PORT = 5982;

const IDLE_SNAPSHOT_OPTIONS: CommandSpec = {
  usage: 'run.js idle-snapshot --out FILE [options]',
  about: 'A heap snapshot of a server holding N idle keep-alive connections (each after one GET /hello).',
  options: {
    ...SERVER_ENTRY_OPTIONS,
    connections: { value: 'N', help: 'idle connections (2000)' },
    out: { value: 'FILE', help: 'where the snapshot goes (required)' },
    port: { value: 'PORT', help: `where the server listens (${PORT})` },
  },
};

const HEAP_SUMMARY_OPTIONS: CommandSpec = {
  usage: 'run.js heap-summary FILE [options]',
  about: 'Self size by constructor in a heap snapshot, largest first.',
  options: {
    base: { value: 'FILE', help: 'a baseline snapshot to subtract (the same server with one connection)' },
    per: { value: 'N', help: 'also show counts and bytes per unit: N units (connections) (1)' },
    top: { value: 'N', help: 'how many constructors to list (40)' },
  },
  positionals: { names: ['FILE'], required: 1 },
};

const HEAP_EDGES_OPTIONS: CommandSpec = {
  usage: 'run.js heap-edges FILE NAME [options]',
  about: 'What one instance of constructor NAME in a heap snapshot holds, to a depth.',
  options: {
    depth: { value: 'N', help: 'how deep to follow the edges (2)' },
    skip: { value: 'K', help: 'show the K+1th instance (0)' },
  },
  positionals: { names: ['FILE', 'NAME'], required: 2 },
};

export async function idleSnapshotMain(argv: readonly string[]): Promise<void> {
  const args = new Args(argv, IDLE_SNAPSHOT_OPTIONS);
  const { entry } = serverEntry(args);
  const connections = args.number('connections', 2000);
  const out = args.optional('out');
  if (out === undefined) throw new UsageError('idle-snapshot needs --out FILE');
  const port = args.number('port', PORT);
  const child = spawn(process.execPath, ['--expose-gc', CONTROLLED, entry, String(port)], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let client: ReturnType<typeof spawnPinned> | undefined;
  try {
    await new Promise((ready) => child.once('message', ready));
    client = spawnPinned(1, [IDLE_CLIENT, String(port), String(connections)], {}, 'pipe');
    await expectLine(lines(client), 'OPEN', 'the idle client');
    await sleep(1000);
    const file = await new Promise<string>((done) => {
      child.on('message', (m: unknown) => {
        if (typeof m === 'object' && m !== null && 'snapshot' in m) done(String(m.snapshot));
      });
      child.send({ snapshot: resolve(out) });
    });
    console.log(`${connections} idle connections: ${file}`);
  } finally {
    client?.stdin?.end();
    if (client !== undefined) await stop(client);
    await stop(child);
  }
}

interface Snapshot {
  readonly snapshot: {
    readonly meta: {
      readonly node_fields: string[];
      readonly node_types: [string[], ...unknown[]];
      readonly edge_fields: string[];
      readonly edge_types: [string[], ...unknown[]];
    };
  };
  readonly nodes: number[];
  readonly edges: number[];
  readonly strings: string[];
}

function load(file: string): Snapshot {
  return JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
}

function summarize(file: string): { byKey: Map<string, { count: number; size: number }>; total: number } {
  const { snapshot, nodes, strings } = load(file);
  const fields = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const byKey = new Map<string, { count: number; size: number }>();
  let total = 0;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt] as number] as string;
    const name = strings[nodes[i + nameAt] as number] as string;
    const key = type === 'object' || type === 'closure' || type === 'native' ? `${type}:${name}` : type;
    const size = nodes[i + sizeAt] as number;
    total += size;
    const entry = byKey.get(key) ?? { count: 0, size: 0 };
    entry.count++;
    entry.size += size;
    byKey.set(key, entry);
  }
  return { byKey, total };
}

export function heapSummaryMain(argv: readonly string[]): void {
  const args = new Args(argv, HEAP_SUMMARY_OPTIONS);
  const file = args.positional[0] as string;
  const per = args.number('per', 1);
  const top = args.number('top', 40);
  const { byKey, total: fullTotal } = summarize(file);
  let total = fullTotal;
  const baseFile = args.optional('base');
  if (baseFile !== undefined) {
    const base = summarize(baseFile);
    total -= base.total;
    for (const [key, entry] of base.byKey) {
      const mine = byKey.get(key) ?? { count: 0, size: 0 };
      byKey.set(key, { count: mine.count - entry.count, size: mine.size - entry.size });
    }
  }
  console.log(`total self size ${(total / 1048576).toFixed(1)} MiB, ${(total / per).toFixed(0)} B/unit`);
  for (const [key, { count, size }] of [...byKey.entries()]
    .sort((a, b) => b[1].size - a[1].size)
    .slice(0, top)) {
    console.log(
      `${(size / 1024).toFixed(0).padStart(8)} KiB ${String(count).padStart(8)}  ${(count / per).toFixed(2).padStart(7)}/unit ${(size / per).toFixed(0).padStart(6)} B/unit  ${key.slice(0, 90)}`,
    );
  }
}

export function heapEdgesMain(argv: readonly string[]): void {
  const args = new Args(argv, HEAP_EDGES_OPTIONS);
  const [file, wanted] = args.positional as [string, string];
  const maxDepth = args.number('depth', 2);
  let skip = args.number('skip', 0);
  const { snapshot, nodes, edges, strings } = load(file);
  const nf = snapshot.meta.node_fields;
  const ef = snapshot.meta.edge_fields;
  const nodeTypes = snapshot.meta.node_types[0];
  const edgeTypes = snapshot.meta.edge_types[0];
  const W = nf.length;
  const EW = ef.length;
  const count = nodes.length / W;
  const at = (name: string, list: string[]) => list.indexOf(name);
  const firstEdge = new Uint32Array(count + 1);
  for (let i = 0, e = 0; i < count; i++) {
    firstEdge[i] = e;
    e += (nodes[i * W + at('edge_count', nf)] as number) * EW;
  }
  firstEdge[count] = edges.length;
  const name = (n: number) => strings[nodes[n * W + at('name', nf)] as number] as string;
  const type = (n: number) => nodeTypes[nodes[n * W + at('type', nf)] as number] as string;
  const size = (n: number) => nodes[n * W + at('self_size', nf)] as number;
  let target = -1;
  for (let n = 0; n < count && target === -1; n++) {
    if (type(n) === 'object' && name(n) === wanted) {
      if (skip > 0) skip--;
      else target = n;
    }
  }
  if (target === -1) throw new Error(`no ${wanted} in ${file}`);
  const seen = new Set<number>();
  const walk = (n: number, depth: number, label: string): void => {
    console.log(
      `${'  '.repeat(depth)}${label} -> ${type(n)} ${JSON.stringify(name(n).slice(0, 60))} ${size(n)} B`,
    );
    if (seen.has(n) || depth >= maxDepth) return;
    seen.add(n);
    for (let e = firstEdge[n] as number; e < (firstEdge[n + 1] as number); e += EW) {
      const edgeType = edgeTypes[edges[e + at('type', ef)] as number] as string;
      if (edgeType === 'weak' || edgeType === 'shortcut') continue;
      const nameOrIndex = edges[e + at('name_or_index', ef)] as number;
      const edgeLabel =
        edgeType === 'element' || edgeType === 'hidden' ? `[${nameOrIndex}]` : strings[nameOrIndex];
      const to = (edges[e + at('to_node', ef)] as number) / W;
      if (type(to) === 'code' || edgeLabel === 'map' || edgeLabel === '__proto__') continue;
      walk(to, depth + 1, `${edgeType}:${edgeLabel}`);
    }
  };
  walk(target, 0, wanted);
}
