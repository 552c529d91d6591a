import { LogHub } from './log-hub.js';

let defaultHub: LogHub | null = null;

/**
 * The documented default hub: the one global logger, for code that runs outside an app (a
 * script, a library helper). Created on first use with the default options (stdout, JSON
 * lines, levels info, timeout, warning, error, critical). Apps do not use it unless given it
 * (`createApp({ logger: defaultLogHub() })`); each app otherwise owns its own hub.
 * @see docs/logging.md
 */
export function defaultLogHub(): LogHub {
  defaultHub ??= new LogHub();
  return defaultHub;
}
