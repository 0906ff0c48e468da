/**
 * Restatements for people: ranked by how much they moved the bill, a page at a time, with the money they
 * moved summed per currency. Amounts are stored as exact decimal text, which SQL cannot order or add, so
 * the scope's restated amounts are read once (id, currency and the two billed amounts only), ranked and
 * summed in bigint, and only the page's rows are read in full.
 */
import { formatExact, parseExact } from '../../../shared/exact';
import type { RestatementView } from '../ingest';
import type { Store } from '../store';

export interface RestatementPageQuery {
  runId?: string;
  offset: number;
  limit: number;
}

export type CostDirection = 'up' | 'down' | 'none';

export interface RankedRestatement extends RestatementView {
  /** New billed less old billed (a missing side counts as 0), exact. */
  impact: string;
  direction: CostDirection;
}

export interface RestatementCurrencySummary {
  currency: string;
  count: number;
  /** Sum of the impacts that raised cost (≥ 0). */
  increase: string;
  /** Sum of the impacts that lowered cost (≤ 0). */
  decrease: string;
  net: string;
  direction: CostDirection;
}

export interface RestatementPage {
  rows: RankedRestatement[];
  /** Restatements in scope (every page). */
  total: number;
  offset: number;
  /** One entry per currency, in code order: amounts of different currencies are never added. */
  summary: RestatementCurrencySummary[];
}

const SCOPE = `FROM cost_restatement c JOIN import_run r ON r.id = c.import_run_id
  WHERE r.status = 'succeeded' AND (@runId IS NULL OR c.import_run_id = @runId)`;

const direction = (amount: bigint): CostDirection => (amount > 0n ? 'up' : amount < 0n ? 'down' : 'none');
const amount = (text: string | null): bigint => (text === null ? 0n : parseExact(text));

/** One page of restatements, largest absolute billed impact first (then oldest id), with per-currency sums. */
export function restatementPage(store: Store, query: RestatementPageQuery): RestatementPage {
  const runId = query.runId ?? null;
  const scope = store.sqlite
    .prepare(`SELECT c.id, c.currency, c.old_billed AS oldBilled, c.new_billed AS newBilled ${SCOPE}`)
    .all({ runId }) as { id: bigint; currency: string; oldBilled: string | null; newBilled: string | null }[];

  const sums = new Map<string, { count: number; increase: bigint; decrease: bigint }>();
  const ranked = scope.map((row) => {
    const impact = amount(row.newBilled) - amount(row.oldBilled);
    const sum = sums.get(row.currency) ?? { count: 0, increase: 0n, decrease: 0n };
    sum.count++;
    if (impact > 0n) sum.increase += impact;
    else sum.decrease += impact;
    sums.set(row.currency, sum);
    return { id: Number(row.id), impact, magnitude: impact < 0n ? -impact : impact };
  });
  ranked.sort((a, b) => (a.magnitude === b.magnitude ? a.id - b.id : a.magnitude > b.magnitude ? -1 : 1));
  const page = ranked.slice(query.offset, query.offset + query.limit);

  const details = new Map(
    (
      store.sqlite
        .prepare(
          `SELECT c.id, c.import_run_id AS runId, c.previous_run_id AS previousRunId, s.name AS source,
             c.billing_account_id AS billingAccountId, c.billing_period AS billingPeriod, c.kind,
             c.charge_day AS chargeDay, c.service_name AS serviceName, c.resource_id AS resourceId,
             c.charge_category AS chargeCategory, c.currency, c.old_billed AS oldBilled, c.new_billed AS newBilled,
             c.old_effective AS oldEffective, c.new_effective AS newEffective, c.old_line_id AS oldLineId,
             c.new_line_id AS newLineId, c.created_at AS createdAt
           FROM cost_restatement c JOIN cost_source s ON s.id = c.source_id
           WHERE c.id IN (SELECT value FROM json_each(@ids))`,
        )
        .all({ ids: JSON.stringify(page.map((p) => p.id)) }) as (Omit<
        RankedRestatement,
        'id' | 'oldLineId' | 'newLineId' | 'impact' | 'direction'
      > & { id: bigint; oldLineId: bigint | null; newLineId: bigint | null })[]
    ).map((row) => [Number(row.id), row]),
  );

  return {
    rows: page.map(({ id, impact }) => {
      const row = details.get(id)!;
      return {
        ...row,
        id,
        oldLineId: row.oldLineId === null ? null : Number(row.oldLineId),
        newLineId: row.newLineId === null ? null : Number(row.newLineId),
        impact: formatExact(impact),
        direction: direction(impact),
      };
    }),
    total: ranked.length,
    offset: query.offset,
    summary: [...sums.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([currency, sum]) => ({
        currency,
        count: sum.count,
        increase: formatExact(sum.increase),
        decrease: formatExact(sum.decrease),
        net: formatExact(sum.increase + sum.decrease),
        direction: direction(sum.increase + sum.decrease),
      })),
  };
}
