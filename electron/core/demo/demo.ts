import { AppError } from '../../../shared/api/errors';
import { nanosToExact } from '../../../shared/exact';
import { formatNanos, sumNanos } from '../../../shared/money';
import type { Clock } from '../app';
import { today } from '../app';
import {
  beginRun,
  holdsLinesOfOtherKinds,
  lineAppender,
  newRunScopes,
  publishWholeRun,
  recordRunSucceeded,
  replaceWholeSource,
  RowBatchBuilder,
  writeLine,
  type LedgerLine,
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
      writeLine(batch, ledgerLine(line), JSON.stringify(line.tags), index + 1, 0n, 0n);
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

/** A generated line as the ledger stores it: amounts exact, what the generator does not produce null. */
function ledgerLine(line: DemoCostLine): LedgerLine {
  return {
    provider: line.provider,
    billingAccountId: line.billingAccountId,
    billingAccountName: line.billingAccountName,
    subAccountId: line.subAccountId,
    subAccountName: line.subAccountName,
    serviceName: line.serviceName,
    serviceCategory: line.serviceCategory,
    region: line.region,
    resourceId: line.resourceId,
    resourceName: null,
    skuId: line.skuId,
    chargeCategory: line.chargeCategory,
    chargeClass: line.chargeClass,
    chargeDescription: null,
    chargePeriodStart: `${line.chargeDay}T00:00:00Z`,
    chargePeriodEnd: `${line.chargeDay}T23:59:59Z`,
    chargeDay: line.chargeDay,
    billingPeriod: line.billingPeriod,
    invoiceId: line.invoiceId,
    currency: line.currency,
    billedCost: nanosToExact(line.billedNanos),
    effectiveCost: nanosToExact(line.effectiveNanos),
    listCost: null,
    commitmentDiscountId: null,
    commitmentDiscountType: null,
    commitmentDiscountStatus: null,
    pricingQuantity: line.pricingQuantity,
    pricingUnit: line.pricingUnit,
  };
}
