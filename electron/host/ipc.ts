import type { EventBus } from '../core/app/event-bus';
import type { Logger } from '../core/log/logger';
import type { HandlerRegistry } from './registry';

export const IPC_INVOKE_CHANNEL = 'valdrix:invoke';
export const IPC_EVENT_CHANNEL = 'valdrix:event';

/** The slice of Electron's ipcMain this transport needs; kept structural so the core stays Electron-free. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown,
  ): void;
  removeHandler(channel: string): void;
}

export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

/**
 * Serves the contract over Electron IPC. Calls from frames other than the app's own are refused;
 * the payload is validated by the registry like any other transport's.
 */
export function serveIpc(options: {
  ipcMain: IpcMainLike;
  registry: HandlerRegistry;
  isTrustedFrame: (url: string) => boolean;
  logger: Logger;
}): () => void {
  const { ipcMain, registry, isTrustedFrame, logger } = options;
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, channel, input) => {
    const url = event.senderFrame?.url ?? '';
    if (!isTrustedFrame(url)) {
      logger.warn({ url }, 'IPC call from an untrusted frame refused');
      return { ok: false, error: { code: 'FORBIDDEN', message: 'caller is not the Valdrix window' } };
    }
    if (typeof channel !== 'string')
      return { ok: false, error: { code: 'VALIDATION', message: 'channel must be a string' } };
    return registry.invoke(channel, input);
  });
  return () => ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
}

/** Forwards core events to a window. */
export function forwardEvents(events: EventBus, target: WebContentsLike): () => void {
  return events.subscribe((envelope) => {
    if (!target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, envelope);
  });
}
