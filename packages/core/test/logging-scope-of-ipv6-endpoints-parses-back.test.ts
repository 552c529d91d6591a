import type { Endpoint } from '@bbws/router';
import { describe, expect, it } from 'vitest';
import { LogHub } from '../src/index.js';
import { endpointScopeKey, parseLogScope } from '../src/logging/log-scope.js';

// Issue 13: the scope key of a request's endpoint must parse as a scope again (a log line's
// scope pasted into `setLogging(..., { scope })` or config `log.scopes` selects that endpoint).
// A request to `Host: [::1]:5000` has the domain `::1`, which broke the key before.

const endpoints: Endpoint[] = [
  { ip: '::1', port: 5000, domain: '::1', isTls: false },
  { ip: '::1', port: 5000, domain: '', isTls: false },
  { ip: '127.0.0.1', port: 80, domain: '2001:db8::7', isTls: false },
  { ip: 'fe80::1', port: 443, domain: 'example.com', isTls: true },
  { ip: '::ffff:127.0.0.1', port: 1, domain: 'x', isTls: false },
];

describe('the scope of an IPv6 endpoint', () => {
  it.each(endpoints)('parses back to the same ip, port and domain: %o', (endpoint) => {
    expect(parseLogScope(endpointScopeKey(endpoint))).toEqual({
      ip: endpoint.ip,
      port: endpoint.port,
      domain: endpoint.domain === '' ? null : endpoint.domain,
    });
  });

  it('selects that endpoint when given to setLogging', () => {
    const lines: string[] = [];
    const hub = new LogHub({ console: false, levels: ['info'], callback: (message) => lines.push(message) });
    const quiet = endpoints[0] as Endpoint;
    hub.setLogging('info', false, { scope: endpointScopeKey(quiet) });
    hub.log('from [::1] with Host [::1]', 'info', quiet);
    hub.log('from elsewhere', 'info', endpoints[1]);
    expect(lines).toEqual(['from elsewhere']);
  });
});
