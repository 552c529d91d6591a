import { readFileSync } from 'node:fs';
import { override, TestClient } from 'bbwebservice/testing';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import type { Todo } from '../src/todos/todo.js';
import { TodoController } from '../src/todos/todo-controller.js';
import { TodoStore } from '../src/todos/todo-store.js';

// The listeners of config/config.json: the API on 5000, health on 5001.
const config = JSON.parse(readFileSync(new URL('../config/config.json', import.meta.url), 'utf8'));
const quiet = { ...config, log: { levels: ['error'] } };

describe('todos', () => {
  it('creates, reads, updates and deletes a todo', async () => {
    const client = TestClient.fromApp(buildApp(quiet));
    const created = await client.post('/api/todos', { json: { title: 'write tests' } });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe('/api/todos/1');
    expect(created.json()).toEqual({ id: 1, title: 'write tests', done: false });

    expect((await client.patch('/api/todos/1', { json: { done: true } })).json()).toMatchObject({
      done: true,
    });
    expect((await client.get('/api/todos')).json()).toEqual([{ id: 1, title: 'write tests', done: true }]);
    expect((await client.delete('/api/todos/1')).status).toBe(204);
    expect((await client.get('/api/todos/1')).status).toBe(404);
  });

  it('refuses a body that does not match the DTO, naming the field', async () => {
    const client = TestClient.fromApp(buildApp(quiet));
    const res = await client.post('/api/todos', { json: { title: '', done: 'yes' } });
    expect(res.status).toBe(400);
    expect(
      res
        .json()
        .issues.map((issue: { path: string }) => issue.path)
        .sort(),
    ).toEqual(['done', 'title']);
  });

  it('answers unknown todos and unknown paths with the JSON error page', async () => {
    const client = TestClient.fromApp(buildApp(quiet));
    expect((await client.get('/api/todos/42')).json()).toEqual({
      error: 'no such todo',
      status: 404,
      details: { id: 42 },
    });
    const unknown = await client.get('/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toEqual({ error: 'no route for GET /api/nothing-here', status: 404 });
  });

  it('lists what a replaced store holds (the service overridden for this client only)', async () => {
    const stored: Todo[] = [{ id: 7, title: 'from the stub', done: false }];
    const client = await TestClient.create({
      controllers: [TodoController],
      providers: [override(TodoStore).useValue({ list: () => stored } as unknown as TodoStore)],
    });
    expect((await client.get('/api/todos')).json()).toEqual(stored);
  });

  it('serves health on the second listener only', async () => {
    const client = TestClient.fromApp(buildApp(quiet));
    const health = await client.get('/health', { port: 5001 });
    expect(health.status).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok' });
    expect((await client.get('/health', { port: 5000 })).status).toBe(404);
  });
});
