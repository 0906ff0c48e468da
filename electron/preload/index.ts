import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { channels } from '../../shared/api/contract';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../host/ipc';

// Builds window.valdrix from the contract's keys: one method per channel, no hand-written list.
const api: Record<string, unknown> = Object.fromEntries(
  channels.map((channel) => [channel, (input: unknown) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, channel, input)]),
);
api.onEvent = (listener: (envelope: unknown) => void) => {
  const handler = (_event: unknown, envelope: unknown) => listener(envelope);
  ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
  return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
};

api.pathForFile = (file: File) => webUtils.getPathForFile(file);

contextBridge.exposeInMainWorld('valdrix', Object.freeze(api));
