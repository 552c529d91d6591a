import net from 'node:net';
import { type ResponseProblem, type StrictResponse, StrictResponseParser } from './strict-response-parser.js';

/**
 * How a connection ended, seen from the client: the server closed it (FIN), reset it, refused
 * the connect, the client closed it after the responses it waited for, or nothing happened
 * within the bound.
 */
export type Ending = 'closed' | 'reset' | 'refused' | 'done' | 'timeout';

/** One connection's story: what it received and how it ended (times from the connect call). */
export interface Exchange {
  readonly responses: readonly StrictResponse[];
  readonly problem: ResponseProblem | null;
  readonly ending: Ending;
  readonly firstByteMs: number;
  readonly endMs: number;
  /** When the TCP connect completed (NaN if it never did). */
  readonly connectedMs: number;
  readonly receivedBytes: number;
  /** 2xx-4xx responses without Date (see StrictResponseParser.datelessCount). */
  readonly datelessCount: number;
}

export interface ExchangeOptions {
  /** End our side after writing (the server then answers what it has, and closes). */
  readonly isHalfClose?: boolean;
  /** Close from our side once this many final (non-1xx) responses arrived. */
  readonly untilResponses?: number;
  /** Give up (ending `timeout`) after this long. */
  readonly boundMs: number;
}

/** Connects, writes `bytes`, and reads strictly until the connection ends or the bound passes. */
export function exchange(port: number, bytes: Buffer | string, options: ExchangeOptions): Promise<Exchange> {
  const started = performance.now();
  const parser = new StrictResponseParser();
  const responses: StrictResponse[] = [];
  let firstByteMs = Number.NaN;
  let connectedMs = Number.NaN;
  let received = 0;
  let ending: Ending | null = null;
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const timer = setTimeout(() => finish('timeout'), options.boundMs);
    function finish(how: Ending): void {
      if (ending !== null) return;
      ending = how;
      clearTimeout(timer);
      if (how === 'closed' || how === 'reset') responses.push(...parser.end());
      socket.destroy();
      resolve({
        responses,
        problem: parser.problem,
        ending: how,
        firstByteMs,
        endMs: performance.now() - started,
        connectedMs,
        receivedBytes: received,
        datelessCount: parser.datelessCount,
      });
    }
    socket.once('connect', () => {
      connectedMs = performance.now() - started;
      socket.write(bytes);
      if (options.isHalfClose === true) socket.end();
    });
    socket.on('data', (chunk: Buffer) => {
      if (received === 0) firstByteMs = performance.now() - started;
      received += chunk.length;
      responses.push(...parser.push(chunk));
      if (options.untilResponses !== undefined && parser.finalCount >= options.untilResponses) finish('done');
    });
    socket.once('end', () => finish('closed'));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish(error.code === 'ECONNREFUSED' ? 'refused' : 'reset'),
    );
    socket.once('close', () => finish('closed'));
  });
}

/** What one request on a kept-alive connection came to. */
export type RequestOutcome =
  | { readonly kind: 'response'; readonly response: StrictResponse; readonly ms: number }
  /** The connection ended first; `partialBytes` of a response had arrived (0: none at all). */
  | { readonly kind: 'ended'; readonly partialBytes: number; readonly isReset: boolean }
  | { readonly kind: 'problem'; readonly problem: ResponseProblem }
  | { readonly kind: 'timeout' };

/** A client that sends one request at a time on one connection and reads each answer strictly. */
export class KeptAliveClient {
  readonly #socket: net.Socket;
  readonly #parser = new StrictResponseParser();
  readonly #ready: StrictResponse[] = [];
  #isEnded = false;
  #isReset = false;
  #wake: (() => void) | null = null;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#ready.push(...this.#parser.push(chunk));
      this.#notify();
    });
    const onEnd = () => {
      if (this.#isEnded) return;
      this.#isEnded = true;
      socket.destroy();
      this.#notify();
    };
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.on('error', () => {
      this.#isReset = true;
      onEnd();
    });
  }

  /**
   * Opens a connection.
   * @throws Error with the socket's code (ECONNREFUSED when nothing listens)
   */
  static connect(port: number, timeoutMs = 5000): Promise<KeptAliveClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1' });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('connect timed out'));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new KeptAliveClient(socket));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** Whether the connection is still open and the last answer did not say `Connection: close`. */
  get isReusable(): boolean {
    return !this.#isEnded && !this.#parser.sawClose && this.#parser.problem === null;
  }

  /** Writes one request and waits for its final answer, the end of the connection, or the bound. */
  async request(bytes: Buffer | string, timeoutMs: number): Promise<RequestOutcome> {
    const started = performance.now();
    if (!this.#isEnded) this.#socket.write(bytes);
    const deadline = started + timeoutMs;
    for (;;) {
      const response = this.#ready.shift();
      if (response !== undefined) {
        if (response.status < 200) continue;
        return { kind: 'response', response, ms: performance.now() - started };
      }
      const problem = this.#parser.problem;
      if (problem !== null) return { kind: 'problem', problem };
      if (this.#isEnded) {
        return { kind: 'ended', partialBytes: this.#parser.pendingBytes, isReset: this.#isReset };
      }
      const left = deadline - performance.now();
      if (left <= 0) return { kind: 'timeout' };
      await this.#waitUpTo(left);
    }
  }

  close(): void {
    this.#socket.destroy();
  }

  #waitUpTo(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = null;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}

/** One `GET <path>` on a fresh connection: the status, or how it failed. */
export async function probe(port: number, path = '/hello', boundMs = 5000): Promise<number | string> {
  const result = await exchange(port, `GET ${path} HTTP/1.1\r\nHost: drill\r\n\r\n`, {
    untilResponses: 1,
    boundMs,
  });
  const response = result.responses.find((r) => r.status >= 200);
  if (response !== undefined) return response.status;
  return result.problem === null ? result.ending : result.problem.kind;
}
