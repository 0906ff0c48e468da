import { fileURLToPath } from 'node:url';
import type { Clock } from '../core/app/clock';
import { EventBus } from '../core/app/event-bus';
import { createServices } from '../core/services';
import type { Workspace } from '../core/workspace/workspace';
import { createHandlers } from './handlers';
import { startBridge, type Bridge } from './http/bridge';
import { HandlerRegistry, registerHandlers } from './registry';

/** The renderer as electron-vite builds it, relative to this source file. */
export function defaultRendererDir(): string {
  return fileURLToPath(new URL('../../out/renderer', import.meta.url));
}

export interface BrowserHost {
  bridge: Bridge;
  events: EventBus;
  close(): Promise<void>;
}

/** Composition root for browser mode: services over a workspace, the contract's handlers, the loopback bridge. */
export async function startBrowserHost(options: {
  workspace: Workspace;
  clock: Clock;
  port?: number;
  staticDir?: string;
  token?: string;
}): Promise<BrowserHost> {
  const events = new EventBus();
  const services = createServices({
    workspace: options.workspace,
    clock: options.clock,
    logger: options.workspace.logger,
    events,
    mode: 'browser',
  });
  const registry = registerHandlers(new HandlerRegistry(options.workspace.logger), createHandlers(services));
  const bridge = await startBridge({
    registry,
    events,
    logger: options.workspace.logger,
    staticDir: options.staticDir ?? defaultRendererDir(),
    port: options.port,
    token: options.token,
  });
  return { bridge, events, close: () => bridge.close() };
}
