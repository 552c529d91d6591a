import type { App } from 'bbwebservice';

/**
 * Runs `app` as the quickstart's process does: starts it, prints where it listens, and stops it
 * on SIGINT/SIGTERM. When it cannot start, prints why and leaves the exit code at 1 (start()
 * left nothing running, so the process then ends).
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

  const stop = () => {
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
