import { Controller, Get, MIME_TYPE } from 'bbwebservice';

/**
 * Health on the second listener only (port 5001 in config/config.json): keep it off the
 * public port, point the load balancer or orchestrator at it.
 */
@Controller(':5001::/health')
export class HealthController {
  readonly #startedAt = Date.now();

  @Get('/', { type: MIME_TYPE.JSON })
  health() {
    return { status: 'ok', uptimeSeconds: Math.round((Date.now() - this.#startedAt) / 1000) };
  }
}
