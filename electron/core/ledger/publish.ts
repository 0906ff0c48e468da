/**
 * Publishing a run: the one transaction that compares each replaced snapshot with the new run's
 * lines, holds the run when the replacement guard says so (replace-guard.ts), or repoints the snapshots
 * and records restatements, the run's restatement alert and the cube. Imports call it when their lines
 * are written; `import accept` calls it again for a held run, from what the run stored.
 */
import type { z } from 'zod';
import type { CellAlertSchema } from '../../../shared/api/costs';
import { formatDisplayAmount } from '../../../shared/display-money';
import { AppError } from '../../../shared/api/errors';
import { exactPercentChange, formatExact, joinExact, parseExact, splitExact } from '../../../shared/exact';
import type { AuditLog } from '../audit';
import { recordAlerts } from '../alerts';
import { recordSourceFor, settleRecords } from './records';
import { addRunToCube, applyScopeToCube, groupByRunPeriod, SNAPSHOT_UPSERT, type RunPeriodScopes } from './rollups';
import type { Store } from '../store';
import { releaseClaims } from './claims';
import { retractMovedSnapshots, type SourceMove } from './source-moves';
import { evaluateGuard, type GuardInput, type HoldReason, type ReplacePreview } from './replace-guard';
import {
  billedOf,
  diffSnapshots,
  NEW_SIDE,
  REPLACED_ROWS,
  replacedParams,
  type PublishCounts,
  type Restatement,
  type SideLine,
} from './snapshot-diff';

export type { PublishCounts } from './snapshot-diff';

/** A day × account × service cell whose billed cost moved past the thresholds (percent null when it was zero or absent). */
export type CellAlert = z.infer<typeof CellAlertSchema>;

/** A snapshot a run writes, as the run stores it until it is published (amounts exact decimal text). */
export interface PendingScope {
  billingAccountId: string;
  billingPeriod: string;
  /** The run whose snapshot this replaces; null for a scope the store had no snapshot of. */
  previousRunId: string | null;
  lines: number;
  digest: string;
  currency: string;
  billed: string;
  effective: string;
}

export interface PublishPlan {
  runId: string;
  sourceId: string;
  sourceName: string;
  scopes: PendingScope[];
  /** Restatement alert thresholds (exact: percent, and amount in the cell's currency). */
  thresholdPct: bigint;
  minAmount: bigint;
  /** Null: publish whatever it replaces (the user confirmed the replacement). */
  guard: Omit<GuardInput, 'scopes'> | null;
  /** Other sources' snapshots of the same files, retracted as this run publishes (`--replace-source`). */
  moves?: readonly SourceMove[];
}

export type PublishOutcome =
  | { status: 'published'; counts: PublishCounts; cells: CellAlert[]; alertId: string | null; superseded: string[] }
  | { status: 'held'; counts: PublishCounts; reasons: HoldReason[]; preview: ReplacePreview; superseded: string[] };

/**
 * Publishes a run, or holds it, in one immediate transaction; `finish` runs inside it to write the run's
 * status, summary and audit event, so the outcome and its record commit together.
 */
export function publishRun(
  deps: { store: Store; audit: AuditLog; now: () => Date },
  plan: PublishPlan,
  finish: (outcome: PublishOutcome, finishedAt: string) => void,
): PublishOutcome {
  const { sqlite } = deps.store;
  return sqlite
    .transaction((): PublishOutcome => {
      const finishedAt = deps.now().toISOString();
      const current = sqlite.prepare(
        'SELECT import_run_id AS runId, counted FROM cost_snapshot WHERE source_id = ? AND billing_account_id = ? AND billing_period = ?',
      );
      // Whether each replaced snapshot was counted (this source its source of record): only then is it in the cube.
      const wasCounted = new Map<PendingScope, boolean>();
      for (const scope of plan.scopes) {
        const found = current.get(plan.sourceId, scope.billingAccountId, scope.billingPeriod) as
          { runId: string; counted: bigint | number } | undefined;
        if (found) wasCounted.set(scope, Number(found.counted) === 1);
        if ((found?.runId ?? null) !== scope.previousRunId) {
          throw new AppError(
            'CONFLICT',
            `${scope.billingAccountId} ${scope.billingPeriod}: another import replaced this snapshot meanwhile; import again`,
            { file: `${scope.billingAccountId} ${scope.billingPeriod}` },
          );
        }
      }
      const superseded = supersedeHeldRuns(deps, plan);
      const replaced = plan.scopes.filter((scope) => scope.previousRunId !== null);
      // Grouped by the run they replace: each group is read as one run period (see groupByRunPeriod).
      const groups = groupByRunPeriod(
        replaced.map((scope) => ({ ...scope, sourceId: plan.sourceId, runId: scope.previousRunId! })),
      );
      const diffs = groups.map((group) => ({ group, ...diffSnapshots(deps.store, plan.runId, group) }));

      if (plan.guard) {
        const held = evaluateGuard(
          deps.store,
          plan.runId,
          diffs.map((d) => ({ group: d.group, differences: d.differences })),
          { ...plan.guard, scopes: replaced },
        );
        if (held) {
          releaseClaims(deps.store, plan.runId);
          const counts: PublishCounts = { added: 0, changed: 0, removed: 0, unchanged: 0 };
          for (const d of diffs)
            for (const key of Object.keys(counts) as (keyof PublishCounts)[]) counts[key] += d.counts[key];
          const outcome: PublishOutcome = { status: 'held', counts, ...held, superseded };
          finish(outcome, finishedAt);
          return outcome;
        }
      }

      const counts: PublishCounts = { added: 0, changed: 0, removed: 0, unchanged: 0 };
      const cells: CellAlert[] = [];
      for (const { group, differences, counts: groupCounts } of diffs) {
        insertRestatements(deps.store, plan.runId, group, differences, finishedAt);
        for (const key of Object.keys(counts) as (keyof PublishCounts)[]) counts[key] += groupCounts[key];
        cells.push(...compareCells(deps.store, plan.runId, group, plan.thresholdPct, plan.minAmount));
      }
      const snapshotScopes = plan.scopes.map((scope) => ({
        sourceId: plan.sourceId,
        billingAccountId: scope.billingAccountId,
        billingPeriod: scope.billingPeriod,
      }));
      // Counted when this source is the period's source of record (the first to publish it, or chosen).
      const counted = snapshotScopes.map(
        (scope) => recordSourceFor(sqlite, scope, plan.sourceId, finishedAt) === plan.sourceId,
      );
      plan.scopes.forEach((scope, index) => {
        if (scope.previousRunId && wasCounted.get(scope))
          applyScopeToCube(sqlite, scope.previousRunId, snapshotScopes[index]!, -1);
      });
      addRunToCube(
        sqlite,
        plan.runId,
        snapshotScopes.filter((_, index) => counted[index]),
      );
      plan.scopes.forEach((scope, index) =>
        publishSnapshot(deps.store, plan.runId, plan.sourceId, scope, finishedAt, counted[index]!),
      );
      // In this transaction: no reader may see the moved files under both sources, or under neither.
      if (plan.moves?.length) {
        retractMovedSnapshots(deps, plan.moves, {
          runId: plan.runId,
          sourceId: plan.sourceId,
          sourceName: plan.sourceName,
        });
        // A retracted source of record passes the period to a source that still holds it (this one).
        settleRecords(sqlite, plan.moves, finishedAt);
      }
      const alert = restatementAlert(plan, cells);
      const alertId = alert ? recordAlerts(deps.store, [alert], deps.now(), deps.audit)[0]!.id : null;
      releaseClaims(deps.store, plan.runId);
      const outcome: PublishOutcome = { status: 'published', counts, cells, alertId, superseded };
      finish(outcome, finishedAt);
      return outcome;
    })
    .immediate();
}

/**
 * Held runs of the same source with a scope this run writes are discarded: the newer export is the
 * one to decide on, and a held run must not wait for an answer forever. Each is audited.
 */
function supersedeHeldRuns(deps: { store: Store; audit: AuditLog; now: () => Date }, plan: PublishPlan): string[] {
  const { sqlite } = deps.store;
  const held = sqlite
    .prepare(
      `SELECT DISTINCT r.id FROM import_run r JOIN import_run_scope rs ON rs.import_run_id = r.id
       WHERE r.status = 'held' AND r.id <> @runId AND rs.source_id = @sourceId
         AND EXISTS (SELECT 1 FROM json_each(@scopes) j WHERE j.value ->> 'billingAccountId' = rs.billing_account_id
           AND j.value ->> 'billingPeriod' = rs.billing_period)
       ORDER BY r.id`,
    )
    .all({ runId: plan.runId, sourceId: plan.sourceId, scopes: JSON.stringify(plan.scopes) }) as { id: string }[];
  for (const { id } of held) {
    sqlite
      .prepare(
        `UPDATE import_run SET status = 'discarded', summary = json_set(summary, '$.discarded', json(?)) WHERE id = ?`,
      )
      .run(JSON.stringify({ at: deps.now().toISOString(), by: 'superseded', supersededBy: plan.runId }), id);
    deps.audit.record({
      action: 'costs.import_discarded',
      entityType: 'import_run',
      entityId: id,
      runId: id,
      details: { source: plan.sourceName, reason: 'superseded', supersededBy: plan.runId },
    });
  }
  return held.map((row) => row.id);
}

/** How many top cells a run's restatement alert names. */
export const TOP_CELLS = 10;

/** The one alert a run raises for its restated cells: how many, their impact per currency, the largest. */
function restatementAlert(plan: PublishPlan, cells: readonly CellAlert[]) {
  if (cells.length === 0) return null;
  const impact = new Map<string, { net: bigint; gross: bigint }>();
  const delta = (cell: CellAlert) => parseExact(cell.new) - parseExact(cell.old);
  const abs = (value: bigint) => (value < 0n ? -value : value);
  for (const cell of cells) {
    const entry = impact.get(cell.currency) ?? { net: 0n, gross: 0n };
    entry.net += delta(cell);
    entry.gross += abs(delta(cell));
    impact.set(cell.currency, entry);
  }
  const top = [...cells]
    .map((cell) => ({ cell, change: delta(cell) }))
    .sort((a, b) => (abs(b.change) > abs(a.change) ? 1 : abs(b.change) < abs(a.change) ? -1 : 0))
    .slice(0, TOP_CELLS)
    .map(({ cell, change }) => ({ ...cell, change: formatExact(change) }));
  const impacts = [...impact.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, entry]) => ({ currency, net: formatExact(entry.net), gross: formatExact(entry.gross) }));
  // The message is read on finance screens: amounts in the currency's minor unit; details keep them exact.
  const money = (amount: string, currency: string, signDisplay: 'auto' | 'exceptZero' = 'auto') =>
    formatDisplayAmount(amount, currency, { signDisplay });
  const largest = top[0]!;
  const plural = cells.length === 1 ? 'cell' : 'cells';
  return {
    kind: 'costs.restated',
    severity: 'warning' as const,
    title: `Import into "${plan.sourceName}" restated ${cells.length} ${plural} past the alert threshold`,
    message:
      `${cells.length} day × account × service ${plural} moved; net ${impacts.map((i) => money(i.net, i.currency, 'exceptZero')).join(', ')}` +
      ` (gross ${impacts.map((i) => money(i.gross, i.currency)).join(', ')}). Largest: ${largest.serviceName} on ${largest.day}` +
      ` ${money(largest.old, largest.currency)} → ${money(largest.new, largest.currency)}.`,
    details: {
      runId: plan.runId,
      source: plan.sourceName,
      cellCount: cells.length,
      impact: impacts,
      topCells: top,
      /** Where all of them are: the Restatements screen filtered to this run, or `valdrix restatements --run`. */
      route: { screen: 'restatements', runId: plan.runId },
    },
    entityType: 'import_run',
    entityId: plan.runId,
  };
}

function publishSnapshot(
  store: Store,
  runId: string,
  sourceId: string,
  scope: PendingScope,
  nowIso: string,
  counted: boolean,
): void {
  const billed = splitExact(parseExact(scope.billed));
  const effective = splitExact(parseExact(scope.effective));
  store.sqlite
    .prepare(
      `INSERT INTO cost_snapshot (source_id, billing_account_id, billing_period, import_run_id, digest, line_count, currency,
         billed_nanos, billed_atto, billed_ronto, effective_nanos, effective_atto, effective_ronto, updated_at,
         billed_units, effective_units, counted)
       VALUES (@sourceId, @billingAccountId, @billingPeriod, @runId, @digest, @lineCount, @currency, @bn, @ba, @br, @en, @ea, @er,
         @nowIso, @bu, @eu, @counted)
       ${SNAPSHOT_UPSERT}`,
    )
    .run({
      sourceId,
      billingAccountId: scope.billingAccountId,
      billingPeriod: scope.billingPeriod,
      runId,
      digest: scope.digest,
      lineCount: scope.lines,
      currency: scope.currency,
      bu: billed.units,
      eu: effective.units,
      bn: billed.nanos,
      ba: billed.atto,
      br: billed.ronto,
      en: effective.nanos,
      ea: effective.atto,
      er: effective.ronto,
      nowIso,
      counted: counted ? 1 : 0,
    });
}

/** Records every difference of one replaced run period (the evidence Restatements lists). */
function insertRestatements(
  store: Store,
  runId: string,
  replaced: RunPeriodScopes,
  differences: readonly Restatement[],
  nowIso: string,
): void {
  const insert = store.sqlite.prepare(
    `INSERT INTO cost_restatement (import_run_id, previous_run_id, source_id, billing_account_id, billing_period, kind,
       old_line_id, new_line_id, charge_day, service_name, resource_id, charge_category, currency, old_billed, new_billed,
       old_effective, new_effective, created_at)
     VALUES (@runId, @previousRunId, @sourceId, @billingAccountId, @billingPeriod, @kind, @oldId, @newId, @day, @service,
       @resource, @category, @currency, @oldBilled, @newBilled, @oldEffective, @newEffective, @nowIso)`,
  );
  const billed = (line: SideLine | null) => line && formatExact(billedOf(line));
  const effective = (line: SideLine | null) =>
    line && formatExact(joinExact(line.effectiveUnits, line.effectiveNanos, line.effectiveAtto, line.effectiveRonto));
  for (const difference of differences) {
    const shown = (difference.new ?? difference.old)!;
    insert.run({
      runId,
      previousRunId: replaced.runId,
      sourceId: replaced.sourceId,
      billingAccountId: shown.account,
      billingPeriod: replaced.billingPeriod,
      kind: difference.kind,
      oldId: difference.old?.id ?? null,
      newId: difference.new?.id ?? null,
      day: shown.day,
      service: shown.service,
      resource: shown.resource,
      category: shown.category,
      currency: shown.currency,
      oldBilled: billed(difference.old),
      newBilled: billed(difference.new),
      oldEffective: effective(difference.old),
      newEffective: effective(difference.new),
      nowIso,
    });
  }
}

/** Day × billing account × service cells of replaced snapshots whose billed cost moved past the thresholds. */
export function compareCells(
  store: Store,
  runId: string,
  replaced: RunPeriodScopes,
  thresholdPct: bigint,
  minAmount: bigint,
): CellAlert[] {
  const rows = store.sqlite
    .prepare(
      `SELECT billing_account_id AS account, day, service_name AS service, currency,
         SUM(CASE WHEN ${NEW_SIDE} THEN 0 ELSE billed_units END) AS obu,
         SUM(CASE WHEN ${NEW_SIDE} THEN billed_units ELSE 0 END) AS nbu,
         SUM(CASE WHEN ${NEW_SIDE} THEN 0 ELSE billed_nanos END) AS obn,
         SUM(CASE WHEN ${NEW_SIDE} THEN 0 ELSE billed_atto END) AS oba,
         SUM(CASE WHEN ${NEW_SIDE} THEN 0 ELSE billed_ronto END) AS obr,
         SUM(CASE WHEN ${NEW_SIDE} THEN billed_nanos ELSE 0 END) AS nbn,
         SUM(CASE WHEN ${NEW_SIDE} THEN billed_atto ELSE 0 END) AS nba,
         SUM(CASE WHEN ${NEW_SIDE} THEN billed_ronto ELSE 0 END) AS nbr
       FROM cost_rollup_daily
       WHERE ${REPLACED_ROWS}
       GROUP BY billing_account_id, day, service_name, currency ORDER BY billing_account_id, day, service_name`,
    )
    .all(replacedParams(runId, replaced)) as {
    account: string;
    day: string;
    service: string;
    currency: string;
    obu: bigint;
    nbu: bigint;
    obn: bigint;
    oba: bigint;
    obr: bigint;
    nbn: bigint;
    nba: bigint;
    nbr: bigint;
  }[];
  const alerts: CellAlert[] = [];
  for (const row of rows) {
    const before = joinExact(row.obu, row.obn, row.oba, row.obr);
    const after = joinExact(row.nbu, row.nbn, row.nba, row.nbr);
    if (before === after) continue;
    const delta = after - before;
    const magnitude = delta < 0n ? -delta : delta;
    if (magnitude < minAmount) continue;
    // |delta| / |before| > threshold%, in integers: |delta| × 100 > threshold × |before|.
    const base = before < 0n ? -before : before;
    const EXACT_ONE = 10n ** 27n;
    if (before !== 0n && magnitude * 100n * EXACT_ONE <= thresholdPct * base) continue;
    alerts.push({
      day: row.day,
      billingAccountId: row.account,
      serviceName: row.service,
      currency: row.currency,
      old: formatExact(before),
      new: formatExact(after),
      percent: exactPercentChange(before, after),
    });
  }
  return alerts;
}
