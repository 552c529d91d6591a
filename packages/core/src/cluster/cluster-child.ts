import type { BoundAddress } from '@bbws/transport';
import { isBbwsMessage, type ReadyMessage } from './cluster-messages.js';

/**
 * A cluster child's side of the IPC channel, once its listeners are bound: tells the primary
 * it is ready; drains and exits when the primary asks (the primary got SIGTERM), and when the
 * primary is gone (the channel closed: nothing would restart or stop this process any more).
 * @param stop the app's stop (its drain included); the process exits 0 after it, 1 if it fails
 */
export function joinPrimary(
  addresses: readonly BoundAddress[],
  stop: () => Promise<void>,
  onStopError: (error: unknown) => void,
): void {
  const ready: ReadyMessage = { bbws: 'ready', addresses };
  process.send?.(ready);
  const stopAndExit = () => {
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        onStopError(error);
        process.exit(1);
      },
    );
  };
  process.on('message', (message: unknown) => {
    if (isBbwsMessage(message) && message.bbws === 'stop') stopAndExit();
  });
  process.once('disconnect', stopAndExit);
}
