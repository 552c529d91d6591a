import { TestClient } from 'bbwebservice/testing';
import { describe, expect, it } from 'vitest';
import { Greeter } from '../src/greeter.js';
import { HelloController } from '../src/hello-controller.js';

describe('HelloController', () => {
  it('greets', async () => {
    const client = await TestClient.create({ controllers: [HelloController] });
    const res = await client.get('/hello');
    expect(res.status).toBe(200);
    expect(res.text()).toBe('Hello from {{name}}!');
  });

  it('uses the Greeter from DI, which a test can replace', async () => {
    const client = await TestClient.create({
      controllers: [HelloController],
      providers: [[Greeter, { useValue: { greet: (name: string) => `hi ${name}` } }]],
    });
    expect((await client.get('/hello/ada')).json()).toEqual({ message: 'hi ada' });
  });
});
