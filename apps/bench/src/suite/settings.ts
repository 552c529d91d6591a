/**
 * The load options the suite and `compare` share (`--duration`, `--warmup`, `--connections`,
 * `--sse-clients`, `--idle`, `--cold-samples`), their defaults for a full and a smoke run, and
 * the part of them a results file records.
 */
import type { Args, OptionSpec } from '../analysis/args.js';
import type { LoadSettings } from './model.js';

export const LOAD_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  duration: { value: 'S', help: 'seconds of each measured load (5; 1 with --smoke)' },
  warmup: { value: 'S', help: 'seconds of warm-up load before each (2; 0 with --smoke)' },
  connections: { value: 'N', help: 'wrk connections (64; 16 with --smoke)' },
  'sse-clients': { value: 'N', help: 'SSE clients in the sse scenario (1000; 100 with --smoke)' },
  idle: { value: 'N', help: 'connections in the idle scenario (10000; 500 with --smoke)' },
  'cold-samples': { value: 'N', help: 'cold starts per server, their median counts (5; 1 with --smoke)' },
};

/** The load of each scenario as the options ask, and the CPU route's connections. */
export function loadSettings(
  args: Args,
  smoke: boolean,
): LoadSettings & { readonly spinConnections: number } {
  return {
    warmupSeconds: args.number('warmup', smoke ? 0 : 2),
    seconds: args.number('duration', smoke ? 1 : 5),
    connections: args.integer('connections', smoke ? 16 : 64, 1),
    sseClients: args.integer('sse-clients', smoke ? 100 : 1000, 1),
    idleConnections: args.integer('idle', smoke ? 500 : 10_000, 1),
    coldStartSamples: args.integer('cold-samples', smoke ? 1 : 5, 1),
    spinConnections: smoke ? 4 : 16,
  };
}

/** What a results file records of the settings: the load, not the port or directory. */
export function recordedLoad(settings: LoadSettings): LoadSettings {
  return {
    warmupSeconds: settings.warmupSeconds,
    seconds: settings.seconds,
    connections: settings.connections,
    sseClients: settings.sseClients,
    idleConnections: settings.idleConnections,
    coldStartSamples: settings.coldStartSamples,
  };
}
