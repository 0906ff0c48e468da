import { fixedClock, parseAsOf } from '../../electron/core/app/clock';
import { EventBus } from '../../electron/core/app/event-bus';
import { createJobSystem } from '../../electron/core/jobs/system';
import { silentLogger } from '../../electron/core/log/logger';
import type { SecretStore } from '../../electron/core/secrets/secret-store';
import { createServices, type CoreContext } from '../../electron/core/services';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { DEMO_AS_OF } from './workspace';

/** A keychain that holds nothing, for services whose tests never sign. */
export const noSecrets: SecretStore = {
  get: async () => null,
  set: async () => {},
  delete: async () => false,
  status: async () => ({ available: true, problem: null }),
};

/** The core's services over a workspace as browser mode builds them, with a job queue but no runner. */
export function testServices(workspace: Workspace, overrides: Partial<CoreContext> = {}) {
  return createServices({
    workspace,
    clock: fixedClock(parseAsOf(DEMO_AS_OF)),
    logger: silentLogger(),
    events: new EventBus(),
    jobs: createJobSystem({ workspace, logger: silentLogger(), run: false }),
    secrets: noSecrets,
    mode: 'browser',
    ...overrides,
  });
}
