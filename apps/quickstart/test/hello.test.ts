import { TestClient } from 'bbwebservice/testing';
import { describe, expect, it } from 'vitest';
import { quickstartApp } from '../src/app.js';

describe('quickstart', () => {
  it('answers GET /hello with the seed greeting', async () => {
    const client = TestClient.fromApp(quickstartApp({}));
    const res = await client.get('/hello');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text()).toBe('Hello from bbwebservice!');
  });

  it('answers an unknown path with 404', async () => {
    const client = TestClient.fromApp(quickstartApp({}));
    expect((await client.get('/nope')).status).toBe(404);
  });

  it('answers HEAD /hello with the GET headers and no body', async () => {
    const client = TestClient.fromApp(quickstartApp({}));
    const res = await client.request({ method: 'HEAD', path: '/hello' });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('24');
    expect(res.bytes().length).toBe(0);
  });
});
