import { quickstartApp } from './app.js';

const app = quickstartApp();
const isStarted = await app.start().then(
  () => true,
  (error: unknown) => {
    // start() left nothing running: say why and let the process end with a failure code.
    const code = (error as { code?: unknown }).code;
    console.error(`bbwebservice quickstart did not start${typeof code === 'string' ? ` (${code})` : ''}:`);
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
    return false;
  },
);
if (isStarted) {
  for (const { ip, port } of app.addresses) console.log(`bbwebservice quickstart listening on ${ip}:${port}`);
}

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
