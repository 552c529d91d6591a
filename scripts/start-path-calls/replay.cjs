// Replays the path calls count.cjs recorded, in order, in a fresh process, printing `#i name`
// before each, so that V8's own trace shows after which call it decides to optimise:
//
//   node --trace-opt scripts/start-path-calls/replay.cjs calls.json | grep -B1 marking
//
// (A flag for this measuring process only; the app never runs with V8 flags.) fileURLToPath
// replays its getPathFromURLPosix; path.posix.normalize replays normalizeString.
const { fileURLToPath } = require('node:url');
const { posix } = require('node:path');

const calls = require(require('node:path').resolve(process.argv[2]));
let walked = { fileURLToPath: 0, normalizeString: 0 };
for (const [i, [name, path]] of calls.entries()) {
  if (name === 'getPathFromURLPosix') continue;
  walked = { ...walked, [name]: walked[name] + path.length };
  process.stdout.write(`#${i + 1} ${name}, characters walked so far: ${JSON.stringify(walked)}\n`);
  if (name === 'fileURLToPath') fileURLToPath(path);
  else posix.normalize(path);
}
