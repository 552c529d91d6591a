/**
 * The domain a Host value (or an absolute-form authority) names, as the router matches it:
 * lower-case, without port or IPv6 brackets. `Example.COM:8080` → `example.com`;
 * `[::1]:80` → `::1`. The adapter runtime uses the same rule, so selectors match alike.
 */
export function domainOfHost(host: string): string {
  if (host.charCodeAt(0) === 91 /* [ */) {
    const close = host.indexOf(']');
    return close === -1 ? host.toLowerCase() : host.slice(1, close).toLowerCase();
  }
  const colon = host.indexOf(':');
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}
