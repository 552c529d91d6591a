import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoreError, OffloadError } from '../../packages/core/src/index.js';
import { ScaffoldError } from '../../packages/create-app/src/errors.js';
import { BbwsError as ResponsesCopyOfBbwsError } from '../../packages/responses/src/bbws-error.js';
import { ResponsesError } from '../../packages/responses/src/index.js';
import { BbwsError, RouterError } from '../../packages/router/src/index.js';
import { TestingError } from '../../packages/testing/src/errors.js';
import { TransportError, WorkerPoolError } from '../../packages/transport/src/index.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('one error family', () => {
  const errors = [
    new RouterError('BBWS_ERR_ROUTE_METHOD', 'm'),
    new ResponsesError('BBWS_ERR_SSE_FIELD', 'm'),
    new TransportError('BBWS_ERR_TRANSPORT_LISTEN', 'm'),
    new WorkerPoolError('BBWS_ERR_POOL_CLOSED', 'm'),
    new CoreError('BBWS_ERR_APP_STATE', 'm'),
    new OffloadError('BBWS_ERR_OFFLOAD_NO_APP', 'm'),
    new TestingError('BBWS_ERR_TESTING_NO_APP', 'm'),
    new ScaffoldError('BBWS_ERR_SCAFFOLD_NAME', 'm'),
  ];

  it('every package error is a BbwsError with a stable code, and still an Error', () => {
    for (const error of errors) {
      expect(error).toBeInstanceOf(BbwsError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toMatch(/^BBWS_ERR_/);
    }
  });

  it('keeps subclass checks exact: a RouterError is no CoreError, an OffloadError is a CoreError', () => {
    expect(errors[0]).not.toBeInstanceOf(CoreError);
    expect(errors[5]).toBeInstanceOf(CoreError);
    expect(errors[3]).toBeInstanceOf(TransportError);
    expect(errors[4]).not.toBeInstanceOf(OffloadError);
    expect(errors[7]).not.toBeInstanceOf(CoreError);
    expect(errors[7]).toBeInstanceOf(ScaffoldError);
  });

  it('holds across two copies of the base: responses has its own copy, router errors pass its instanceof', () => {
    expect(ResponsesCopyOfBbwsError).not.toBe(BbwsError);
    expect(new RouterError('BBWS_ERR_ROUTE_METHOD', 'm')).toBeInstanceOf(ResponsesCopyOfBbwsError);
    expect(new ResponsesError('BBWS_ERR_SSE_FIELD', 'm')).toBeInstanceOf(BbwsError);
    // A CoreError built by another copy of @bbws/core: another class object, the same name.
    class OtherCopyCoreError extends ResponsesCopyOfBbwsError {}
    Object.defineProperty(OtherCopyCoreError, 'name', { value: 'CoreError' });
    expect(new OtherCopyCoreError('BBWS_ERR_APP_STATE', 'm')).toBeInstanceOf(CoreError);
  });

  it('does not take an unbranded error for one of ours', () => {
    const lookalike = Object.assign(new Error('m'), { code: 'BBWS_ERR_APP_STATE', name: 'CoreError' });
    expect(lookalike).not.toBeInstanceOf(BbwsError);
    expect(lookalike).not.toBeInstanceOf(CoreError);
    expect(null).not.toBeInstanceOf(BbwsError);
  });

  it('has its three copies of the base (router, responses, create-app: none depends on another) identical', () => {
    const read = (pkg: string) => readFileSync(resolve(ROOT, `packages/${pkg}/src/bbws-error.ts`), 'utf8');
    expect(read('responses')).toBe(read('router'));
    expect(read('create-app')).toBe(read('router'));
  });
});
