import { afterEach, describe, expect, it } from 'vitest';
import { importSettings, updateImportSettings } from '../../electron/core/ingest/history';
import { importCostFiles } from '../../electron/core/ingest/import';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { expectAudited } from '../support/audit';
import { runCli } from '../support/cli';
import { writeFocusCsv } from '../support/ingest-fixtures';
import { disposeWorkspace, emptyWorkspace, request } from '../support/ingest-store';
import { tempDir } from '../support/workspace';

let open: Workspace | null = null;
afterEach(() => {
  if (open) disposeWorkspace(open);
  open = null;
});

describe('import alert settings', () => {
  it('default to 2 %, 1.00 and a 10 % replacement guard, change with an audit event, and refuse what is not a non-negative number', async () => {
    const { workspace } = emptyWorkspace();
    open = workspace;
    expect(importSettings(workspace.store)).toEqual({
      alertThresholdPct: '2',
      alertMinAmount: '1.00',
      replaceGuardPct: '10',
    });
    await expectAudited(
      workspace.audit,
      [
        {
          action: 'setting.changed',
          entityType: 'setting',
          entityId: 'import.alertThresholdPct',
          before: '2',
          after: '10',
        },
      ],
      () => {
        const updated = updateImportSettings(
          workspace.store,
          workspace.audit,
          { alertThresholdPct: '10' },
          new Date().toISOString(),
        );
        expect(updated).toEqual({ alertThresholdPct: '10', alertMinAmount: '1.00', replaceGuardPct: '10' });
      },
    );
    const events = workspace.audit.count();
    expect(() =>
      updateImportSettings(workspace.store, workspace.audit, { alertMinAmount: '-1' }, new Date().toISOString()),
    ).toThrow(/alertMinAmount must be a non-negative number/);
    // Setting the same value again is no change and no event.
    updateImportSettings(workspace.store, workspace.audit, { alertThresholdPct: '10' }, new Date().toISOString());
    expect(workspace.audit.count()).toBe(events);
    expect(importSettings(workspace.store).alertMinAmount).toBe('1.00');
  });

  it('the CLI sets them and imports use them when no flag overrides', async () => {
    const { workspace, dir } = emptyWorkspace();
    open = workspace;
    const set = runCli(['--workspace', dir, 'settings', 'set', 'import.alertThresholdPct', '50', '--json']);
    expect(set.status).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({
      importAlerts: { alertThresholdPct: '50', alertMinAmount: '1.00', replaceGuardPct: '10' },
    });
    const bad = runCli(['--workspace', dir, 'settings', 'set', 'import.nope', '1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown setting "import.nope"/);

    const files = tempDir('valdrix-settings-');
    const deps = { store: workspace.store, audit: workspace.audit };
    const settings = importSettings(workspace.store);
    const base = writeFocusCsv(files, 'v1.csv', [{ billed: '100', resource: 'a' }]).file;
    const moved = writeFocusCsv(files, 'v2.csv', [{ billed: '140', resource: 'a' }]).file;
    await importCostFiles(deps, request(base, settings));
    // +40 % is under the 50 % setting: no alert.
    expect((await importCostFiles(deps, request(moved, settings))).alerts).toEqual([]);
  });
});
