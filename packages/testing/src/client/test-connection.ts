import type { Duplex } from 'node:stream';
import { DuplexPair, type Endpoint, type ListenerAddress } from '@bbws/transport';
import { TestResponse } from '../response/test-response.js';
import { TestStreamResponse } from '../response/test-stream-response.js';
import { ByteReader } from '../wire/byte-reader.js';
import { bodyFraming, readBody, readResponse, readResponseHead } from '../wire/read-response.js';

/**
 * Anything that serves a Duplex as an HTTP connection: an `HttpServer` (an app's `server`),
 * or a future runtime with the same entry point.
 */
export interface ServeTarget {
  serve(stream: Duplex, endpoint: Endpoint, remoteAddress: string): unknown;
  /**
   * The listener a request to `ip`/`port` arrives on (default: the first), whose ip, port and
   * TLS flag fill what a request does not say; `null` (or no such method) when the target has
   * no listeners. Throws for an address no listener has.
   */
  listenerFor?(ip: string | undefined, port: number | undefined, isTls?: boolean): ListenerAddress | null;
}

/**
 * One in-memory connection to a server: the client end of a {@link DuplexPair} whose server
 * end runs through the server's own connection code. For protocol tests that need control
 * over every byte and over time (partial heads, pipelining, half-close).
 * @see docs/testing.md
 */
export class TestConnection {
  /** The endpoint the server sees for this connection. */
  readonly endpoint: Endpoint;
  readonly #stream: Duplex;
  readonly #reader: ByteReader;
  #closed: Promise<void> | null = null;

  /**
   * @param target the server to connect to
   * @param endpoint where the connection "arrives" (local ip, port, TLS, SNI domain)
   * @param remoteAddress the client address the server sees
   * @param preamble bytes sent first, before anything written (the PROXY header TestClient
   *   sends to a `proxy_protocol` listener, as a proxy would)
   */
  constructor(
    target: ServeTarget,
    endpoint: Endpoint,
    remoteAddress: string,
    preamble: string | null = null,
  ) {
    const pair = new DuplexPair();
    this.endpoint = endpoint;
    this.#stream = pair.client;
    this.#reader = new ByteReader(pair.client);
    target.serve(pair.server, endpoint, remoteAddress);
    if (preamble !== null) pair.client.write(preamble, 'latin1');
  }

  /** Whether the server closed its side (bytes it sent before may still be unread). */
  get isClosed(): boolean {
    return this.#reader.isEnded;
  }

  /** How many bytes the server has sent on this connection. */
  get receivedBytes(): number {
    return this.#reader.receivedBytes;
  }

  /** Resolves when the server closes its side (or the connection is destroyed). */
  closed(): Promise<void> {
    if (this.#closed === null) {
      const stream = this.#stream;
      this.#closed = this.#reader.isEnded
        ? Promise.resolve()
        : new Promise((resolve) => {
            stream.once('end', resolve);
            stream.once('close', resolve);
          });
    }
    return this.#closed;
  }

  /** Sends bytes (a string is sent as latin1, one byte per character). */
  write(bytes: string | Uint8Array): void {
    if (typeof bytes === 'string') this.#stream.write(bytes, 'latin1');
    else this.#stream.write(bytes);
  }

  /**
   * Reads the next complete response.
   * @param isHead whether it answers a HEAD request (no body whatever the headers say)
   * @throws TestingError `BBWS_ERR_TESTING_RESPONSE_MALFORMED`, `BBWS_ERR_TESTING_CONNECTION_CLOSED`
   */
  async read(isHead = false): Promise<TestResponse> {
    return new TestResponse(await readResponse(this.#reader, isHead));
  }

  /**
   * Reads the next response head and returns a response whose body is read as it arrives.
   * Reading it to the end, or leaving it early, closes this connection.
   */
  async readStream(isHead = false): Promise<TestStreamResponse> {
    const head = await readResponseHead(this.#reader);
    const body = readBody(this.#reader, bodyFraming(head, isHead));
    return new TestStreamResponse(head, body, () => this.destroy());
  }

  /**
   * Reads every byte the server sends until it closes its side, unparsed (bytes already read
   * by `read()` excluded). For comparing wire output byte for byte.
   */
  async readUntilClose(): Promise<Buffer> {
    const chunks: Buffer[] = [this.#reader.rest];
    this.#reader.rest = Buffer.alloc(0);
    for (let chunk = await this.#reader.next(); chunk !== null; chunk = await this.#reader.next())
      chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  /** Whether every byte the server sent has been read and it closed its side. */
  get isDrained(): boolean {
    return this.#reader.isDone;
  }

  /** Half-closes: the server reads end of stream, and may still answer. */
  end(): void {
    this.#stream.end();
  }

  /** Closes the connection at once, as a client that goes away. */
  destroy(): void {
    this.#stream.destroy();
  }
}
