/**
 * Cost questions through the contract, as the renderer and the bridge ask them: input the core cannot
 * answer is refused by the schema, naming what is wrong, at every grain; it never reaches SQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, parseAsOf } from '../../electron/core/app/clock';
import { parseDimension } from '../../electron/core/costs/query';
import { importCostFiles } from '../../electron/core/ingest/import';
import type { Workspace } from '../../electron/core/workspace/workspace';
import { createHandlers } from '../../electron/host/handlers';
import { HandlerRegistry, registerHandlers } from '../../electron/host/registry';
import { COST_DIMENSIONS, CostDimensionSchema } from '../../shared/api/costs';
import { writeFocusCsv } from '../support/ingest-fixtures';
import { disposeWorkspace, emptyWorkspace, INGEST_AS_OF, request } from '../support/ingest-store';
import { testServices } from '../support/services';
import { tempDir } from '../support/workspace';

let open: Workspace | null = null;
afterEach(() => {
  if (open) disposeWorkspace(open);
  open = null;
});

async function registryWithCosts() {
  const { workspace, deps } = emptyWorkspace();
  open = workspace;
  const { file } = writeFocusCsv(tempDir('valdrix-contract-'), 'costs.csv', [
    { billed: '1.25', service: 'Compute', resource: 'i-1' },
    { billed: '2.5', service: 'Storage', resource: 'vol-1' },
  ]);
  await importCostFiles(deps, request(file));
  const services = testServices(workspace, { clock: fixedClock(parseAsOf(INGEST_AS_OF)) });
  return registerHandlers(new HandlerRegistry(), createHandlers(services));
}

describe('cost questions through the contract', () => {
  it('refuses an unknown filter key at every grain, naming it, instead of failing in SQL or answering nothing', async () => {
    const registry = await registryWithCosts();
    // Monthly cube, daily rollup and line grain each build their SQL differently.
    const questions = [
      { by: ['service'] },
      { by: ['service', 'day'], from: '2024-03-01', to: '2024-03-10' },
      { by: ['resource'] },
    ];
    for (const question of questions) {
      for (const key of ['tags', 'l.tags', 'service_name', 'tag:', 'Service']) {
        const result = await registry.invoke('costs.query', { ...question, filters: { [key]: ['x'] } });
        expect(result, `${key} at ${question.by.join(',')}`).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION' },
        });
        const message = (result as { error: { message: string } }).error.message;
        expect(message).toContain('filters');
        expect(message).not.toMatch(/no such column|SQLITE/i);
      }
      const known = await registry.invoke('costs.query', { ...question, filters: { service: ['Compute'] } });
      expect(known, question.by.join(',')).toMatchObject({ ok: true, value: { totals: [{ billed: '1.25' }] } });
    }
    for (const channel of ['costs.lines', 'costs.exportCsv'] as const) {
      const result = await registry.invoke(channel, { filters: { tags: ['x'] } });
      expect(result, channel).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
  });
});

describe('dimensions', () => {
  it('the CLI (--by, line filters) and the contract accept and refuse the same ones', () => {
    const samples = [
      ...COST_DIMENSIONS,
      'tag:team',
      `tag:${'k'.repeat(200)}`,
      `tag:${'k'.repeat(201)}`,
      'tag:',
      'tag:cost\ncenter',
      'Service',
      'tags',
      'l.tags',
    ];
    for (const text of samples) {
      const cli = (() => {
        try {
          return parseDimension(text);
        } catch {
          return null;
        }
      })();
      const contract = CostDimensionSchema.safeParse(text);
      expect(cli, JSON.stringify(text)).toBe(contract.success ? contract.data : null);
    }
  });
});
