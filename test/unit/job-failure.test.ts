import { describe, expect, it } from 'vitest';
import { importTitle } from '../../electron/core/ingest';
import { createJobRegistry } from '../../electron/core/job-catalog';
import type { Job } from '../../shared/api/jobs';
import { describeFailure } from '../../renderer/src/features/jobs/failure';
import { shownPath } from '../../renderer/src/features/import/format';

const job = (fields: Partial<Pick<Job, 'status' | 'error' | 'type'>>): Pick<Job, 'status' | 'error' | 'type'> => ({
  status: 'dead',
  type: 'costs.import',
  error: null,
  ...fields,
});

describe('a failed job said for people', () => {
  it('names line and column and the reason, the file by its name only, with what to do', () => {
    const failure = describeFailure(
      job({
        error: {
          code: 'IMPORT_FORMAT',
          message: '/home/a/.valdrix/uploads/01JX/focus.csv:5 (column "BilledCost"): amount is not a number: "NaN"',
          details: {
            file: '/home/a/.valdrix/uploads/01JX/focus.csv',
            line: 5,
            column: 'BilledCost',
            reason: 'amount is not a number: "NaN"',
          },
        },
      }),
    );
    expect(failure).toEqual({
      summary: 'Line 5, column BilledCost: amount is not a number: "NaN"',
      fileName: 'focus.csv',
      line: 5,
      column: 'BilledCost',
      advice: expect.stringMatching(/^Fix the row in the file .*Skip rows that cannot be read/),
    });
    expect(JSON.stringify(failure)).not.toMatch(/uploads|IMPORT_FORMAT/);
  });

  it('drops the path from errors stored before the reason travelled on its own', () => {
    const failure = describeFailure(
      job({
        error: {
          code: 'IMPORT_FORMAT',
          message: 'C:\\Users\\a\\uploads\\b\\cur.csv:12 (column "x"): cut short',
          details: { file: 'C:\\Users\\a\\uploads\\b\\cur.csv', line: 12, column: 'x' },
        },
      }),
    );
    expect(failure?.summary).toBe('Line 12, column x: cut short');
    expect(failure?.fileName).toBe('cur.csv');
  });

  it('is silent about a cancellation someone asked for, and about success', () => {
    const cancelled = { code: 'CANCELLED' as const, message: 'cancelled by a user' };
    expect(describeFailure(job({ status: 'cancelled', error: cancelled }))).toBeNull();
    expect(describeFailure(job({ status: 'succeeded', error: null }))).toBeNull();
  });

  it('says a transient failure may pass, and an unexpected one is worth a bug report', () => {
    const busy = describeFailure(
      job({ status: 'failed', error: { code: 'UNAVAILABLE', message: 'upstream is down' } }),
    );
    expect(busy).toMatchObject({ summary: 'Upstream is down', advice: expect.stringMatching(/try again in a moment/) });
    const named = describeFailure(job({ error: { code: 'CONFLICT', message: 'october.csv is already imported' } }));
    expect(named?.summary).toBe('october.csv is already imported');
    const odd = describeFailure(job({ error: { code: 'INTERNAL', message: 'boom' } }));
    expect(odd?.advice).toMatch(/copy the details/);
  });
});

describe('import job titles', () => {
  it('name the files, never the folders above them', () => {
    expect(importTitle(['/w/uploads/01JX/focus_sample.csv'])).toBe('Import focus_sample.csv');
    expect(importTitle(['/w/uploads/01JX/cur-export/'])).toBe('Import cur-export');
    expect(importTitle(['C:\\data\\a.csv', '/b.csv'])).toBe('Import a.csv and b.csv');
    expect(importTitle(['/a.csv', '/b.csv', '/c.csv'])).toBe('Import a.csv and 2 more');
  });
});

describe('a succeeded import that waits on someone', () => {
  it('is "Held" with what to do, not "Succeeded"', () => {
    const definition = createJobRegistry().get('costs.import')!;
    expect(definition.outcome?.({ status: 'held', runId: 'r' })).toEqual({
      label: 'Held',
      detail: expect.stringMatching(/accept or discard it on the Import screen/),
    });
    expect(definition.outcome?.({ status: 'published' })).toBeNull();
  });
});

describe('paths on the Import screen', () => {
  it('show what is inside the upload folder, and the user’s own paths whole', () => {
    expect(shownPath('/home/a/.valdrix/uploads/mxbdsm3owq7ua6dh/bad-rows.csv')).toBe('bad-rows.csv');
    expect(shownPath('C:\\Users\\a\\uploads\\01JXABCDEFGH\\cur\\data.csv')).toBe('cur/data.csv');
    expect(shownPath('/home/a/exports/focus.csv')).toBe('/home/a/exports/focus.csv');
  });
});
