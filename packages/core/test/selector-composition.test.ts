import { TestClient } from '@bbws/testing';
import { describe, expect, it } from 'vitest';
import { Controller, CoreError, createApp, Get } from '../src/index.js';

@Controller('127.0.0.1::/admin')
class AdminController {
  @Get('/stats') stats() {
    return 'stats on loopback';
  }
  @Get(':8443::/tls-only') narrowed() {
    return 'loopback, port 8443';
  }
}

@Controller(':::example.com:/site')
class SiteController {
  @Get('/') home() {
    return 'example.com home';
  }
}

describe('selector composition', () => {
  it('joins the controller prefix with method selectors', async () => {
    const client = await TestClient.create({ controllers: [AdminController, SiteController] });
    expect((await client.get('/admin/stats', { ip: '127.0.0.1' })).text()).toBe('stats on loopback');
    expect((await client.get('/admin/stats', { ip: '10.0.0.7' })).status).toBe(404);
    expect((await client.get('/site', { host: 'example.com' })).text()).toBe('example.com home');
    expect((await client.get('/site', { host: 'other.org' })).status).toBe(404);
  });

  it('lets a method narrow what the prefix leaves open', async () => {
    // A request in memory arrives on a configured listener, so both ports are listeners.
    const client = await TestClient.create({
      controllers: [AdminController],
      config: { server: [{ port: 5000 }, { port: 8443 }] },
    });
    expect((await client.get('/admin/tls-only', { ip: '127.0.0.1', port: 8443 })).text()).toBe(
      'loopback, port 8443',
    );
    expect((await client.get('/admin/tls-only', { ip: '127.0.0.1', port: 5000 })).status).toBe(404);
    expect(
      createApp({ controllers: [AdminController], config: {} })
        .router.listRoutes()
        .map((r) => r.selector),
    ).toContain('127.0.0.1:8443::/admin/tls-only');
  });

  it('refuses a method selector that contradicts the prefix, naming class and method', () => {
    @Controller('127.0.0.1::/admin')
    class Conflicting {
      @Get('10.0.0.1::/x') x() {
        return 'never';
      }
    }
    try {
      createApp({ controllers: [Conflicting], config: {} });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CoreError);
      expect((error as CoreError).code).toBe('BBWS_ERR_ROUTE_COMPOSITION');
      expect((error as Error).message).toMatch(
        /^Conflicting\.x: cannot join the controller prefix "127\.0\.0\.1::\/admin" with "10\.0\.0\.1::\/x"/,
      );
    }
  });
});
