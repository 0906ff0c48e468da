import { describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../electron/core/app/event-bus';
import { silentLogger } from '../../electron/core/log/logger';
import {
  forwardEvents,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  serveIpc,
  type IpcMainLike,
} from '../../electron/host/ipc';
import { HandlerRegistry, registerHandlers } from '../../electron/host/registry';
import { channels } from '../../shared/api/contract';
import { stubHandlers } from '../support/handlers';

// Electron cannot run here: these drive the IPC transport and the preload through the same shapes
// Electron hands them (ipcMain.handle listeners, contextBridge), recorded by small stand-ins.

type Listener = Parameters<IpcMainLike['handle']>[1];

function fakeIpcMain() {
  const listeners = new Map<string, Listener>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void listeners.set(channel, listener),
    removeHandler: (channel) => void listeners.delete(channel),
  };
  const call = (url: string, ...args: unknown[]) =>
    listeners.get(IPC_INVOKE_CHANNEL)!({ senderFrame: { url } }, ...args);
  return { ipcMain, listeners, call };
}

const APP_URL = 'file:///opt/valdrix/out/renderer/index.html';

function registry() {
  return registerHandlers(
    new HandlerRegistry(),
    stubHandlers({ 'overview.get': (input) => ({ echoed: input }) as never }),
  );
}

describe('IPC transport', () => {
  it('refuses calls from frames other than the app', async () => {
    const { ipcMain, call } = fakeIpcMain();
    serveIpc({ ipcMain, registry: registry(), isTrustedFrame: (url) => url === APP_URL, logger: silentLogger() });
    await expect(call('https://evil.example/', 'overview.get', {})).resolves.toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'caller is not the Valdrix window' },
    });
  });

  it('validates hostile payloads from the app frame', async () => {
    const { ipcMain, call } = fakeIpcMain();
    serveIpc({ ipcMain, registry: registry(), isTrustedFrame: (url) => url === APP_URL, logger: silentLogger() });
    await expect(call(APP_URL, { not: 'a channel' }, {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    await expect(call(APP_URL, 'overview.get', { groupBy: 1 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    await expect(call(APP_URL, 'nope.nope', {})).resolves.toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('removes its handler when stopped', () => {
    const { ipcMain, listeners } = fakeIpcMain();
    const stop = serveIpc({ ipcMain, registry: registry(), isTrustedFrame: () => true, logger: silentLogger() });
    expect(listeners.has(IPC_INVOKE_CHANNEL)).toBe(true);
    stop();
    expect(listeners.has(IPC_INVOKE_CHANNEL)).toBe(false);
  });

  it('forwards events to a live window only', () => {
    const bus = new EventBus();
    const sent: unknown[][] = [];
    let destroyed = false;
    const stop = forwardEvents(bus, { send: (...args) => void sent.push(args), isDestroyed: () => destroyed });
    bus.emit('data.changed', { reason: 'import', at: 't' });
    destroyed = true;
    bus.emit('data.changed', { reason: 'ignored', at: 't' });
    stop();
    expect(sent).toEqual([[IPC_EVENT_CHANNEL, { event: 'data.changed', payload: { reason: 'import', at: 't' } }]]);
    expect(bus.size).toBe(0);
  });
});

describe('preload', () => {
  it('exposes one method per contract channel plus onEvent and pathForFile, each invoking over IPC', async () => {
    const exposed: Record<string, Record<string, (...args: unknown[]) => unknown>> = {};
    const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 1 }));
    const on = vi.fn();
    const removeListener = vi.fn();
    vi.doMock('electron', () => ({
      contextBridge: {
        exposeInMainWorld: (key: string, api: Record<string, (...args: unknown[]) => unknown>) => (exposed[key] = api),
      },
      ipcRenderer: { invoke, on, removeListener },
      webUtils: { getPathForFile: (file: { path: string }) => file.path },
    }));
    await import('../../electron/preload/index');
    const api = exposed.valdrix!;
    expect(Object.keys(api).sort()).toEqual([...channels, 'onEvent', 'pathForFile'].sort());
    // Dropped files become paths through Electron's webUtils, never through the renderer's own guess.
    expect(api.pathForFile!({ path: '/exports/focus.csv' })).toBe('/exports/focus.csv');
    expect(Object.isFrozen(api)).toBe(true);
    await api['overview.get']!({ groupBy: 'service' });
    expect(invoke).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, 'overview.get', { groupBy: 'service' });
    const unsubscribe = api.onEvent!(() => undefined) as () => void;
    expect(on).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, expect.any(Function));
    unsubscribe();
    expect(removeListener).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, on.mock.calls[0]![1]);
    vi.doUnmock('electron');
  });
});
