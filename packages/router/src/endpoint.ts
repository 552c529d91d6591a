/** Where a request arrived: what a selector matches on. */
export interface Endpoint {
  /** Local IP the connection was accepted on, IPv6 without brackets (`::1`). */
  readonly ip: string;
  /** Local port. */
  readonly port: number;
  /** Lower-case domain from TLS SNI or the Host header, without port; `''` when unknown. */
  readonly domain: string;
  /** Whether the connection is TLS. */
  readonly isTls: boolean;
}
