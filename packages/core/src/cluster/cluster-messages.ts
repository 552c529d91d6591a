import type { BoundAddress } from '@bbws/transport';

/** A child tells the primary its listeners are bound (the addresses it got). */
export interface ReadyMessage {
  readonly bbws: 'ready';
  readonly addresses: readonly BoundAddress[];
}

/** The primary asks a child to drain and exit (the primary got SIGTERM/SIGINT, or stop()). */
export interface StopMessage {
  readonly bbws: 'stop';
}

export type ChildMessage = ReadyMessage;
export type PrimaryMessage = StopMessage;

/** Whether an IPC message is one of ours (the app may send its own on the same channel). */
export function isBbwsMessage(message: unknown): message is { readonly bbws: string } {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { bbws?: unknown }).bbws === 'string'
  );
}
