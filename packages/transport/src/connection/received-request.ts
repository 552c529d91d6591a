import type { Endpoint } from '@bbws/router';
import type { RequestHead } from '../parser/request-head.js';
import type { RequestBodyStream } from './request-body-stream.js';
import type { HttpRequest, StreamLimits } from './types.js';

/** Where a {@link ReceivedRequest} keeps its head (see there). */
const HEAD = Symbol('bbws.requestHead');

/**
 * The request a connection hands to its handler: the head's fields, and its header list read
 * through the head, so a handler that never reads a header never has it cut (see ParsedHead).
 * One per request; it shares nothing with another request.
 *
 * No field is declared with a value, not even a `#` field: the constructor creates them all,
 * in this order, so the class has no field initializer to run first (one is made per request,
 * and that step cost about 40 instructions on its own, defining each field as `undefined`
 * before the constructor set it). The head is kept under a symbol of this module instead.
 */
export class ReceivedRequest implements HttpRequest {
  declare readonly method: string;
  declare readonly target: string;
  declare readonly path: string;
  declare readonly query: string;
  declare readonly versionMinor: 0 | 1;
  declare readonly body: Buffer | null;
  declare readonly bodyStream: RequestBodyStream | null;
  declare readonly endpoint: Endpoint;
  declare readonly remoteAddress: string;
  declare readonly remotePort: number;
  declare readonly streamLimits: StreamLimits;
  declare readonly [HEAD]: RequestHead;

  constructor(
    head: RequestHead,
    body: Buffer | null,
    bodyStream: RequestBodyStream | null,
    endpoint: Endpoint,
    remoteAddress: string,
    remotePort: number,
    streamLimits: StreamLimits,
  ) {
    this.method = head.method;
    this.target = head.target;
    this.path = head.path;
    this.query = head.query;
    this.versionMinor = head.versionMinor;
    this.body = body;
    this.bodyStream = bodyStream;
    this.endpoint = endpoint;
    this.remoteAddress = remoteAddress;
    this.remotePort = remotePort;
    this.streamLimits = streamLimits;
    this[HEAD] = head;
  }

  /** Header fields as a flat list: lower-case name, value, name, value, ... */
  get headers(): string[] {
    return this[HEAD].headers;
  }
}
