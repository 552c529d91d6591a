import 'reflect-metadata';
import { container, inject, injectable } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/index.js';
import { defaultLogHub, LOG_HUB, LogHub, registerLogHub } from '../src/logging/index.js';

describe('a LogHub from the config', () => {
  it('takes levels and scopes from the log section, case-insensitively', () => {
    const config = parseConfig({
      log: { levels: ['ERROR', 'Info'], scopes: { '::debug.example': { DEBUG: true, info: false } } },
    });
    const lines: string[] = [];
    const hub = LogHub.fromConfig(config.log, { console: { write: (l) => lines.push(l) } });
    hub.log('info', 'info');
    hub.log('debug', 'debug');
    hub.log('scoped debug', 'debug', '127.0.0.1:80::debug.example');
    hub.log('scoped info', 'info', '127.0.0.1:80::debug.example');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['info', 'scoped debug']);
  });

  it('prints pino-pretty lines in dev mode (pretty: "auto")', () => {
    const lines: string[] = [];
    const hub = LogHub.fromConfig(parseConfig({}).log, {
      devMode: true,
      console: { write: (l) => lines.push(l) },
    });
    hub.log('ready', 'info', '127.0.0.1:5000::');
    hub.log('slow handler', 'timeout');
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: ready\n\s+scope: "127\.0\.0\.1:5000::"\n$/);
    expect(lines[1]).toMatch(/TIMEOUT: slow handler/);
  });

  it('writes JSON lines outside dev mode', () => {
    const lines: string[] = [];
    const hub = LogHub.fromConfig(parseConfig({}).log, {
      devMode: false,
      console: { write: (l) => lines.push(l) },
    });
    hub.log('ready');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 30, msg: 'ready' });
  });

  it('rejects unknown levels and bad scopes in the config, one line each', () => {
    expect(() =>
      parseConfig({ log: { levels: ['verbose'], scopes: { 'not a scope': { debug: true } } } }),
    ).toThrow(
      /log\.levels\[0\]: got "verbose", expected one of debug, .*\n\s+log\.scopes\.not a scope: got \{"debug":true\}, expected a scope/,
    );
  });
});

@injectable()
class AuditService {
  constructor(readonly log: LogHub) {}
}

@injectable()
class TokenAuditService {
  constructor(@inject(LOG_HUB) readonly log: LogHub) {}
}

describe('the LogHub in DI', () => {
  it('is the app hub for LogHub-typed parameters and for @inject(LOG_HUB)', () => {
    const child = container.createChildContainer();
    const hub = new LogHub({ console: false });
    registerLogHub(child, hub);
    expect(child.resolve(AuditService).log).toBe(hub);
    expect(child.resolve(TokenAuditService).log).toBe(hub);
  });

  it('can be created lazily, once, on first resolution', () => {
    const child = container.createChildContainer();
    let created = 0;
    registerLogHub(child, () => {
      created++;
      return new LogHub({ console: false });
    });
    expect(created).toBe(0);
    const first = child.resolve(AuditService).log;
    expect(child.resolve(TokenAuditService).log).toBe(first);
    expect(created).toBe(1);
  });

  it('has one documented default, the same object every time', () => {
    expect(defaultLogHub()).toBe(defaultLogHub());
    expect(defaultLogHub()).toBeInstanceOf(LogHub);
  });
});
