/**
 * Results the core returns and the contract describes have one definition: the zod schema in
 * shared/api, with the type from z.infer. The type assertions fail `tsc` when the two disagree.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CostAnswer as CoreCostAnswer } from '../../electron/core/costs/query';
import type { ImportResult as CoreImportResult } from '../../electron/core/ingest/import';
import {
  CostAnswerSchema,
  ImportResultSchema,
  StoredImportResultSchema,
  type CostAnswer,
  type ImportResult,
} from '../../shared/api/costs';

const result: ImportResult = {
  runId: '01J00000000000000000000000',
  source: 'default',
  files: [{ path: '/data/focus.csv', format: 'focus', variant: 'FOCUS 1.2', container: 'csv', rows: 1 }],
  rowsRead: 1,
  inserted: 1,
  updated: 0,
  unchanged: 0,
  removed: 0,
  restated: 0,
  snapshots: [{ billingAccountId: 'a', billingPeriod: '2026-10', status: 'new', lines: 1 }],
  skipped: [],
  skippedCount: 0,
  alerts: [],
  alertCount: 0,
  status: 'published',
  totals: [{ currency: 'USD', billed: '1.25', effective: '1.25' }],
};

describe('result shapes', () => {
  it('the import result the core builds is the contract schema, no looser and no stricter', () => {
    // Each way assignable, with the same keys: the interface in ingest/import.ts writes its nested
    // types as intersections, which only differ from the schema's flattened objects in spelling.
    expectTypeOf<CoreImportResult>().toExtend<ImportResult>();
    expectTypeOf<ImportResult>().toExtend<CoreImportResult>();
    expectTypeOf<keyof CoreImportResult>().toEqualTypeOf<keyof ImportResult>();
    expect(ImportResultSchema.parse(result)).toEqual(result);
    const { alertCount: _count, status: _status, ...older } = result;
    expect(ImportResultSchema.safeParse(older).success).toBe(false);
  });

  it('a result stored by a version before alertCount and status reads as published, counting its alerts', () => {
    const alert = {
      day: '2026-10-01',
      billingAccountId: 'a',
      serviceName: 'Compute',
      currency: 'USD',
      old: '1',
      new: '2',
      percent: '100',
    };
    const { alertCount: _count, status: _status, ...older } = { ...result, alerts: [alert, alert] };
    expect(StoredImportResultSchema.parse(older)).toMatchObject({ alertCount: 2, status: 'published' });
    expect(StoredImportResultSchema.parse({ ...result, status: 'held' })).toMatchObject({ status: 'held' });
  });

  it('a cost answer is the contract schema: rows carry exact sums and a currency besides their dimensions', () => {
    expectTypeOf<CoreCostAnswer>().toEqualTypeOf<CostAnswer>();
    const answer: CostAnswer = {
      rows: [{ service: 'Compute', region: null, billed: '1.25', effective: '1', currency: 'USD' }],
      totals: [{ currency: 'USD', billed: '1.25', effective: '1' }],
      grain: 'monthly',
      truncated: false,
      finality: { finalThrough: '2026-09-30', rule: 'r' },
    };
    expect(CostAnswerSchema.parse(answer)).toEqual(answer);
    for (const row of [
      { service: 'Compute', effective: '1', currency: 'USD' },
      { service: 'Compute', billed: null, effective: '1', currency: 'USD' },
      { service: 'Compute', billed: '1e3', effective: '1', currency: 'USD' },
    ]) {
      expect(CostAnswerSchema.safeParse({ ...answer, rows: [row] }).success, JSON.stringify(row)).toBe(false);
    }
  });
});
