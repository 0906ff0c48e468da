/**
 * The CLI reaches the core through the same services as the app, so validation, settings, thresholds
 * and audit events exist once: each command opens the workspace, builds the services and closes it.
 */
import { anyLocalPath, EventBus } from '../core/app';
import { keychainSecretStore } from '../core/secrets';
import { createServices, type Services } from '../core/services';
import { createJobSystem, type JobSystem } from '../core/jobs/system';
import { openWorkspace, type Workspace } from '../core/workspace';
import type { CommandContext } from './jobs-commands';

/** Opens the workspace and its job queue (without a runner) for one command, and closes them after. */
export async function withServices<T>(
  ctx: CommandContext,
  fn: (services: Services, jobs: JobSystem, workspace: Workspace) => T | Promise<T>,
): Promise<T> {
  const workspace = openWorkspace(ctx.dir, { clock: ctx.clock });
  try {
    const jobs = createJobSystem({ workspace, logger: workspace.logger });
    const services = createServices({
      workspace,
      clock: ctx.clock,
      logger: workspace.logger,
      events: new EventBus(),
      jobs,
      secrets: keychainSecretStore(),
      mode: 'browser',
      // The person at the terminal reads their own files: no upload-only policy.
      importPaths: anyLocalPath(),
    });
    return await fn(services, jobs, workspace);
  } finally {
    workspace.close();
  }
}
