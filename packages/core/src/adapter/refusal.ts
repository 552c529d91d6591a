/**
 * An answer the adapter gives before the app sees the request, the same the transport writes
 * for that status (a short text body), less the framing fields the host writes: so a body
 * over `max_body_size` reads the same in every runtime.
 */
export interface Refusal {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const TEXT = 'text/plain; charset=utf-8';

/** 413, as the transport answers a body over `max_body_size`. */
export const PAYLOAD_TOO_LARGE: Refusal = Object.freeze({
  status: 413,
  contentType: TEXT,
  body: 'Payload Too Large',
});

/** 400, as the transport answers a request it cannot read (here: the host's stream failed). */
export const BAD_REQUEST: Refusal = Object.freeze({ status: 400, contentType: TEXT, body: 'Bad Request' });
