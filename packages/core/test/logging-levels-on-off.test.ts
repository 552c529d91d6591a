import { describe, expect, it } from 'vitest';
import { LOGGING_OPTIONS, LogHub, type LogLevel, PINO_LEVEL_VALUES } from '../src/logging/index.js';

function memoryHub(levels?: readonly LogLevel[]): { hub: LogHub; records: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const hub = new LogHub({ console: { write: (line) => lines.push(line) }, ...(levels ? { levels } : {}) });
  return { hub, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('logging levels', () => {
  it('default to info, timeout, warning, error and critical on; debug, request, response and time off', () => {
    const { hub, records } = memoryHub();
    for (const level of Object.values(LOGGING_OPTIONS)) hub.log(`a ${level} message`, level);
    expect(records().map((r) => r.msg)).toEqual([
      'a info message',
      'a timeout message',
      'a warning message',
      'a error message',
      'a critical message',
    ]);
  });

  it('are switched on and off one by one, not as a threshold', () => {
    const { hub, records } = memoryHub([]);
    hub.setLogging(LOGGING_OPTIONS.DEBUG, true);
    hub.setLogging(LOGGING_OPTIONS.TIMEOUT, true);
    hub.log('d', 'debug');
    hub.log('i', 'info');
    hub.log('t', 'timeout');
    hub.log('e', 'error');
    hub.setLogging('debug', false);
    hub.log('d2', 'debug');
    expect(records().map((r) => r.msg)).toEqual(['d', 't']);
  });

  it('are written with the pino level numbers of docs/logging.md', () => {
    const { hub, records } = memoryHub([]);
    hub.setLogging('all', true);
    for (const level of Object.values(LOGGING_OPTIONS)) hub.log(level, level);
    for (const record of records()) {
      expect(record.level).toBe(PINO_LEVEL_VALUES[record.msg as LogLevel]);
      expect(record.time).toBeTypeOf('number');
    }
    expect(records()).toHaveLength(9);
  });

  it('answer isEnabled the same way log() decides', () => {
    const { hub } = memoryHub(['error']);
    expect(hub.isEnabled('error')).toBe(true);
    expect(hub.isEnabled('info')).toBe(false);
    hub.logToConsole(false);
    expect(hub.isEnabled('error')).toBe(false); // on, but no sink takes it
  });

  it('default log() to info and log errors with their stack', () => {
    const { hub, records } = memoryHub();
    hub.log('plain');
    hub.log(new Error('boom'), 'error');
    const [plain, error] = records();
    expect(plain?.level).toBe(30);
    expect(error?.msg).toBe('boom');
    expect(error?.err).toMatchObject({ stack: expect.stringContaining('Error: boom') });
  });

  it('refuse unknown levels with BBWS_ERR_LOG_LEVEL', () => {
    const { hub } = memoryHub();
    expect(() => hub.setLogging('verbose' as LogLevel, true)).toThrow(
      expect.objectContaining({ code: 'BBWS_ERR_LOG_LEVEL' }),
    );
    expect(() => hub.log('x', 'verbose' as LogLevel)).toThrow(
      expect.objectContaining({ code: 'BBWS_ERR_LOG_LEVEL' }),
    );
  });
});
