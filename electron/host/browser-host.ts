import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../core/app/clock';
import { EventBus } from '../core/app/event-bus';
import { chosenPathsOnly } from '../core/app/path-grants';
import { createJobSystem, type JobSystem } from '../core/jobs/system';
import { keychainSecretStore, type SecretStore } from '../core/secrets/secret-store';
import { createServices } from '../core/services';
import type { Workspace } from '../core/workspace/workspace';
import { createHandlers } from './handlers';
import { startBridge, type Bridge } from './http/bridge';
import { publishAuditEvents, publishExternalChanges, publishJobChanges } from './job-events';
import { HandlerRegistry, registerHandlers } from './registry';

/** The renderer as electron-vite builds it, relative to this source file. */
export function defaultRendererDir(): string {
  return fileURLToPath(new URL('../../out/renderer', import.meta.url));
}

export interface BrowserHost {
  bridge: Bridge;
  events: EventBus;
  jobs: JobSystem;
  close(): Promise<void>;
}

/**
 * Composition root for browser mode: services over a workspace, a job runner in this process, the
 * contract's handlers and the loopback bridge.
 */
export async function startBrowserHost(options: {
  workspace: Workspace;
  clock: Clock;
  port?: number;
  staticDir?: string;
  token?: string;
  /** Run jobs in this process (default true). */
  runJobs?: boolean;
  /** The OS keychain by default. */
  secrets?: SecretStore;
}): Promise<BrowserHost> {
  const events = new EventBus();
  const logger = options.workspace.logger;
  const jobs = createJobSystem({ workspace: options.workspace, logger, run: options.runJobs !== false });
  const stopJobEvents = publishJobChanges(jobs, events);
  const stopAuditEvents = publishAuditEvents(options.workspace, events);
  const stopExternalChanges = publishExternalChanges(options.workspace, events);
  const stopPublishing = () => {
    stopJobEvents();
    stopAuditEvents();
    stopExternalChanges();
  };
  // Uploads land here, and imports read nothing else unless the user typed and confirmed a path.
  const uploadDir = path.join(options.workspace.paths.dir, 'uploads');
  const services = createServices({
    workspace: options.workspace,
    clock: options.clock,
    logger,
    events,
    jobs,
    secrets: options.secrets ?? keychainSecretStore(),
    mode: 'browser',
    importPaths: chosenPathsOnly({ roots: [uploadDir] }),
  });
  const registry = registerHandlers(new HandlerRegistry(logger), createHandlers(services));
  let bridge: Bridge;
  try {
    bridge = await startBridge({
      registry,
      events,
      logger,
      staticDir: options.staticDir ?? defaultRendererDir(),
      port: options.port,
      token: options.token,
      uploadDir,
    });
  } catch (error) {
    stopPublishing();
    await jobs.stop(0);
    throw error;
  }
  return {
    bridge,
    events,
    jobs,
    close: async () => {
      await bridge.close();
      stopPublishing();
      // Jobs get a moment to finish; the rest are released back to the queue for the next start.
      await jobs.stop(3_000);
    },
  };
}
