import { describe, expect, it, vi } from 'vitest';
import { LogHub } from '../src/logging/index.js';

/** A message whose every way of becoming text is a spy. */
function spiedMessage() {
  const toText = vi.fn(() => 'text');
  const toJSON = vi.fn(() => ({ as: 'json' }));
  const field = vi.fn(() => 'field');
  const message = {
    toString: toText,
    toJSON,
    get detail() {
      return field();
    },
  };
  return {
    message,
    toText,
    toJSON,
    field,
    touched: () => toText.mock.calls.length + toJSON.mock.calls.length + field.mock.calls.length,
  };
}

describe('nothing is formatted when no sink takes the level', () => {
  it('a switched-off level: no toString, no toJSON, no getter, no function call', () => {
    const lines: string[] = [];
    const hub = new LogHub({ console: { write: (l) => lines.push(l) }, levels: ['error'] });
    const callback = vi.fn();
    hub.setLoggingCallback(callback);
    const spied = spiedMessage();
    const lazy = vi.fn(() => 'built');
    hub.log(spied.message, 'debug');
    hub.log(lazy, 'info');
    expect(spied.touched()).toBe(0);
    expect(lazy).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
    expect(callback).not.toHaveBeenCalled();
  });

  it('a switched-on level no sink takes: nothing is touched either', () => {
    const hub = new LogHub({ console: false, levels: ['debug'] });
    hub.setLoggingCallback(vi.fn(), ['error']);
    const spied = spiedMessage();
    hub.log(spied.message, 'debug');
    expect(spied.touched()).toBe(0);
  });

  it('a scope switched off: nothing is touched', () => {
    const hub = new LogHub({ console: { write: () => {} }, levels: ['info'] });
    hub.setLogging('info', false, { scope: '::quiet.example' });
    const spied = spiedMessage();
    hub.log(spied.message, 'info', '127.0.0.1:80::quiet.example');
    expect(spied.touched()).toBe(0);
  });

  it('(control) the same message is serialized when a sink takes it', () => {
    const lines: string[] = [];
    const hub = new LogHub({ console: { write: (l) => lines.push(l) }, levels: ['debug'] });
    const texts: string[] = [];
    hub.setLoggingCallback((m) => texts.push(m));
    const spied = spiedMessage();
    hub.log(spied.message, 'debug');
    expect(spied.field).toHaveBeenCalled(); // pino read the fields for the JSON line
    expect(spied.toText).toHaveBeenCalled(); // the callback got its text
    expect(texts).toEqual(['text']);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 20, detail: 'field' });
  });
});
