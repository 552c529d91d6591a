import { TestClient } from '@bbws/testing';
import { describe, expect, it } from 'vitest';
import { Controller, Get } from '../src/index.js';

@Controller('::/m')
class MetricsController {
  @Get('/ok') ok() {
    return 'ok';
  }
}

describe('metrics endpoints', () => {
  it('serves timeout counters as JSON at /_bbws/metrics/timeouts', async () => {
    const client = await TestClient.create({ controllers: [MetricsController] });
    const res = await client.get('/_bbws/metrics/timeouts');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ 'timeouts.header': 0, 'timeouts.body': 0, 'timeouts.handler': 0 });
  });

  it('exposeTimeoutMetrics relocates the endpoint', async () => {
    const client = await TestClient.create({ controllers: [MetricsController] });
    client.app.exposeTimeoutMetrics('::/ops/timeouts');
    expect((await client.get('/_bbws/metrics/timeouts')).status).toBe(404);
    expect((await client.get('/ops/timeouts')).json()).toHaveProperty('timeouts.handler');
  });

  it('Prometheus metrics are opt-in and count requests by method and status', async () => {
    const client = await TestClient.create({ controllers: [MetricsController] });
    expect((await client.get('/metrics')).status).toBe(404);
    client.app.exposePrometheusMetrics('::/metrics');
    await client.get('/m/ok');
    await client.get('/m/ok');
    await client.get('/m/missing');
    const res = await client.get('/metrics');
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = res.text();
    expect(text).toContain('bbws_requests_total{method="GET",status="200"} 2');
    expect(text).toContain('bbws_requests_total{method="GET",status="404"} 1');
    expect(text).toMatch(/bbws_request_duration_seconds_count 3\n/);
    expect(text).toContain('bbws_timeouts_total{category="handler"} 0');
  });
});
