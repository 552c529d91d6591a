/**
 * The loopback npm registry: verdaccio on 127.0.0.1, its storage in a fresh temp folder, run as
 * a child process that is stopped by its PID. Our packages are served only from this registry
 * (never proxied, so a name taken upstream cannot mix in); every other package is proxied to
 * the registry npm is configured with. See docs/getting-started.md#try-it-from-a-clone.
 *
 * Used by `pnpm registry`, `pnpm registry:stop`, `pnpm release:local` (this file's CLI) and by
 * test/e2e/create-bbws-app-from-a-registry.test.ts (its exports).
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
/** Where `pnpm registry` leaves the PID and URL for `registry:stop` and `release:local`. */
const stateFile = join(here, '.state.json');
/** The packages this repository publishes; served from local storage only. */
const OWN_PACKAGES = ['bbwebservice', 'create-bbws-app', '@bbws/*'];

/**
 * Installs verdaccio into tools/registry once (npm, with the node-fetch override its Node 20
 * run needs; see package.json there).
 */
export function ensureVerdaccio() {
  if (existsSync(join(here, 'node_modules/verdaccio/bin/verdaccio'))) return;
  execFileSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: here,
    stdio: 'inherit',
    env: withoutNpmRegistry(process.env),
  });
}

/** The registry npm uses when nobody points it at ours: verdaccio's uplink. */
function upstreamRegistry() {
  if (process.env.BBWS_REGISTRY_UPSTREAM) return process.env.BBWS_REGISTRY_UPSTREAM;
  return execFileSync('npm', ['config', 'get', 'registry'], {
    encoding: 'utf8',
    cwd: tmpdir(),
    env: withoutNpmRegistry(process.env),
  }).trim();
}

/** pnpm passes its own settings to scripts as npm_config_*; npm warns about each it does not know. */
const PNPM_ONLY_SETTINGS = new Set([
  'npm_config_verify_deps_before_run',
  'npm_config__jsr_registry',
  'npm_config_npm_globalconfig',
]);

/** The environment for an npm child: no registry override (we pass our own), no pnpm-only settings. */
function withoutNpmRegistry(env) {
  const copy = { ...env };
  for (const key of Object.keys(copy)) {
    const lower = key.toLowerCase();
    if (lower === 'npm_config_registry' || PNPM_ONLY_SETTINGS.has(lower)) delete copy[key];
  }
  return copy;
}

/** A free TCP port on 127.0.0.1 (bound and released; verdaccio cannot report a port 0). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function configYaml(storage, upstream) {
  const own = OWN_PACKAGES.map(
    (name) => `  '${name}':\n    access: $all\n    publish: $authenticated\n    unpublish: $authenticated\n`,
  ).join('');
  return `storage: ${JSON.stringify(join(storage, 'packages'))}
auth:
  htpasswd:
    file: ${JSON.stringify(join(storage, 'htpasswd'))}
    max_users: 100
uplinks:
  upstream:
    url: ${JSON.stringify(upstream)}
    timeout: 60s
    maxage: 30m
packages:
${own}  '**':
    access: $all
    publish: $authenticated
    proxy: upstream
web:
  enable: false
max_body_size: 200mb
logs: { type: stdout, format: pretty, level: warn }
`;
}

async function waitForPing(url, child, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  let exited = null;
  child.once('exit', (code, signal) => {
    exited = `verdaccio exited (${code ?? signal}) before it answered`;
  });
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(exited);
    try {
      const res = await fetch(`${url}/-/ping`);
      if (res.ok) return;
    } catch {
      // Not listening yet: poll again until the deadline.
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`verdaccio did not answer ${url}/-/ping within ${deadlineMs} ms`);
}

/** Registers the publishing user (verdaccio's htpasswd allows sign-up) and returns its token. */
async function addUser(url) {
  const name = 'bbws-release';
  const res = await fetch(`${url}/-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: 'loopback-only', email: 'release@localhost', type: 'user' }),
  });
  const body = await res.json();
  if (!res.ok || typeof body.token !== 'string') {
    throw new Error(`registry refused the release user: ${res.status} ${JSON.stringify(body)}`);
  }
  return body.token;
}

/**
 * Starts verdaccio on 127.0.0.1 with storage in a new temp folder.
 * @param {{ port?: number, deadlineMs?: number }} [options] port 0 or absent picks a free one
 * @returns {Promise<{ url: string, pid: number, storage: string, npmrc: string }>} `npmrc` is a
 *   user config with the registry and the release user's token, for `npm publish --userconfig`
 */
export async function startRegistry(options = {}) {
  ensureVerdaccio();
  const port = options.port || (await freePort());
  const storage = mkdtempSync(join(tmpdir(), 'bbws-registry-'));
  const config = join(storage, 'config.yaml');
  writeFileSync(config, configYaml(storage, upstreamRegistry()));
  const log = openSync(join(storage, 'verdaccio.log'), 'a');
  const child = spawn(
    process.execPath,
    [join(here, 'node_modules/verdaccio/bin/verdaccio'), '--config', config, '--listen', `127.0.0.1:${port}`],
    { detached: true, stdio: ['ignore', log, log] },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForPing(url, child, options.deadlineMs ?? 30_000);
    const token = await addUser(url);
    const npmrc = join(storage, 'npmrc');
    writeFileSync(npmrc, `registry=${url}/\n//127.0.0.1:${port}/:_authToken=${token}\n`);
    child.unref();
    return { url, pid: child.pid, storage, npmrc };
  } catch (error) {
    stopRegistry({ pid: child.pid, storage });
    throw error;
  }
}

/**
 * Stops the registry by its PID and removes its storage.
 * @param {{ pid: number, storage: string }} registry
 */
export function stopRegistry(registry) {
  try {
    process.kill(registry.pid, 'SIGTERM');
  } catch (error) {
    // ESRCH: it is gone already, which is what stopping wants.
    if (error.code !== 'ESRCH') throw error;
  }
  rmSync(registry.storage, { recursive: true, force: true });
}

/**
 * Packs every package under packages/ with `pnpm pack` (which turns `workspace:*` into the
 * version) into `destination`.
 * @returns {string[]} the tarballs' paths
 */
export function packWorkspace(destination) {
  mkdirSync(destination, { recursive: true });
  execFileSync('pnpm', ['-r', '--filter', './packages/*', 'pack', '--pack-destination', destination], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return readdirSync(destination)
    .filter((file) => file.endsWith('.tgz'))
    .map((file) => join(destination, file));
}

/**
 * Publishes every package (built dist/ as it stands) to the registry.
 * @param {{ url: string, storage: string, npmrc: string }} registry
 * @returns {string[]} the tarballs published
 */
export function publishWorkspace(registry) {
  const tarballs = packWorkspace(mkdtempSync(join(registry.storage, 'pack-')));
  for (const tarball of tarballs) {
    execFileSync(
      'npm',
      ['publish', tarball, '--userconfig', registry.npmrc, '--registry', `${registry.url}/`],
      {
        cwd: tmpdir(),
        stdio: ['ignore', 'ignore', 'inherit'],
        env: {
          ...withoutNpmRegistry(process.env),
          npm_config_loglevel: 'error',
          npm_config_update_notifier: 'false',
        },
      },
    );
  }
  return tarballs;
}

function readState() {
  if (!existsSync(stateFile)) return null;
  return JSON.parse(readFileSync(stateFile, 'utf8'));
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function main(command) {
  const state = readState();
  if (command === 'start') {
    if (state !== null && isAlive(state.pid)) {
      console.log(`registry already running at ${state.url} (pid ${state.pid})`);
      return;
    }
    const port = Number(process.env.BBWS_REGISTRY_PORT ?? 4873);
    const registry = await startRegistry({ port });
    writeFileSync(stateFile, `${JSON.stringify(registry, null, 2)}\n`);
    console.log(`registry at ${registry.url} (pid ${registry.pid}, storage ${registry.storage})`);
    console.log('next: pnpm release:local');
    console.log(`then: npm_config_registry=${registry.url}/ npm create bbws-app@latest my-app`);
    console.log('stop: pnpm registry:stop');
  } else if (command === 'stop') {
    if (state === null) {
      console.log('no registry started by `pnpm registry`');
      return;
    }
    stopRegistry(state);
    rmSync(stateFile, { force: true });
    console.log(`stopped registry pid ${state.pid}`);
  } else if (command === 'release') {
    if (state === null || !isAlive(state.pid)) {
      throw new Error('no registry running: start one with `pnpm registry`');
    }
    for (const tarball of publishWorkspace(state)) console.log(`published ${tarball.split('/').pop()}`);
    console.log(`try: npm_config_registry=${state.url}/ npm create bbws-app@latest my-app`);
  } else {
    throw new Error(`usage: registry.mjs start | stop | release (got ${command})`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv[2] ?? 'start').catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
