import { TestClient } from '@bbws/testing';
import { describe, expect, it } from 'vitest';
import { Controller, ErrorHandler, Get, HttpError } from '../src/index.js';

// Issue 13, the rule of docs/controllers.md#errors: a handler's HttpError reaches a client that
// asks for JSON as JSON; an @ErrorHandler page answers what the framework could not route, and
// a handler's HttpError for clients that want HTML (or say nothing).

@Controller('::/users')
class Users {
  @Get('/{id:int}') show() {
    throw new HttpError(404, 'no such user', { id: 7 });
  }

  @ErrorHandler(404, { type: 'text/html; charset=utf-8' })
  notFound() {
    return '<h1>Not here</h1>';
  }
}

const JSON_BODY = { error: 'no such user', details: { id: 7 } };

async function get(path: string, accept?: string) {
  const client = await TestClient.create({ controllers: [Users] });
  const res = await client.get(path, accept === undefined ? {} : { headers: { accept } });
  client.close();
  return res;
}

describe("a handler's HttpError with an error page for its status", () => {
  it('is JSON for a client that asks for JSON', async () => {
    const res = await get('/users/7', 'application/json');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toEqual(JSON_BODY);
  });

  it('is JSON when JSON is preferred over HTML, and for +json types', async () => {
    expect((await get('/users/7', 'application/json, text/html;q=0.5')).json()).toEqual(JSON_BODY);
    expect((await get('/users/7', 'application/problem+json')).json()).toEqual(JSON_BODY);
  });

  it('is the page for a client that wants HTML, prefers it, or says nothing', async () => {
    for (const accept of ['text/html', 'text/html,application/json;q=0.9', '*/*', undefined]) {
      const res = await get('/users/7', accept);
      expect(res.status, String(accept)).toBe(404);
      expect(res.text(), String(accept)).toBe('<h1>Not here</h1>');
    }
  });
});

describe('what the framework could not route', () => {
  it('is the page, even for a client that asks for JSON', async () => {
    const res = await get('/users/not-a-number', 'application/json');
    expect(res.status).toBe(404);
    expect(res.text()).toBe('<h1>Not here</h1>');
  });
});
