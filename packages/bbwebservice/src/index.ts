/**
 * @packageDocumentation
 * bbwebservice: the one package an app installs. Re-exports the public API of every
 * `@bbws/*` package, plus tsyringe's decorators for services.
 * @example
 * ```ts
 * import { Controller, Get, MIME_TYPE, createApp, singleton } from 'bbwebservice';
 * ```
 */
export * from '@bbws/core';
export * from '@bbws/responses';
export { type Endpoint, parseSelector, RouterError } from '@bbws/router';
export * from '@bbws/testing';
export { DuplexPair, HttpServer, TransportError } from '@bbws/transport';
export { container, inject, injectable, Lifecycle, scoped, singleton } from 'tsyringe';
