import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/**
 * The public API of `bbwebservice`, reviewed name by name. A name added to or dropped from the
 * umbrella fails here, so the change is a decision in review, not a side effect of an
 * `export *` in some package.
 */
const PUBLIC_NAMES = [
  'APP',
  'App',
  'BbwsError',
  'Body',
  'ContentRoot',
  'Controller',
  'Cookie',
  'CoreError',
  'Ctx',
  'Delete',
  'Dynamic',
  'ErrorHandler',
  'Get',
  'Head',
  'Header',
  'HttpError',
  'LOGGING_OPTIONS',
  'LOG_HUB',
  'LOG_LEVELS',
  'Lifecycle',
  'LogHub',
  'MIME_TYPE',
  'Offload',
  'OffloadError',
  'Options',
  'Param',
  'PartialContent',
  'Patch',
  'Post',
  'Put',
  'Query',
  'REQUEST_CONTEXT',
  'Redirect',
  'Req',
  'RequestContext',
  'Res',
  'Response',
  'ResponseHead',
  'ResponsesError',
  'Route',
  'RouterError',
  'SseChannel',
  'SseEvent',
  'StreamResponse',
  'Task',
  'TransportError',
  'Upload',
  'UploadStream',
  'UseGuards',
  'ValidationError',
  'WorkerPoolError',
  'container',
  'createApp',
  'defaultLogHub',
  'delay',
  'effectiveServerConfig',
  'effectiveServerConfigs',
  'inject',
  'injectable',
  'isFinalStatus',
  'isLimitReason',
  'joinSelector',
  'loadConfigFile',
  'loadFile',
  'mimeTypeForPath',
  'parseConfig',
  'parseSelector',
  'resolveConfig',
  'scoped',
  'singleton',
  'toFetchHandler',
  'toNodeListener',
];

const TESTING_NAMES = [
  'CookieJar',
  'ResponseHeadView',
  'TestClient',
  'TestConnection',
  'TestResponse',
  'TestStreamResponse',
  'TestingError',
  'override',
  'parseContentRange',
];

/** A resolve hook (in the loader thread) that appends every resolved URL to $BBWS_LOADED_LOG. */
const RECORD_RESOLVED = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.BBWS_LOADED_LOG, result.url + '\\\\n');
  return result;
}\`));
`;

const folder = mkdtempSync(join(tmpdir(), 'bbws-loaded-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The URLs a fresh node resolves while importing `entry` (a built dist file) and nothing else. */
async function modulesLoadedBy(entry: string, name: string): Promise<string[]> {
  const log = join(folder, `${name}.log`);
  const url = pathToFileURL(join(ROOT, entry)).href;
  await run(
    process.execPath,
    [
      '--import',
      `data:text/javascript,${encodeURIComponent(RECORD_RESOLVED)}`,
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(url)});`,
    ],
    { env: { ...process.env, BBWS_LOADED_LOG: log }, timeout: 15_000 },
  );
  return readFileSync(log, 'utf8').trim().split('\n');
}

describe('the bbwebservice package', () => {
  it('exports the reviewed public API and nothing else', async () => {
    const umbrella = await import('bbwebservice');
    expect(Object.keys(umbrella).sort()).toEqual([...PUBLIC_NAMES].sort());
  });

  it('exports the test client from bbwebservice/testing only', async () => {
    const testing = await import('bbwebservice/testing');
    expect(Object.keys(testing).sort()).toEqual([...TESTING_NAMES].sort());
    const umbrella: Record<string, unknown> = await import('bbwebservice');
    for (const name of TESTING_NAMES) expect(umbrella[name], name).toBeUndefined();
  });

  it('loads neither @bbws/testing nor eventsource-parser when production code imports it', async () => {
    const loaded = await modulesLoadedBy('packages/bbwebservice/dist/bundle/index.js', 'main');
    // core's code is part of bbwebservice's one module graph (scripts/bundle.mjs).
    expect(loaded.some((url) => url.includes('/packages/bbwebservice/dist/bundle/packages.js'))).toBe(true);
    expect(
      loaded.filter((url) => url.includes('/packages/testing/') || url.includes('eventsource-parser')),
    ).toEqual([]);
  });

  it('does load them through the testing entry (the probe sees what it looks for)', async () => {
    const loaded = await modulesLoadedBy('packages/bbwebservice/dist/bundle/testing.js', 'testing');
    expect(loaded.some((url) => url.includes('/packages/testing/dist/'))).toBe(true);
    expect(loaded.some((url) => url.includes('eventsource-parser'))).toBe(true);
  });
});
