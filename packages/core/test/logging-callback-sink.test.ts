import { describe, expect, it, vi } from 'vitest';
import { type LoggingCallback, LogHub } from '../src/logging/index.js';

describe('the callback sink (set_logging_callback)', () => {
  it('receives message, ISO timestamp, level and scope', () => {
    const hub = new LogHub({ console: false });
    const callback = vi.fn<LoggingCallback>();
    hub.setLoggingCallback(callback);
    const before = Date.now();
    hub.log('hello', 'info', '127.0.0.1:5000::example.com');
    hub.log('no scope', 'warning');
    expect(callback).toHaveBeenCalledTimes(2);
    const [message, timestamp, level, scope] = callback.mock.calls[0] ?? [];
    expect([message, level, scope]).toEqual(['hello', 'info', '127.0.0.1:5000::example.com']);
    expect(Date.parse(timestamp ?? '')).toBeGreaterThanOrEqual(before - 1);
    expect(timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(callback.mock.calls[1]?.slice(2)).toEqual(['warning', '']);
  });

  it('gets text for every kind of message', () => {
    const hub = new LogHub({ console: false });
    const messages: string[] = [];
    hub.setLoggingCallback((message) => messages.push(message));
    hub.log({ user: 'ann', id: 7 });
    hub.log({ toString: () => 'custom text' });
    hub.log(42);
    hub.log(() => 'lazy');
    const error = new Error('boom');
    hub.log(error, 'error');
    expect(messages).toEqual(['{"user":"ann","id":7}', 'custom text', '42', 'lazy', error.stack]);
  });

  it('takes only its levels, within the switched-on ones', () => {
    const hub = new LogHub({ console: false, levels: ['info', 'error', 'debug'] });
    const levels: string[] = [];
    hub.setLoggingCallback((_m, _t, level) => levels.push(level), ['error', 'debug', 'critical']);
    hub.log('i', 'info');
    hub.log('e', 'error');
    hub.log('d', 'debug');
    hub.log('c', 'critical'); // the callback takes it, but critical is switched off
    expect(levels).toEqual(['error', 'debug']);
  });

  it('is removed with null', () => {
    const hub = new LogHub({ console: false });
    const callback = vi.fn<LoggingCallback>();
    hub.setLoggingCallback(callback);
    hub.setLoggingCallback(null);
    hub.log('x');
    expect(callback).not.toHaveBeenCalled();
  });

  it('does not break the caller when it throws; the failure is reported as a warning', () => {
    const hub = new LogHub({ console: false });
    hub.setLoggingCallback(() => {
      throw new Error('sink down');
    });
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    expect(() => hub.log('x')).not.toThrow();
    expect(warning).toHaveBeenCalledWith(
      expect.stringContaining('sink down'),
      expect.objectContaining({ code: 'BBWS_LOG_CALLBACK' }),
    );
    warning.mockRestore();
  });
});

describe('a message with an error', () => {
  it('gives the callback the message and the stack, and the JSON record an err field', () => {
    const lines: string[] = [];
    const hub = new LogHub({ console: { write: (l) => lines.push(l) } });
    const texts: string[] = [];
    hub.setLoggingCallback((message) => texts.push(message));
    const error = new Error('disk full');
    hub.log('GET /upload failed', 'error', '127.0.0.1:5000::', error);
    expect(texts).toEqual([`GET /upload failed: ${error.stack}`]);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      level: 50,
      msg: 'GET /upload failed',
      scope: '127.0.0.1:5000::',
      err: { type: 'Error', message: 'disk full', stack: error.stack },
    });
  });
});
