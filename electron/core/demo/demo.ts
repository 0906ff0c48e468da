import { AppError } from '../../../shared/api/errors';
import { nanosToExact, splitExact } from '../../../shared/exact';
import { formatNanos, sumNanos } from '../../../shared/money';
import type { Clock } from '../app';
import { today } from '../app';
import {
  AT,
  beginRun,
  holdsLinesOfOtherKinds,
  lineAppender,
  newRunScopes,
  publishWholeRun,
  recordRunSucceeded,
  replaceWholeSource,
  RowBatchBuilder,
} from '../ledger';
import { setWorkspaceMeta, type Workspace } from '../workspace';
import { generateDemoCostLines, type DemoCostLine } from './generator';

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
  const { sqlite } = workspace.store;
  const asOf = today(clock);
  const { plan, lines } = generateDemoCostLines(asOf);
  const nowIso = clock.now().toISOString();

  if (holdsLinesOfOtherKinds(workspace.store, 'demo')) {
    throw new AppError(
      'CONFLICT',
      `${workspace.paths.dir} already holds imported cost data; create the demo in an empty folder`,
    );
  }

  const billed = sumNanos(lines.map((l) => l.billedNanos));
  const effective = sumNanos(lines.map((l) => l.effectiveNanos));
  const deps = { store: workspace.store, now: () => clock.now() };
  let replacedRows = 0;
  let runId = '';

  sqlite.transaction(() => {
    const source = replaceWholeSource(workspace.store, { name: DEMO_SOURCE_NAME, kind: 'demo' }, nowIso);
    replacedRows = source.replacedLines;
    const run = beginRun(deps, { sourceId: source.id, kind: 'demo' });
    runId = run.id;
    const appender = lineAppender(deps, run, newRunScopes(), { fileName: 'demo-generator', ingestedAt: nowIso });
    // Generated lines have no identity to diff by: a reload replaces the whole source.
    const batch = new RowBatchBuilder(DEMO_BATCH_LINES, false);
    lines.forEach((line, index) => {
      writeDemoLine(batch, line, index + 1);
      if (batch.length === DEMO_BATCH_LINES) appender.append(batch.take());
    });
    if (batch.length) appender.append(batch.take());
    appender.finish();
    publishWholeRun(workspace.store, runId, nowIso);
    recordRunSucceeded(workspace.store, runId, {
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
    });
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

/** Lines per appended batch, as imports write them. */
const DEMO_BATCH_LINES = 1_000;

function writeDemoLine(into: RowBatchBuilder, line: DemoCostLine, lineNumber: number): void {
  into.startRow();
  into.text(AT.provider, line.provider);
  into.text(AT.billing_account_id, line.billingAccountId);
  into.text(AT.billing_account_name, line.billingAccountName);
  into.text(AT.sub_account_id, line.subAccountId);
  into.text(AT.sub_account_name, line.subAccountName);
  into.text(AT.service_name, line.serviceName);
  into.text(AT.service_category, line.serviceCategory);
  into.text(AT.region, line.region);
  into.text(AT.resource_id, line.resourceId);
  into.text(AT.sku_id, line.skuId);
  into.text(AT.charge_category, line.chargeCategory);
  into.text(AT.charge_class, line.chargeClass);
  into.text(AT.charge_day, line.chargeDay);
  into.text(AT.charge_period_start, `${line.chargeDay}T00:00:00Z`);
  into.text(AT.charge_period_end, `${line.chargeDay}T23:59:59Z`);
  into.text(AT.billing_period, line.billingPeriod);
  into.text(AT.invoice_id, line.invoiceId);
  into.text(AT.currency, line.currency);
  into.text(AT.pricing_quantity, line.pricingQuantity);
  into.text(AT.pricing_unit, line.pricingUnit);
  into.text(AT.tags, JSON.stringify(line.tags));
  into.number(AT.line_number, lineNumber);
  const billed = splitExact(nanosToExact(line.billedNanos));
  const effective = splitExact(nanosToExact(line.effectiveNanos));
  into.integer(AT.billed_units, billed.units);
  into.number(AT.billed_nanos, Number(billed.nanos));
  into.number(AT.billed_atto, 0);
  into.number(AT.billed_ronto, 0);
  into.integer(AT.effective_units, effective.units);
  into.number(AT.effective_nanos, Number(effective.nanos));
  into.number(AT.effective_atto, 0);
  into.number(AT.effective_ronto, 0);
  // What the generator does not produce is null.
  for (const column of [
    'resource_name',
    'charge_description',
    'commitment_discount_id',
    'commitment_discount_type',
    'commitment_discount_status',
  ] as const)
    into.text(AT[column], null);
  for (const column of ['list_nanos', 'list_atto', 'list_ronto'] as const) into.number(AT[column], null);
  into.integer(AT.list_units, null);
  into.endRow();
}
