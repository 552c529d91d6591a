import { buildApp } from './app.js';

// Reads config/config.json (BBWS_* environment variables override it, e.g. BBWS_SERVER_0_PORT)
// and listens. The app owns SIGINT and SIGTERM: the first stops it gracefully.
const app = buildApp();
try {
  await app.start();
  for (const { ip, port } of app.addresses) console.log(`{{name}} listening on ${ip}:${port}`);
} catch (error) {
  const code = (error as { code?: unknown }).code;
  console.error(
    `{{name}} did not start${typeof code === 'string' ? ` (${code})` : ''}:`,
    (error as Error).message,
  );
  process.exitCode = 1;
}
