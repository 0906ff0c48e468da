import { eq } from 'drizzle-orm';
import { ulid } from 'ulid';
import { AppError } from '../../../shared/api/errors';
import { nanosToExact, splitExact } from '../../../shared/exact';
import { formatNanos, sumNanos } from '../../../shared/money';
import type { Clock } from '../app/clock';
import { today } from '../app/clock';
import { buildScopeRollups, publishRunScopes, rebuildCube, runScopes } from '../costs/rollup';
import { costSourceTable, importRunTable, NEXT_RUN_SEQ } from '../store/schema';
import { setWorkspaceMeta, type Workspace } from '../workspace/workspace';
import { generateDemoCostLines } from './generator';

export const DEMO_SOURCE_NAME = 'Demo data';

export interface DemoResult {
  workspace: string;
  runId: string;
  from: string;
  to: string;
  rows: number;
  totals: { billed: string; effective: string; currency: string };
  anomaly: { day: string; service: string; subAccountId: string };
  replacedRows: number;
}

/**
 * Fills a workspace with the demo data for the clock's day, in one transaction. A workspace that
 * already holds non-demo cost data is refused: the demo must never mix with a user's real costs.
 */
export function loadDemoData(workspace: Workspace, clock: Clock): DemoResult {
  const { sqlite, db } = workspace.store;
  const asOf = today(clock);
  const { plan, lines } = generateDemoCostLines(asOf);
  const nowIso = clock.now().toISOString();

  const foreign = sqlite
    .prepare(
      `SELECT COUNT(*) AS n FROM cost_line l JOIN import_run r ON r.seq = l.run_seq
       JOIN cost_source s ON s.id = r.source_id WHERE s.kind <> 'demo'`,
    )
    .get() as { n: bigint };
  if (foreign.n > 0n) {
    throw new AppError(
      'CONFLICT',
      `${workspace.paths.dir} already holds imported cost data; create the demo in an empty folder`,
    );
  }

  const runId = ulid(clock.now().getTime());
  const billed = sumNanos(lines.map((l) => l.billedNanos));
  const effective = sumNanos(lines.map((l) => l.effectiveNanos));
  let replacedRows = 0;
  const insert = sqlite.prepare(
    `INSERT INTO cost_line (run_seq, provider, billing_account_id, billing_account_name, sub_account_id,
       sub_account_name, service_name, service_category, region, resource_id, sku_id, charge_category, charge_class,
       charge_day, charge_period_start, charge_period_end, billing_period, invoice_id, currency, billed_nanos,
       effective_nanos, list_nanos, pricing_quantity, pricing_unit, tags, file_name, line_number, ingested_at,
       billed_units, effective_units)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  sqlite.transaction(() => {
    let source = db.select().from(costSourceTable).where(eq(costSourceTable.name, DEMO_SOURCE_NAME)).get();
    if (!source) {
      source = { id: ulid(), name: DEMO_SOURCE_NAME, kind: 'demo', version: 1, updatedAt: nowIso, createdAt: nowIso };
      db.insert(costSourceTable).values(source).run();
    } else {
      const ofSource = 'run_seq IN (SELECT seq FROM import_run WHERE source_id = ?)';
      replacedRows = sqlite.prepare(`DELETE FROM cost_line WHERE ${ofSource}`).run(source.id).changes;
      sqlite.prepare(`DELETE FROM cost_rollup_daily WHERE ${ofSource}`).run(source.id);
      for (const table of ['cost_snapshot', 'cost_rollup_monthly', 'import_run_scope']) {
        sqlite.prepare(`DELETE FROM ${table} WHERE source_id = ?`).run(source.id);
      }
      db.update(costSourceTable)
        .set({ version: source.version + 1, updatedAt: nowIso })
        .where(eq(costSourceTable.id, source.id))
        .run();
    }
    const { seq: runSeq } = sqlite
      .prepare(
        `INSERT INTO import_run (id, seq, source_id, kind, status, started_at)
         VALUES (?, ${NEXT_RUN_SEQ}, ?, 'demo', 'running', ?) RETURNING seq`,
      )
      .get(runId, source.id, nowIso) as { seq: bigint };
    lines.forEach((line, i) => {
      insert.run(
        runSeq,
        line.provider,
        line.billingAccountId,
        line.billingAccountName,
        line.subAccountId,
        line.subAccountName,
        line.serviceName,
        line.serviceCategory,
        line.region,
        line.resourceId,
        line.skuId,
        line.chargeCategory,
        line.chargeClass,
        line.chargeDay,
        `${line.chargeDay}T00:00:00Z`,
        `${line.chargeDay}T23:59:59Z`,
        line.billingPeriod,
        line.invoiceId,
        line.currency,
        fractionNanos(line.billedNanos),
        fractionNanos(line.effectiveNanos),
        null,
        line.pricingQuantity,
        line.pricingUnit,
        JSON.stringify(line.tags),
        'demo-generator',
        i + 1,
        nowIso,
        wholeUnits(line.billedNanos),
        wholeUnits(line.effectiveNanos),
      );
    });
    sqlite
      .prepare(
        `INSERT INTO import_run_scope (import_run_id, source_id, billing_account_id, billing_period)
         SELECT DISTINCT ?, ?, billing_account_id, billing_period FROM cost_line WHERE run_seq = ?`,
      )
      .run(runId, source.id, runSeq);
    for (const scope of runScopes(sqlite, runId)) buildScopeRollups(sqlite, runId, scope);
    publishRunScopes(sqlite, runId, nowIso);
    rebuildCube(sqlite);
    db.update(importRunTable)
      .set({
        status: 'succeeded',
        finishedAt: clock.now().toISOString(),
        rowsRead: lines.length,
        summary: {
          asOf,
          from: plan.from,
          to: plan.to,
          billed: formatNanos(billed),
          effective: formatNanos(effective),
          currency: 'USD',
        },
      })
      .where(eq(importRunTable.id, runId))
      .run();
    setWorkspaceMeta(workspace.store, 'is_demo', '1');
    workspace.audit.record({
      action: 'costs.demo_loaded',
      entityType: 'import_run',
      entityId: runId,
      runId,
      details: {
        rows: lines.length,
        replacedRows,
        from: plan.from,
        to: plan.to,
        billed: formatNanos(billed),
        effective: formatNanos(effective),
        currency: 'USD',
      },
    });
  })();
  workspace.meta.isDemo = true;

  const result: DemoResult = {
    workspace: workspace.paths.dir,
    runId,
    from: plan.from,
    to: plan.to,
    rows: lines.length,
    totals: {
      billed: formatNanos(billed),
      effective: formatNanos(effective),
      currency: 'USD',
    },
    anomaly: { day: plan.anomaly.day, service: plan.anomaly.serviceName, subAccountId: plan.anomaly.subAccountId },
    replacedRows,
  };
  workspace.logger.info({ runId, rows: result.rows, from: plan.from, to: plan.to }, 'demo data loaded');
  return result;
}

/** The store keeps whole units and a 0–999,999,999 nano fraction (shared/exact.ts). */
function wholeUnits(nanos: bigint): bigint {
  return splitExact(nanosToExact(nanos)).units;
}

function fractionNanos(nanos: bigint): bigint {
  return splitExact(nanosToExact(nanos)).nanos;
}
