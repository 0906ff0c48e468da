import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../electron/cli/exit-codes';
import { importSettings, updateImportSettings } from '../../electron/core/ingest/history';
import { importCostFiles } from '../../electron/core/ingest/import';
import { ImportJobPayloadSchema } from '../../electron/core/ingest';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { createHandlers } from '../../electron/host/handlers';
import { HandlerRegistry, registerHandlers } from '../../electron/host/registry';
import { ImportStartInputSchema } from '../../shared/api/costs';
import { expectAudited } from '../support/audit';
import { runCli } from '../support/cli';
import { writeFocusCsv } from '../support/ingest-fixtures';
import { disposeWorkspace, emptyWorkspace, request } from '../support/ingest-store';
import { testServices } from '../support/services';
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
    const deps = { store: workspace.store, audit: workspace.audit, now: () => workspace.clock.now() };
    const settings = importSettings(workspace.store);
    const base = writeFocusCsv(files, 'v1.csv', [{ billed: '100', resource: 'a' }]).file;
    const moved = writeFocusCsv(files, 'v2.csv', [{ billed: '140', resource: 'a' }]).file;
    await importCostFiles(deps, request(base, settings));
    // +40 % is under the 50 % setting: no alert.
    expect((await importCostFiles(deps, request(moved, settings))).alerts).toEqual([]);
  });
});

describe('one rule for alert thresholds and amounts', () => {
  // Each was taken by imports.start (and the CLI flags) and refused by the settings, or the other way round.
  const BAD = [
    '-1',
    '+1',
    '1e3',
    '1E-3',
    '.5',
    '5.',
    ' 5',
    '5 ',
    '1,5',
    '0x10',
    '',
    'NaN',
    '0.0000000001',
    '1234567890123456',
  ];
  const GOOD = ['0', '2', '0.5', '250', '0.000000001', '123456789012345.123456789'];

  it('imports.start, the import job, settings.updateImportAlerts and the stored settings refuse and accept the same values', async () => {
    const { workspace } = emptyWorkspace();
    open = workspace;
    const services = testServices(workspace);
    const registry = registerHandlers(new HandlerRegistry(), createHandlers(services));
    const file = path.join(tempDir('valdrix-thresholds-'), 'costs.csv');
    const before = importSettings(workspace.store);
    const job = { paths: [file], format: 'auto', skipBadRows: false, alertThresholdPct: '2', alertMinAmount: '0' };
    for (const value of BAD) {
      for (const field of ['alertThresholdPct', 'alertMinAmount'] as const) {
        const at = `${field} = ${JSON.stringify(value)}`;
        expect(await registry.invoke('imports.start', { paths: [file], [field]: value }), at).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION' },
        });
        expect(ImportJobPayloadSchema.safeParse({ ...job, [field]: value }).success, at).toBe(false);
        expect(await registry.invoke('settings.updateImportAlerts', { [field]: value }), at).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION' },
        });
        await expect(services.settings.updateImportAlerts({ [field]: value }), at).rejects.toThrow();
        expect(() => updateImportSettings(workspace.store, workspace.audit, { [field]: value }, 'now'), at).toThrow();
      }
    }
    expect(importSettings(workspace.store)).toEqual(before);
    for (const value of GOOD) {
      for (const field of ['alertThresholdPct', 'alertMinAmount'] as const) {
        const at = `${field} = ${JSON.stringify(value)}`;
        expect(ImportStartInputSchema.safeParse({ paths: [file], [field]: value }).success, at).toBe(true);
        expect(ImportJobPayloadSchema.safeParse({ ...job, [field]: value }).success, at).toBe(true);
        expect(await services.settings.updateImportAlerts({ [field]: value }), at).toMatchObject({ [field]: value });
      }
    }
  });

  it('the replacement guard is a percent from 0 to 100 on every path', async () => {
    const { workspace } = emptyWorkspace();
    open = workspace;
    const services = testServices(workspace);
    for (const value of ['100.000000001', '101', '1000', '-0', '1e2']) {
      await expect(services.settings.updateImportAlerts({ replaceGuardPct: value }), value).rejects.toThrow();
      expect(() => updateImportSettings(workspace.store, workspace.audit, { replaceGuardPct: value }, 'now')).toThrow();
    }
    for (const value of ['0', '100', '100.000000000', '050', '12.5']) {
      expect(await services.settings.updateImportAlerts({ replaceGuardPct: value }), value).toMatchObject({
        replaceGuardPct: value,
      });
    }
  });

  it('the CLI flags and `settings set` refuse them too, as a usage error', () => {
    const { workspace, dir } = emptyWorkspace();
    open = workspace;
    const file = path.join(tempDir('valdrix-thresholds-'), 'costs.csv');
    for (const value of ['0.0000000001', '1234567890123456', '1e3']) {
      for (const flag of ['--alert-threshold-pct', '--alert-min-amount']) {
        const run = runCli(['--workspace', dir, 'import', file, flag, value]);
        expect(run.status, `${flag} ${value}`).toBe(EXIT.usage);
        expect(run.stderr).toMatch(/expected a non-negative number/);
      }
      const set = runCli(['--workspace', dir, 'settings', 'set', 'import.alertMinAmount', value]);
      expect(set.status, `settings set ${value}`).toBe(EXIT.usage);
    }
    expect(importSettings(workspace.store).alertMinAmount).toBe('1.00');
  }, 120_000);
});
