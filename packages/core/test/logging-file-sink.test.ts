import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogHub } from '../src/logging/index.js';

function readLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('file sinks (log_to_file)', () => {
  it('write JSON lines of their levels only, creating directories', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bbws-log-'));
    const file = join(dir, 'nested', 'logs', 'server.log');
    const hub = new LogHub({ console: false, levels: ['debug', 'info', 'error'] });
    hub.logToFile(file, ['error', 'info']);
    hub.log('started', 'info', '127.0.0.1:5000::');
    hub.log('noise', 'debug');
    hub.log(new Error('failed'), 'error');
    await hub.close();
    const records = readLines(file);
    expect(records.map((r) => [r.level, r.msg])).toEqual([
      [30, 'started'],
      [50, 'failed'],
    ]);
    expect(records[0]?.scope).toBe('127.0.0.1:5000::');
  });

  it('append to an existing file and honour the level switches', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bbws-log-')), 'app.log');
    writeFileSync(file, '{"msg":"before"}\n');
    const hub = new LogHub({ console: false, levels: ['error'] });
    hub.logToFile(file); // all levels, as switched on
    hub.log('skipped: info is off', 'info');
    hub.log('kept', 'error');
    await hub.close();
    expect(readLines(file).map((r) => r.msg)).toEqual(['before', 'kept']);
  });

  it('buffer when asked and write everything on flush', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bbws-log-')), 'buffered.log');
    const hub = new LogHub({ console: false });
    hub.logToFile(file, undefined, { sync: false });
    for (let i = 0; i < 50; i++) hub.log(`line ${i}`, 'info');
    await new Promise((done) => setTimeout(done, 50)); // let the file open
    hub.flush();
    expect(readLines(file)).toHaveLength(50);
    await hub.close();
  });

  it('stop writing after the remover is called', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bbws-log-')), 'removed.log');
    const hub = new LogHub({ console: false });
    const remove = hub.logToFile(file);
    hub.log('one', 'info');
    await remove();
    hub.log('two', 'info');
    expect(readLines(file).map((r) => r.msg)).toEqual(['one']);
    expect(hub.isEnabled('info')).toBe(false);
  });

  it('route records written through hub.pino directly by their level', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bbws-log-')), 'pino.log');
    const hub = new LogHub({ console: false });
    hub.logToFile(file, ['timeout', 'error']);
    hub.pino.info('not for this file');
    hub.pino.timeout('handler too slow');
    hub.pino.child({ scope: '::a.example' }).error('child record');
    await hub.close();
    expect(readLines(file).map((r) => [r.level, r.msg])).toEqual([
      [35, 'handler too slow'],
      [50, 'child record'],
    ]);
  });

  it('fail with BBWS_ERR_LOG_FILE naming the path when the file cannot be opened', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bbws-log-'));
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    const hub = new LogHub({ console: false });
    const path = join(blocker, 'sub', 'x.log');
    expect(() => hub.logToFile(path)).toThrow(expect.objectContaining({ code: 'BBWS_ERR_LOG_FILE' }));
    expect(() => hub.logToFile(path)).toThrow(path);
    expect(existsSync(path)).toBe(false);
  });
});
