#!/usr/bin/env node
// Moved into the suite: `node apps/bench/dist/run.js parse` (apps/bench/src/analysis/parse-bench.ts;
// `--instructions` there replaces parse-instructions.sh). This wrapper keeps the old command line
// that docs quote:
//   node tools/perf/parse-bench.mjs ROOT [browser|repeated] [ROUNDS]
// PARSE_HEADERS=0 is `--headers-unread` (the header list never read), PARSE_COUNT is `--count`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUN = fileURLToPath(new URL('../../apps/bench/dist/run.js', import.meta.url));
const [root = '.', scenario = 'browser', rounds = '7'] = process.argv.slice(2);
const args = ['parse', '--build', root, '--kind', scenario === 'repeated' ? 'plaintext' : 'browser-like'];
args.push('--rounds', rounds);
if (process.env.PARSE_HEADERS === '0') args.push('--headers-unread');
if (process.env.PARSE_COUNT !== undefined) args.push('--count', process.env.PARSE_COUNT);
process.exit(spawnSync(process.execPath, [RUN, ...args], { stdio: 'inherit' }).status ?? 1);
