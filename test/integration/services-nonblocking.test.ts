/**
 * The services answer the UI: while another process holds the workspace's write lock (an import
 * publishing), a user's change waits without freezing the thread, reads go on, and a lock held too long
 * is a clear CONFLICT, never SQLite's "database is locked".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../electron/core/store/database';
import { whenWritable } from '../../electron/core/store/nonblocking';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { testServices } from '../support/services';
import { worstStall } from '../support/stall';
import { demoWorkspace } from '../support/workspace';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function setup() {
  const { workspace } = demoWorkspace();
  cleanups.push(() => workspace.close());
  const services = testServices(workspace);
  const other = openStore({ file: workspace.store.file, mustExist: true, now: () => new Date() });
  cleanups.push(() => other.close());
  return { workspace, services, other };
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
