import { resolve } from 'node:path';
import { MIME_TYPE } from '@bbws/responses';
import { Router } from '@bbws/router';
import { type HttpRequest, HttpServer, type RequestHandler, type ResponseSink } from '@bbws/transport';
import {
  type DependencyContainer,
  type InjectionToken,
  type Provider,
  container as rootContainer,
} from 'tsyringe';
import type { Config, ConfigInput } from '../config/config-schema.js';
import { loadConfigFile, parseConfig } from '../config/load-config.js';
import { type ControllerClass, readControllerMetadata } from '../decorators/metadata.js';
import { CoreError } from '../errors.js';
import { headerLine } from '../results/write-result.js';
import { joinSelector } from './join-selector.js';
import { RoutePlan } from './route-plan.js';
import { transportOptionsFromConfig } from './transport-options.js';

/** A provider registration: a token and how to provide it. */
export type ProviderEntry = readonly [InjectionToken<unknown>, Provider<unknown>];

/** Options of {@link createApp}. */
export interface AppOptions {
  /** Controller classes (decorated with `@Controller`). */
  readonly controllers: readonly ControllerClass[];
  /** Extra providers, registered on the app's own child container. */
  readonly providers?: readonly ProviderEntry[];
  /** A config object, or the path of a config.json (default `config/config.json` in the cwd). */
  readonly config?: ConfigInput | string;
  /** Parent container (default: tsyringe's root container). */
  readonly container?: DependencyContainer;
}

type AppState = 'created' | 'started' | 'stopped';

const NOT_FOUND_LINE = headerLine('Content-Type', MIME_TYPE.TEXT);

/**
 * An application: controllers compiled into a route table, a DI container, and (after
 * {@link App.start}) listeners.
 * @see docs/controllers.md
 */
export class App {
  readonly container: DependencyContainer;
  readonly router = new Router<RoutePlan>();
  readonly #configSource: ConfigInput | string;
  #config: Config | null = null;
  #server: HttpServer | null = null;
  #state: AppState = 'created';
  #addresses: Array<{ ip: string; port: number }> = [];
  readonly #controllers = new Map<ControllerClass, object>();

  /** The transport entry point: routes one request. Bound once, used for every request. */
  readonly handle: RequestHandler = (request, sink) => this.#handle(request, sink);

  constructor(options: AppOptions) {
    this.container = (options.container ?? rootContainer).createChildContainer();
    for (const [token, provider] of options.providers ?? []) {
      this.container.register(token, provider as never);
    }
    this.#configSource = options.config ?? resolve('config', 'config.json');
    for (const controller of options.controllers) this.#compileController(controller);
  }

  /** The validated configuration (read on first access). */
  get config(): Config {
    if (this.#config === null) {
      const source = this.#configSource;
      this.#config = typeof source === 'string' ? loadConfigFile(source) : parseConfig(source);
    }
    return this.#config;
  }

  /** Bound addresses after {@link App.start}. */
  get addresses(): ReadonlyArray<{ ip: string; port: number }> {
    return this.#addresses;
  }

  /** Starts one listener per `server` entry of the config. */
  async start(): Promise<void> {
    if (this.#state !== 'created') {
      throw new CoreError('BBWS_ERR_APP_STATE', `app.start() called when the app is ${this.#state}`);
    }
    this.#state = 'started';
    this.#addresses = await this.server.listen();
  }

  /**
   * The transport serving this app, built from the config on first access. Its `serve()`
   * runs an in-memory duplex through the same connection code as a socket (what TestClient does).
   */
  get server(): HttpServer {
    if (this.#server === null) {
      this.#server = new HttpServer(transportOptionsFromConfig(this.config, this.handle));
    }
    return this.#server;
  }

  /** Stops the listeners and closes connections. */
  async stop(): Promise<void> {
    if (this.#state !== 'started') return;
    this.#state = 'stopped';
    await this.#server?.close();
  }

  /**
   * The controller instance the app resolved for `controller` (to spy on it in tests).
   * @throws CoreError `BBWS_ERR_APP_STATE` when the class is not one of the app's controllers
   */
  getController<T extends object>(controller: abstract new (...args: never[]) => T): T {
    const instance = this.#controllers.get(controller as unknown as ControllerClass);
    if (instance === undefined) {
      throw new CoreError('BBWS_ERR_APP_STATE', `${controller.name} is not a controller of this app`);
    }
    return instance as T;
  }

  #compileController(controller: ControllerClass): void {
    const meta = readControllerMetadata(controller);
    if (meta === undefined || meta.prefix === null) {
      throw new CoreError(
        'BBWS_ERR_CONTROLLER_MISSING_DECORATOR',
        `${controller.name} is listed as a controller but has no @Controller() decorator`,
      );
    }
    const instance = this.container.resolve(controller as never) as Record<string, unknown>;
    this.#controllers.set(controller, instance);
    for (const route of meta.routes) {
      const method = instance[route.propertyKey];
      if (typeof method !== 'function') {
        throw new CoreError(
          'BBWS_ERR_DECORATOR_MISUSE',
          `${controller.name}.${route.propertyKey} is not a method`,
        );
      }
      const mimeType = route.mimeType ?? MIME_TYPE.TEXT;
      const typeLine = mimeType === MIME_TYPE.DYNAMIC ? '' : headerLine('Content-Type', mimeType);
      const plan = new RoutePlan(
        instance,
        method as (...args: unknown[]) => unknown,
        meta.params.get(route.propertyKey) ?? [],
        typeLine,
        (sink, error) => this.#onHandlerError(sink, error),
      );
      const selector = joinSelector(meta.prefix, route.selector);
      for (const httpMethod of route.methods) this.router.add(httpMethod, selector, plan);
    }
  }

  #handle(request: HttpRequest, sink: ResponseSink): void {
    const match = this.router.match(request.method, request.path, request.endpoint);
    if (match.kind === 'found') {
      match.value.invoke(request, match.params, sink);
    } else if (match.kind === 'method-not-allowed') {
      sink.send(405, `Allow: ${match.allow}\r\n${NOT_FOUND_LINE}`, 'Method Not Allowed');
    } else {
      sink.send(404, NOT_FOUND_LINE, 'Not Found');
    }
  }

  #onHandlerError(sink: ResponseSink, error: unknown): void {
    process.emitWarning(error instanceof Error ? error : new Error(String(error)));
    sink.send(500, NOT_FOUND_LINE, 'Internal Server Error');
  }
}

/**
 * Creates an application from controller classes. Decorators are read here, once; a
 * misdecorated controller fails now with a coded error.
 * @see docs/controllers.md
 */
export function createApp(options: AppOptions): App {
  return new App(options);
}
