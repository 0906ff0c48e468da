/**
 * The app refetches what another process changed in its workspace (a CLI import): the watcher reports
 * audit events committed through another connection, and not the app's own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, parseAsOf } from '../../electron/core/app/clock';
import { importCostFiles } from '../../electron/core/ingest/import';
import { silentLogger } from '../../electron/core/log/logger';
import { watchExternalChanges, type LatestAuditEvent } from '../../electron/core/workspace/external-changes';
import { openWorkspace, type Workspace } from '../../electron/core/workspace/workspace';
import { writeFocusCsv } from '../support/ingest-fixtures';
import { disposeWorkspace, emptyWorkspace, INGEST_AS_OF, request } from '../support/ingest-store';
import { tempDir } from '../support/workspace';

const opened: Workspace[] = [];
afterEach(() => {
  for (const workspace of opened.splice(0).reverse()) workspace.close();
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('changes made by another process', () => {
  it('reports an import committed through another connection, not the app’s own', async () => {
    const { workspace: app, dir, deps } = emptyWorkspace();
    const seen: LatestAuditEvent[] = [];
    const stop = watchExternalChanges(app, (latest) => seen.push(latest), 20);
    try {
      const files = tempDir('valdrix-external-');
      // The app's own import: its connection's commits do not move data_version.
      await importCostFiles(deps, request(writeFocusCsv(files, 'own.csv', [{ billed: '1', resource: 'a' }]).file));
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(seen).toEqual([]);

      // The same workspace opened by another process (here: another connection), as the CLI does.
      const cli = openWorkspace(dir, { clock: fixedClock(parseAsOf(INGEST_AS_OF)), logger: silentLogger() });
      opened.push(cli);
      await importCostFiles(
        { store: cli.store, audit: cli.audit, now: () => cli.clock.now(), logger: silentLogger() },
        request(writeFocusCsv(files, 'cli.csv', [{ billed: '2', resource: 'b', day: '2024-04-01' }]).file),
      );
      await until(() => seen.length > 0);
      expect(seen.at(-1)!.action).toBe('costs.imported');
      const reported = seen.length;
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(seen).toHaveLength(reported);
    } finally {
      stop();
      disposeWorkspace(app);
    }
  });
});
