import { ResponsesError } from './errors.js';

/**
 * Whether `status` may end a response: an integer 200..599. A 1xx is interim (RFC 9110 §15.2):
 * sent as a handler's answer it leaves the client waiting for the real one, and every
 * pipelined answer behind it is read as the previous request's. `100 Continue` is the
 * transport's to send. Above 599 is no status at all (RFC 9110 §15).
 */
export function isFinalStatus(status: number): boolean {
  return Number.isInteger(status) && status >= 200 && status <= 599;
}

/**
 * Returns `status` when it {@link isFinalStatus is final}; the rule of `Response` and of a
 * handler's `ResponseHead`.
 * @param subject what the status is for, named in the message (`Response`, `ResponseHead`)
 * @throws ResponsesError `BBWS_ERR_RESPONSE_STATUS` for anything else
 * @see docs/responses.md
 */
export function checkFinalStatus(status: number, subject: string): number {
  if (!isFinalStatus(status)) {
    throw new ResponsesError(
      'BBWS_ERR_RESPONSE_STATUS',
      `${subject} status must be an integer 200..599, got ${status}`,
    );
  }
  return status;
}
