import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HttpServer, TransportError } from '../src/index.js';
import { certificateDir, makeCertificate } from './support/certificates.js';
import { echoHandler } from './support/servers.js';

// Issue 11 C: a config whose every listener failed to start left a process up with nothing
// listening. listen() now rejects when no listener is up, naming each failure.

const temp = certificateDir();
const good = makeCertificate(temp.dir, 'good', 'good.test');
const other = makeCertificate(temp.dir, 'other', 'other.test');
const missing = { certPath: path.join(temp.dir, 'missing.crt'), keyPath: path.join(temp.dir, 'missing.key') };
// A certificate with another certificate's key: readable files that do not make a pair.
const mismatched = { certPath: good.cert, keyPath: other.key };

afterAll(() => temp.remove());

describe('HttpServer.listen()', () => {
  it('rejects with BBWS_ERR_TRANSPORT_NO_LISTENER, naming each listener (ip:port) and why, when none starts', async () => {
    const logs: string[] = [];
    const server = new HttpServer({
      handler: echoHandler,
      listeners: [
        { ip: '127.0.0.1', port: 5443, tls: missing },
        { ip: '::1', port: 5444, tls: mismatched },
      ],
      log: (_level, message) => logs.push(message),
    });
    try {
      const failure = await server.listen().then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(TransportError);
      expect(failure).toMatchObject({ code: 'BBWS_ERR_TRANSPORT_NO_LISTENER' });
      const message = (failure as Error).message;
      expect(message).toContain('127.0.0.1:5443');
      expect(message).toContain(missing.certPath);
      expect(message).toContain(missing.keyPath);
      expect(message).toContain('[::1]:5444');
      expect(message).toContain(good.cert);
      expect(message).toContain(other.key);
      // Each failure is logged as it happens, as when other listeners do start.
      expect(logs.filter((line) => line.includes('not started'))).toHaveLength(2);
    } finally {
      await server.close(1000);
    }
  });

  it('starts the others and logs the failure when at least one listener is up', async () => {
    const logs: string[] = [];
    const server = new HttpServer({
      handler: echoHandler,
      listeners: [
        { ip: '127.0.0.1', port: 0, tls: missing },
        { ip: '127.0.0.1', port: 0 },
        { ip: '127.0.0.1', port: 0, tls: { certPath: good.cert, keyPath: good.key } },
      ],
      log: (_level, message) => logs.push(message),
    });
    try {
      const bound = await server.listen();
      expect(bound.map((address) => address.isTls)).toEqual([false, true]);
      expect(logs.some((line) => line.includes('127.0.0.1:0') && line.includes(missing.certPath))).toBe(true);
    } finally {
      await server.close(1000);
    }
  });
});
