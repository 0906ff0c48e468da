import path from 'node:path';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HandlerRegistry, registerHandlers } from '../../electron/host/registry';
import { AppError } from '../../shared/api/errors';
import { channels, type Channel } from '../../shared/api/contract';
import { DEMO_AS_OF, demoWorkspace, tempDir } from '../support/workspace';
import { createHandlers } from '../../electron/host/handlers';
import { createServices } from '../../electron/core/services';
import { EventBus } from '../../electron/core/app/event-bus';
import { fixedClock, parseAsOf } from '../../electron/core/app/clock';
import { silentLogger } from '../../electron/core/log/logger';
import { createJobSystem } from '../../electron/core/jobs/system';
import { stubHandlers } from '../support/handlers';
import { keychainSecretStore } from '../../electron/core/secrets/secret-store';
import { importCostFiles } from '../../electron/core/ingest/import';
import { DEFAULT_ACCOUNT, writeFocusCsv, type FocusRow } from '../support/ingest-fixtures';
import { request } from '../support/ingest-store';

describe('handler registry', () => {
  it('every contract channel has a handler, and the real handlers answer within the contract', async () => {
    const { workspace } = demoWorkspace();
    try {
      const services = createServices({
        workspace,
        clock: fixedClock(parseAsOf(DEMO_AS_OF)),
        logger: silentLogger(),
        events: new EventBus(),
        jobs: createJobSystem({ workspace, logger: silentLogger() }),
        secrets: keychainSecretStore(),
        mode: 'browser',
      });
      const registry = registerHandlers(new HandlerRegistry(), createHandlers(services));
      const started = await registry.invoke('jobs.start', { type: 'demo.long', payload: { steps: 1, stepMs: 0 } });
      expect(started.ok).toBe(true);
      const id = (started as { value: { id: string } }).value.id;
      const focusFile = path.join(tempDir('valdrix-registry-'), 'focus.csv');
      fs.writeFileSync(
        focusFile,
        'BilledCost,ChargePeriodStart,BillingPeriodStart,ChargeCategory,BillingCurrency,ServiceName\n1.5,2026-11-01,2026-11-01,Usage,USD,Compute\n',
      );
      // Two held imports (a full export, then a third of it, under two sources) to accept and discard.
      const held: string[] = [];
      for (const source of ['held-a', 'held-b']) {
        const rows: FocusRow[] = [0, 1, 2].map((i) => ({
          billed: `${i + 1}`,
          resource: `${source}-${i}`,
          day: '2026-10-0' + (i + 1),
        }));
        const deps = { store: workspace.store, audit: workspace.audit, now: () => workspace.clock.now() };
        const dir = tempDir('valdrix-registry-held-');
        // Each source's own export (its own resources): the same bytes under two sources would be refused.
        await importCostFiles(deps, request(writeFocusCsv(dir, 'full.csv', rows).file, { source }));
        const partial = await importCostFiles(
          deps,
          request(writeFocusCsv(dir, 'part.csv', rows.slice(0, 1)).file, { source }),
        );
        held.push(partial.runId);
      }
      // A valid input for every channel, in an order that makes each call legal (cancel before retry).
      const calls: [Channel, unknown][] = [
        ['app.info', {}],
        ['overview.get', { groupBy: 'service' }],
        ['jobs.list', {}],
        ['jobs.get', { id }],
        ['jobs.cancel', { id }],
        ['jobs.retry', { id }],
        ['jobs.start', { type: 'demo.long' }],
        ['jobs.types', {}],
        ['diagnostics.metrics', {}],
        ['alerts.list', {}],
        ['audit.list', { action: 'job.' }],
        ['audit.status', {}],
        ['audit.facets', {}],
        ['audit.export', { format: 'csv' }],
        ['audit.keychain', {}],
        ['settings.get', {}],
        // Browser mode reads a typed path once the user confirmed it.
        ['imports.grantPath', { path: focusFile }],
        ['imports.detect', { paths: [focusFile] }],
        ['imports.start', { paths: [focusFile] }],
        ['imports.list', {}],
        ['imports.held', {}],
        ['imports.accept', { runId: held[0] }],
        ['imports.discard', { runId: held[1] }],
        ['costs.query', { by: ['service', 'month'] }],
        ['costs.lines', { filters: { service: ['Compute'] } }],
        ['costs.exportCsv', { by: ['provider'] }],
        ['restatements.list', {}],
        ['restatements.page', { limit: 10 }],
        ['settings.updateImportAlerts', { alertThresholdPct: '5' }],
        ['settings.updateImportLimits', { maxFieldBytes: 65536 }],
        ['sources.list', {}],
        // Both held-a and held-b hold the account's October: held-a published it first.
        ['sources.setRecord', { billingAccountId: DEFAULT_ACCOUNT, billingPeriod: '2026-10', source: 'held-b' }],
      ];
      expect(calls.map(([c]) => c).sort()).toEqual([...channels].sort());
      for (const [channel, input] of calls) {
        const result = await registry.invoke(channel, input);
        expect(result, channel).toMatchObject({ ok: true });
      }
    } finally {
      workspace.close();
    }
  });

  it('rejects a second handler for the same channel', () => {
    const registry = new HandlerRegistry();
    registry.register('app.info', () => {
      throw new Error('unused');
    });
    expect(() => registry.registerAll({ 'app.info': () => ({}) as never })).toThrow(/registered twice/);
  });

  it('refuses to be used incomplete', () => {
    const registry = new HandlerRegistry();
    registry.register('app.info', () => ({}) as never);
    expect(() => registry.assertComplete()).toThrow(/no handler for: .*overview\.get/);
  });

  it('wraps thrown errors as data with their code; unknown errors become INTERNAL', async () => {
    const handlers = stubHandlers({
      'app.info': () => {
        throw new AppError('NOT_FOUND', 'nothing here', { id: 7 });
      },
      'overview.get': () => {
        throw new TypeError('boom');
      },
    });
    const registry = registerHandlers(new HandlerRegistry(), handlers);
    expect(await registry.invoke('app.info', {})).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'nothing here', details: { id: 7 } },
    });
    expect(await registry.invoke('overview.get', {})).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'boom' },
    });
  });

  it('refuses output that breaks the contract', async () => {
    const registry = registerHandlers(
      new HandlerRegistry(),
      stubHandlers({ 'app.info': () => ({ name: 'NotValdrix' }) as never }),
    );
    const result = await registry.invoke('app.info', {});
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: 'app.info: the result did not match the contract' },
    });
  });

  it('rejects hostile input before the handler runs', async () => {
    let called = false;
    const registry = registerHandlers(
      new HandlerRegistry(),
      stubHandlers({
        'app.info': () => {
          called = true;
          return {} as never;
        },
      }),
    );
    for (const input of [{ extra: 1 }, 'string', 42, [1, 2]]) {
      const result = await registry.invoke('app.info', input);
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(called).toBe(false);
    expect(await registry.invoke('__proto__', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await registry.invoke('constructor', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
