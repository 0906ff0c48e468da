/**
 * Bad files as careless users and hostile ones make them: nothing is stored wrong or silently zero,
 * memory stays bounded, and every error says what and where, with the file's content quoted only in
 * short, escaped excerpts.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterEach, describe, expect, it } from 'vitest';
import { importLimits, updateImportLimits } from '../../electron/core/ingest/history';
import { importCostFiles } from '../../electron/core/ingest/import';
import type { Workspace } from '../../electron/core/workspace/workspace';
import type { AppError } from '../../shared/api/errors';
import { decimalSum } from '../support/decimal';
import { FOCUS_COLUMNS, focusCsv, writeFocusCsv, type FocusRow } from '../support/ingest-fixtures';
import { allCosts, count, disposeWorkspace, emptyWorkspace, request, visibleState } from '../support/ingest-store';
import { tempDir } from '../support/workspace';
import { soleTotal } from '../support/costs';

const open: Workspace[] = [];
afterEach(() => {
  for (const workspace of open.splice(0)) disposeWorkspace(workspace);
});

function setup() {
  const ws = emptyWorkspace();
  open.push(ws.workspace);
  return { ...ws, sqlite: ws.workspace.store.sqlite, files: tempDir('valdrix-bad-') };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!error) throw new Error('the import succeeded; it should have failed');
  return error as AppError;
}

/** The latest import_failed event's details as stored. */
function lastFailureEvent(workspace: Workspace): string {
  const [event] = workspace.audit.list({ action: 'costs.import_failed', limit: 1 });
  return JSON.stringify(event?.details ?? null);
}

const good: FocusRow[] = [
  { billed: '1.5', resource: 'r-1' },
  { billed: '2.25', resource: 'r-2' },
];

describe('amounts are never silently zero', () => {
  for (const spelling of ['NaN', 'nan', 'Infinity', '-Infinity', 'inf', '']) {
    it(`BilledCost "${spelling}" fails naming file, line and column; skipped and reported with --skip-bad-rows`, async () => {
      const { deps, files, sqlite, workspace } = setup();
      const rows: FocusRow[] = [...good, { billed: '9', resource: 'r-3', raw: { BilledCost: spelling } }];
      const { file, lines } = writeFocusCsv(files, 'nan.csv', rows);
      const before = visibleState(sqlite);
      const error = await failure(importCostFiles(deps, request(file)));
      expect(error).toMatchObject({
        code: 'IMPORT_FORMAT',
        details: { file, line: lines[2], column: 'BilledCost' },
      });
      expect(error.message).toContain(`${file}:${lines[2]} (column "BilledCost")`);
      expect(visibleState(sqlite)).toEqual(before);
      expect(lastFailureEvent(workspace)).toContain('BilledCost');

      const skipped = await importCostFiles(deps, request(file, { skipBadRows: true }));
      expect(skipped.skipped).toEqual([
        { file, line: lines[2], column: 'BilledCost', message: expect.stringContaining('BilledCost') as string },
      ]);
      expect(soleTotal(skipped).billed).toBe(decimalSum(good.map((row) => row.billed)));
      expect(soleTotal(allCosts(sqlite)).billed).toBe('3.75');
    });
  }

  it('an empty or NaN EffectiveCost is an error too, and "NaN" is no longer a null spelling', async () => {
    const { deps, files } = setup();
    for (const spelling of ['', 'NaN']) {
      const { file, lines } = writeFocusCsv(files, `effective-${spelling || 'empty'}.csv`, [
        ...good,
        { billed: '3', resource: 'r-9', raw: { EffectiveCost: spelling } },
      ]);
      const error = await failure(importCostFiles(deps, request(file)));
      expect(error).toMatchObject({ code: 'IMPORT_FORMAT', details: { line: lines[2], column: 'EffectiveCost' } });
    }
  });

  it('a NaN or infinite double in a Parquet amount column is an error, not zero', async () => {
    const { deps, files } = setup();
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const file = path.join(files, `nan-${String(value)}.parquet`);
      const columns: Record<string, (string | number)[]> = {
        BilledCost: [1.5, value],
        EffectiveCost: [1.5, 2],
        BillingCurrency: ['USD', 'USD'],
        ChargePeriodStart: ['2024-03-05T00:00:00Z', '2024-03-05T00:00:00Z'],
        ChargePeriodEnd: ['2024-03-06T00:00:00Z', '2024-03-06T00:00:00Z'],
        BillingPeriodStart: ['2024-03-01T00:00:00Z', '2024-03-01T00:00:00Z'],
        ChargeCategory: ['Usage', 'Usage'],
        BillingAccountId: ['acct', 'acct'],
        ServiceName: ['Compute', 'Compute'],
        ResourceId: ['i-1', 'i-2'],
      };
      parquetWriteFile({
        filename: file,
        columnData: Object.entries(columns).map(([name, data]) => ({
          name,
          data,
          type: typeof data[0] === 'number' ? ('DOUBLE' as const) : ('STRING' as const),
        })),
      });
      const error = await failure(importCostFiles(deps, request(file)));
      expect(error).toMatchObject({ code: 'IMPORT_FORMAT', details: { file, line: 2, column: 'BilledCost' } });
    }
  });
});

describe('columns', () => {
  it('two columns holding the same field are an error naming both', async () => {
    const { deps, files, sqlite } = setup();
    for (const second of ['BilledCost', 'billed_cost', 'BILLEDCOST']) {
      const header = [...FOCUS_COLUMNS, second].join(',');
      const { text } = focusCsv(good);
      const body = text
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((line) => `${line},999`);
      const file = path.join(files, `dup-${second}.csv`);
      fs.writeFileSync(file, `${header}\n${body.join('\n')}\n`);
      const error = await failure(importCostFiles(deps, request(file)));
      const first = FOCUS_COLUMNS.indexOf('BilledCost') + 1;
      expect(error.code).toBe('IMPORT_FORMAT');
      expect(error.message).toContain(`"BilledCost" (column ${first})`);
      expect(error.message).toContain(`"${second}" (column ${FOCUS_COLUMNS.length + 1})`);
      expect(count(sqlite, 'SELECT COUNT(*) FROM cost_snapshot')).toBe(0);
    }
  });

  it('a repeated column nobody reads does not stop the import', async () => {
    const { deps, files } = setup();
    const header = [...FOCUS_COLUMNS, 'x_Note', 'x_note'].join(',');
    const body = focusCsv(good)
      .text.split('\n')
      .slice(1)
      .filter(Boolean)
      .map((line) => `${line},a,b`);
    const file = path.join(files, 'extra.csv');
    fs.writeFileSync(file, `${header}\n${body.join('\n')}\n`);
    expect(soleTotal(await importCostFiles(deps, request(file))).billed).toBe('3.75');
  });
});

describe('sizes are bounded', () => {
  const small = { maxRecordBytes: 64 * 1024, maxFieldBytes: 16 * 1024 };

  it('a line with no line break fails at the record limit, naming the line, with a short message', async () => {
    const { deps, files, sqlite, workspace } = setup();
    const file = path.join(files, 'one-line.csv');
    const { text } = focusCsv(good);
    // A file that is not line-based: 20 MB after the good rows with no newline at all.
    fs.writeFileSync(file, text);
    fs.appendFileSync(file, 'x'.repeat(20 * 1024 * 1024));
    const before = visibleState(sqlite);
    const error = await failure(importCostFiles(deps, request(file, { limits: small })));
    expect(error).toMatchObject({ code: 'IMPORT_FORMAT', details: { file, line: 4 } });
    expect(error.message).toMatch(/record starting at line 4 is longer than 64 KiB/);
    expect(error.message.length).toBeLessThan(600);
    expect(lastFailureEvent(workspace).length).toBeLessThan(2000);
    expect(visibleState(sqlite)).toEqual(before);
  });

  it('an unterminated quote fails at the record limit instead of reading the rest of the file as one field', async () => {
    const { deps, files } = setup();
    const rows: FocusRow[] = [...good, { billed: '1', resource: 'r-3', raw: { ChargeDescription: 'open' } }];
    const { text, lines } = focusCsv(rows);
    const broken = text.replace(',open,', ',"open,');
    const file = path.join(files, 'quote.csv');
    // Far more after the open quote than the limit and the pieces in flight: the reader must stop early.
    const rest = focusCsv(Array.from({ length: 40_000 }, (_, i) => ({ billed: '1', resource: `q-${i}` }))).text;
    fs.writeFileSync(file, broken + rest);
    const error = await failure(importCostFiles(deps, request(file, { limits: small })));
    expect(error).toMatchObject({ code: 'IMPORT_FORMAT', details: { line: lines[2] } });
    expect(error.message).toMatch(/longer than 64 KiB.*quote is never closed/);
  });

  it('a field over the field limit makes its row a bad row, skippable', async () => {
    const { deps, files } = setup();
    const rows: FocusRow[] = [...good, { billed: '5', resource: 'r-3', description: 'd'.repeat(20_000) }];
    const { file, lines } = writeFocusCsv(files, 'field.csv', rows);
    const error = await failure(importCostFiles(deps, request(file, { limits: small })));
    expect(error).toMatchObject({ code: 'IMPORT_FORMAT', details: { line: lines[2] } });
    expect(error.message).toMatch(/"ChargeDescription" is 20,000 characters long, more than 16 KiB/);
    const skipped = await importCostFiles(deps, request(file, { limits: small, skipBadRows: true }));
    expect(skipped.skippedCount).toBe(1);
    expect(soleTotal(skipped).billed).toBe('3.75');
  });

  it('a JSON Lines file with an endless line fails at the limit', async () => {
    const { deps, files } = setup();
    const file = path.join(files, 'endless.jsonl');
    const record = JSON.stringify({
      BilledCost: '1',
      ChargePeriodStart: '2024-03-05T00:00:00Z',
      BillingPeriodStart: '2024-03-01T00:00:00Z',
      ChargeCategory: 'Usage',
      BillingCurrency: 'USD',
    });
    fs.writeFileSync(file, `${record}\n${record.slice(0, -1)},"x":"${'y'.repeat(5 * 1024 * 1024)}`);
    const error = await failure(importCostFiles(deps, request(file, { limits: small })));
    expect(error).toMatchObject({ code: 'IMPORT_FORMAT', details: { file, line: 2 } });
    expect(error.message).toMatch(/line 2 is longer than 64 KiB/);
  });

  it('the limits are workspace settings: validated, audited, and used by imports', async () => {
    const { deps, files, workspace } = setup();
    expect(importLimits(workspace.store)).toEqual({ maxRecordBytes: 8 * 1024 * 1024, maxFieldBytes: 1024 * 1024 });
    expect(() =>
      updateImportLimits(workspace.store, workspace.audit, { maxFieldBytes: 10 }, new Date().toISOString()),
    ).toThrow(/the longest cell \(import.maxFieldBytes\) must be from 1 KiB to 256 MiB, not 10 characters/);
    expect(() =>
      updateImportLimits(
        workspace.store,
        workspace.audit,
        { maxFieldBytes: 32 * 1024 * 1024 },
        new Date().toISOString(),
      ),
    ).toThrow(/the longest cell \(32 MiB\) cannot be larger than the longest row \(8 MiB\)/);
    updateImportLimits(workspace.store, workspace.audit, { maxFieldBytes: 4096 }, new Date().toISOString());
    const [event] = workspace.audit.list({ action: 'setting.changed', limit: 1 });
    expect(event).toMatchObject({ entityId: 'import.maxFieldBytes', before: 1024 * 1024, after: 4096 });
    const { file } = writeFocusCsv(files, 'wide.csv', [{ billed: '1', description: 'z'.repeat(5000) }]);
    expect((await failure(importCostFiles(deps, request(file)))).message).toMatch(/more than 4 KiB/);
  });

  it('excerpts of file content in messages are short and escaped', async () => {
    const { deps, files, workspace } = setup();
    const hostile = `\u001b]0;pwned\u0007\u001b[2J${'9'.repeat(100_000)}`;
    const { file } = writeFocusCsv(files, 'hostile.csv', [{ billed: '1', raw: { BilledCost: hostile } }]);
    const error = await failure(importCostFiles(deps, request(file)));
    // eslint-disable-next-line no-control-regex
    expect(error.message).not.toMatch(/[\u0000-\u001f]/);
    expect(error.message).toContain('\\x1b]0;pwned\\x07');
    expect(error.message.length).toBeLessThan(600);
    expect(lastFailureEvent(workspace).length).toBeLessThan(2000);
  });
});

describe('files that are not what they seem', () => {
  it('a truncated .gz names the file and says it is cut short', async () => {
    const { deps, files } = setup();
    const text = focusCsv(Array.from({ length: 20_000 }, (_, i) => ({ billed: '1', resource: `r-${i}` }))).text;
    for (const name of ['cut.csv.gz', 'cut.jsonl.gz']) {
      const content = name.endsWith('.jsonl.gz')
        ? text
            .split('\n')
            .slice(1)
            .filter(Boolean)
            .map((line) => JSON.stringify(Object.fromEntries(FOCUS_COLUMNS.map((c, i) => [c, line.split(',')[i]]))))
            .join('\n')
        : text;
      const gz = zlib.gzipSync(content);
      const file = path.join(files, name);
      fs.writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.6)));
      const error = await failure(importCostFiles(deps, request(file)));
      expect(error.code, name).toBe('IMPORT_FORMAT');
      expect(error.message).toContain(file);
      expect(error.message).toMatch(/cut short/);
    }
  });

  it('UTF-16 with a byte-order mark is read (Excel "Unicode text", tab-delimited, both byte orders)', async () => {
    const { deps, files, sqlite } = setup();
    const rows: FocusRow[] = [
      { billed: '1.5', resource: 'r-1', service: 'Überweisung ✓' },
      { billed: '2.25', resource: 'r-2', service: '計算' },
    ];
    const tabbed = focusCsv(rows).text.replace(/,/g, '\t');
    const le = path.join(files, 'unicode-le.txt');
    fs.writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tabbed, 'utf16le')]));
    const result = await importCostFiles(deps, request(le, { source: 'le' }));
    expect(soleTotal(result).billed).toBe('3.75');
    expect(
      allCosts(sqlite, ['service'])
        .rows.map((row) => row.service)
        .sort(),
    ).toEqual(['Überweisung ✓', '計算']);

    const be = path.join(files, 'unicode-be.csv');
    const swapped = Buffer.from(focusCsv(rows).text, 'utf16le');
    swapped.swap16();
    fs.writeFileSync(be, Buffer.concat([Buffer.from([0xfe, 0xff]), swapped]));
    expect(soleTotal(await importCostFiles(deps, request(be, { source: 'be' }))).billed).toBe('3.75');
  });

  it('UTF-16 without a byte-order mark is refused with what to do', async () => {
    const { deps, files } = setup();
    const file = path.join(files, 'no-bom.csv');
    fs.writeFileSync(file, Buffer.from(focusCsv(good).text, 'utf16le'));
    const error = await failure(importCostFiles(deps, request(file)));
    expect(error.code).toBe('IMPORT_FORMAT');
    expect(error.message).toMatch(/UTF-16 .*save it as UTF-8/);
    expect(error.message).not.toMatch(/expected \d+ fields/);
  });

  it('a symbolic link loop is named as one, not as a missing file', async () => {
    const { deps, files } = setup();
    const loop = path.join(files, 'loop.csv');
    fs.symlinkSync(loop, loop);
    const error = await failure(importCostFiles(deps, request(loop)));
    expect(error).toMatchObject({ code: 'NOT_FOUND', details: { file: loop } });
    expect(error.message).toMatch(/loop of symbolic links/);
  });

  it('symbolic links inside an imported folder are followed, each folder once; a broken one is named', async () => {
    const { deps, files } = setup();
    const folder = path.join(files, 'exports');
    const elsewhere = path.join(files, 'elsewhere');
    fs.mkdirSync(folder);
    fs.mkdirSync(elsewhere);
    writeFocusCsv(folder, 'a.csv', [{ billed: '1', resource: 'a' }]);
    const { file: target } = writeFocusCsv(elsewhere, 'b.csv', [{ billed: '2', resource: 'b' }]);
    fs.symlinkSync(target, path.join(folder, 'b.csv'));
    writeFocusCsv(path.join(elsewhere), 'c.csv', [{ billed: '4', resource: 'c' }]);
    fs.mkdirSync(path.join(folder, 'sub'));
    writeFocusCsv(path.join(folder, 'sub'), 'd.csv', [{ billed: '8', resource: 'd' }]);
    // A link back up would loop forever if followed blindly.
    fs.symlinkSync(folder, path.join(folder, 'sub', 'up'));
    const result = await importCostFiles(deps, request(folder));
    expect(result.files.map((f) => path.basename(f.path)).sort()).toEqual(['a.csv', 'b.csv', 'd.csv']);
    expect(soleTotal(result).billed).toBe('11');

    fs.symlinkSync(path.join(files, 'gone.csv'), path.join(folder, 'gone.csv'));
    const error = await failure(importCostFiles(deps, request(folder)));
    expect(error).toMatchObject({ code: 'NOT_FOUND', details: { file: path.join(folder, 'gone.csv') } });
    expect(error.message).toMatch(/symbolic link that cannot be followed: no such file/);
  });
});
