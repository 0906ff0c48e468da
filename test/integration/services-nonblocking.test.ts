/**
 * The services answer the UI: while another process holds the workspace's write lock (an import
 * publishing), a user's change waits without freezing the thread, reads go on, and a lock held too long
 * is a clear CONFLICT, never SQLite's "database is locked".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, parseAsOf } from '../../electron/core/app/clock';
import { EventBus } from '../../electron/core/app/event-bus';
import { createJobSystem } from '../../electron/core/jobs/system';
import { silentLogger } from '../../electron/core/log/logger';
import { createServices } from '../../electron/core/services';
import { openStore } from '../../electron/core/store/database';
import { whenWritable } from '../../electron/core/store/nonblocking';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { DEMO_AS_OF, demoWorkspace } from '../support/workspace';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function setup() {
  const { workspace } = demoWorkspace();
  cleanups.push(() => workspace.close());
  const services = createServices({
    workspace,
    clock: fixedClock(parseAsOf(DEMO_AS_OF)),
    logger: silentLogger(),
    events: new EventBus(),
    jobs: createJobSystem({ workspace, logger: silentLogger(), run: false }),
    secrets: { get: async () => null, set: async () => {}, delete: async () => false },
    mode: 'browser',
  });
  const other = openStore({ file: workspace.store.file, mustExist: true });
  cleanups.push(() => other.close());
  return { workspace, services, other };
}

/** The longest gap between 10 ms timer ticks while `work` runs: how long the thread was not answering. */
async function worstStall<T>(work: Promise<T>): Promise<{ value: T; worstMs: number }> {
  let worst = 0;
  let last = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 10);
  try {
    return { value: await work, worstMs: worst };
  } finally {
    clearInterval(probe);
  }
}

function audited(workspace: Workspace, action: string): number {
  return workspace.audit.count({ action });
}

describe('user actions while another process writes', () => {
  it('wait for the write lock without blocking, while reads are answered, then commit with their audit event', async () => {
    const { workspace, services, other } = setup();
    other.sqlite.exec('BEGIN IMMEDIATE');
    const started = services.jobs.start('demo.long', { steps: 1, stepMs: 0 });
    // Reads are answered meanwhile (WAL readers never wait for the writer).
    expect(services.overview.get({ groupBy: 'service' }).empty).toBe(false);
    setTimeout(() => other.sqlite.exec('COMMIT'), 1_000);
    const { value: job, worstMs } = await worstStall(started);
    expect(worstMs).toBeLessThan(250);
    expect(job.status).toBe('queued');
    expect(audited(workspace, 'job.started')).toBe(1);
  });

  it('a lock held past the deadline is a CONFLICT that says what is going on; nothing is written', async () => {
    const { workspace, other } = setup();
    other.sqlite.exec('BEGIN IMMEDIATE');
    let ran = false;
    const refused = await worstStall(
      whenWritable(
        workspace.store.sqlite,
        () => {
          ran = true;
        },
        { deadlineMs: 300 },
      ).catch((error: unknown) => error),
    );
    other.sqlite.exec('ROLLBACK');
    expect(refused.worstMs).toBeLessThan(250);
    expect(ran).toBe(false);
    expect(refused.value).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(
        /another Valdrix process .* is writing to this workspace; nothing was changed/,
      ) as string,
    });
  });
});
