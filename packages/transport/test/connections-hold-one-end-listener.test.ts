import net from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { nodeEndListener } from '../src/connection/connection.js';

// A connection removes Node's own `end` listener from its socket, so that its own is the only
// one (docs/transport.md, "What an idle connection holds"). That is right only because Node's
// listener does nothing to a socket that allows half-open, which every socket of ours does.
// These tests hold that against Node itself: the listener found is the one every socket gets,
// and it acts on a socket that does not allow half-open and leaves one that does alone. That a
// client that half-closes is still answered, then closed, is in keeps-alive-and-pipelines.test.ts;
// what the removal saves, in idle-connection-heap-is-bounded.test.ts.

describe("Node's own end listener", () => {
  it('is found on this Node, and is the one a net.Socket and a tls.TLSSocket get', () => {
    const listener = nodeEndListener();
    expect(listener).not.toBeNull();
    const plain = new net.Socket({ allowHalfOpen: true });
    const secure = new tls.TLSSocket(new net.Socket(), {});
    expect(plain.listeners('end')).toEqual([listener]);
    expect(secure.listeners('end')).toEqual([listener]);
    secure.destroy();
  });

  it('changes nothing on a socket that allows half-open, and acts on one that does not', () => {
    const listener = nodeEndListener() as (this: net.Socket) => void;
    const halfOpen = new net.Socket({ allowHalfOpen: true });
    const write = halfOpen.write;
    listener.call(halfOpen);
    expect(halfOpen.write).toBe(write);
    const closing = new net.Socket({ allowHalfOpen: false });
    const before = closing.write;
    listener.call(closing);
    expect(closing.write).not.toBe(before);
  });
});
