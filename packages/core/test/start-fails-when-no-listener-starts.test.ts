import { readdirSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { App } from '../src/index.js';
import { createApp } from '../src/index.js';

// Issue 11 C: app.start() used to resolve with nothing listening when every listener failed,
// and a listener that could not bind left the ones bound before it open. start() now rejects
// and leaves nothing running: no server, no worker pool, no signal handler.
// The fixture imports the built dist/ (pool workers import real JavaScript): run `pnpm build` first.

/** OS threads of this process (Linux, as CI): a worker thread is one. */
function threadCount(): number {
  return readdirSync('/proc/self/task').length;
}

function listeningServers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap').length;
}

async function until(condition: () => boolean): Promise<boolean> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return condition();
}

describe('app.start()', () => {
  it('rejects when no listener starts, naming the certificate paths, and leaves no pool, server or signal handler', async () => {
    const { app, missingCert, missingKey } = (await import('./fixtures/no-listener-app.mjs')) as {
      app: App;
      missingCert: string;
      missingKey: string;
    };
    const threads = threadCount();
    const servers = listeningServers();
    const sigterm = process.listenerCount('SIGTERM');
    const failure = await app.start().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'BBWS_ERR_TRANSPORT_NO_LISTENER' });
    expect(String(failure)).toContain(missingCert);
    expect(String(failure)).toContain(missingKey);
    expect(app.poolSize).toBe(0);
    expect(await until(() => threadCount() === threads)).toBe(true);
    expect(await until(() => listeningServers() === servers)).toBe(true);
    expect(process.listenerCount('SIGTERM')).toBe(sigterm);
    await app.stop();
    await expect(app.start()).rejects.toMatchObject({ code: 'BBWS_ERR_APP_STATE' });
  });

  it('rejects when a listener cannot bind, and closes the listeners bound before it', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const servers = listeningServers();
      const app = createApp({
        controllers: [],
        env: {},
        config: {
          server: [
            { ip: '127.0.0.1', port: 0 },
            { ip: '127.0.0.1', port: taken },
          ],
          log: { console: false },
        },
      });
      await expect(app.start({ handleSignals: false })).rejects.toMatchObject({
        code: 'BBWS_ERR_TRANSPORT_LISTEN',
      });
      expect(await until(() => listeningServers() === servers)).toBe(true);
      await app.stop();
    } finally {
      blocker.close();
    }
  });
});
