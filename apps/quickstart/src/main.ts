import { quickstartApp } from './app.js';

const app = quickstartApp();
await app.start();
for (const { ip, port } of app.addresses) console.log(`bbwebservice quickstart listening on ${ip}:${port}`);

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
