import { buildApp } from './app.js';

// Reads config/config.json (created with defaults on the first run) and listens.
const app = buildApp();
await app.start();
for (const { ip, port } of app.addresses) console.log(`listening on ${ip}:${port}`);
