import { exactFromColumns, formatExact } from '../../../shared/exact';
import type { Sqlite } from '../store';
import { finalityOn, finalityParams, finalSql } from './finality';
import { parseDimension, type CostDimension, type CostStatus } from './query';
import { visibleLines } from '../ledger';

export interface LinesQuery {
  from?: string;
  to?: string;
  filters?: Partial<Record<CostDimension, (string | null)[]>>;
  ids?: number[];
  status?: CostStatus;
  currency?: string;
  /** The business day, for finality. */
  asOf?: string;
  limit: number;
  offset: number;
}

const LINE_FILTER_COLUMNS: Record<string, string> = {
  provider: 'l.provider',
  billing_account: 'l.billing_account_id',
  sub_account: 'l.sub_account_id',
  service: 'l.service_name',
  service_category: 'l.service_category',
  region: 'l.region',
  resource: 'l.resource_id',
  charge_category: 'l.charge_category',
  day: 'l.charge_day',
  month: 'substr(l.charge_day, 1, 7)',
};

/**
 * Cost lines with their lineage: current lines for a filter (drill-down from a chart cell), or given
 * ids including superseded ones (drill-down from a restatement).
 */
export function queryLines(sqlite: Sqlite, query: LinesQuery) {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: query.limit + 1, offset: query.offset };
  if (query.ids?.length) {
    params.ids = JSON.stringify(query.ids);
    where.push('l.id IN (SELECT value FROM json_each(@ids))');
  }
  if (query.currency) {
    params.currency = query.currency;
    where.push('l.currency = @currency');
  }
  if (query.status && query.status !== 'all' && query.asOf) {
    Object.assign(params, finalityParams(finalityOn(query.asOf)));
    const isFinal = finalSql('l.charge_day', 'l.billing_period');
    where.push(query.status === 'final' ? isFinal : `NOT ${isFinal}`);
  }
  if (query.from) {
    params.from = query.from;
    where.push('l.charge_day >= @from');
  }
  if (query.to) {
    params.to = query.to;
    where.push('l.charge_day <= @to');
  }
  let index = 0;
  for (const [name, values] of Object.entries(query.filters ?? {})) {
    if (!values?.length) continue;
    const dimension: CostDimension = parseDimension(name);
    const column = dimension.startsWith('tag:')
      ? `json_extract(l.tags, '$.' || json_quote(@k${index}))`
      : LINE_FILTER_COLUMNS[dimension]!;
    if (dimension.startsWith('tag:')) params[`k${index}`] = dimension.slice(4);
    const parts = values.map((value, i) => {
      if (value === null || value === '') return `${column} IS NULL`;
      params[`v${index}_${i}`] = value;
      return `${column} = @v${index}_${i}`;
    });
    where.push(`(${parts.join(' OR ')})`);
    index++;
  }
  // Given ids, superseded lines too (marked by a null current run); otherwise current lines, read by
  // run period and day range (visibleLines) like every other reader.
  const reading = query.ids?.length
    ? {
        from: `cost_line l JOIN import_run run ON run.seq = l.run_seq
          LEFT JOIN cost_snapshot s ON s.source_id = run.source_id
          AND s.billing_account_id = l.billing_account_id AND s.billing_period = l.billing_period
          AND s.import_run_id = run.id`,
        runId: 'run.id',
        sourceId: 'run.source_id',
        currentRun: 's.import_run_id',
      }
    : {
        from: visibleLines('l', 'g'),
        runId: 'g.import_run_id',
        sourceId: 'g.source_id',
        currentRun: 'g.import_run_id',
      };
  const rows = sqlite
    .prepare(
      `SELECT l.*, ${reading.runId} AS run_id, src.name AS source_name, ${reading.currentRun} AS current_run
       FROM ${reading.from}
       JOIN cost_source src ON src.id = ${reading.sourceId}
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY l.charge_day, l.id LIMIT @limit OFFSET @offset`,
    )
    .all(params) as Record<string, unknown>[];
  const hasMore = rows.length > query.limit;
  return {
    hasMore,
    lines: rows.slice(0, query.limit).map((row) => ({
      id: Number(row.id),
      provider: row.provider as string,
      billingAccountId: row.billing_account_id as string,
      subAccountId: (row.sub_account_id as string | null) ?? null,
      serviceName: row.service_name as string,
      region: (row.region as string | null) ?? null,
      resourceId: (row.resource_id as string | null) ?? null,
      chargeCategory: row.charge_category as string,
      chargeDay: row.charge_day as string,
      billingPeriod: row.billing_period as string,
      currency: row.currency as string,
      billed: formatExact(exactFromColumns(row, 'billed')),
      effective: formatExact(exactFromColumns(row, 'effective')),
      // No list cost is a NULL nanos column; its other parts may then be NULL too.
      list: row.list_nanos === null ? null : formatExact(exactFromColumns(row, 'list')),
      tags: JSON.parse(row.tags as string) as Record<string, string>,
      lineage: {
        source: row.source_name as string,
        runId: row.run_id as string,
        file: (row.file_name as string | null) ?? null,
        line: row.line_number === null ? null : Number(row.line_number),
        ingestedAt: row.ingested_at as string,
        current: row.current_run !== null,
      },
    })),
  };
}

/** CSV of a cost answer: one column per dimension, then currency and exact amounts. */
export function costAnswerCsv(dimensions: readonly string[], rows: readonly Record<string, string | null>[]): string {
  const header = [...dimensions, 'currency', 'billed', 'effective'];
  const escape = (value: string | null) => {
    if (value === null) return '';
    // Leading =, +, -, @ would run as formulas in a spreadsheet; amounts are plain numbers and stay as they are.
    const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [header.join(',')];
  for (const row of rows) lines.push(header.map((column) => escape(row[column] ?? null)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
