import type { App } from 'bbwebservice';

/**
 * Runs `app` as the quickstart's process does: starts it and prints where it listens. The app
 * owns SIGINT and SIGTERM (`start()` installs its handler): the first stops it gracefully,
 * answering requests in progress, and exits 0; a second exits 130 at once. A handler of our own
 * as well would race it to `process.exit`. When the app cannot start, prints why and leaves the
 * exit code at 1 (start() left nothing running, so the process then ends).
 */
export async function serve(app: App, name = 'bbwebservice quickstart'): Promise<void> {
  const isStarted = await app.start().then(
    () => true,
    (error: unknown) => {
      const code = (error as { code?: unknown }).code;
      console.error(`${name} did not start${typeof code === 'string' ? ` (${code})` : ''}:`);
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
      return false;
    },
  );
  if (!isStarted) return;
  for (const { ip, port } of app.addresses) console.log(`${name} listening on ${ip}:${port}`);
}
