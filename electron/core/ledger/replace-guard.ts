/**
 * The replacement guard. An export replaces its snapshot whole, so a partial file (rows skipped as
 * unreadable, a download cut short, one day's extract) would silently remove what it lacks: 8 rows
 * replaced a 942-line snapshot. A run that would remove more than a share of a snapshot's lines or
 * cost, drop days the snapshot had, or that skipped rows, is held until someone confirms it, with a
 * preview in money of what publishing it would add, change and remove.
 */
import type { z } from 'zod';
import type {
  HoldReasonSchema,
  LinesAmountSchema,
  PreviewRowSchema,
  ReplacePreviewSchema,
} from '../../../shared/api/costs';
import { EXACT_PER_UNIT, exactPercentChange, formatExact, joinExact, parseExact } from '../../../shared/exact';
import type { RunPeriodScopes } from './rollups';
import type { Store } from '../store';
import type { PendingScope } from './publish';
import { billedOf, NEW_SIDE, REPLACED_ROWS, replacedParams, type Restatement } from './snapshot-diff';

export interface GuardInput {
  /** Percent, exact (parseExact of the setting). */
  pct: bigint;
  /** Rows the run skipped as unreadable. */
  skippedCount: number;
  /** The scopes the run replaces. */
  scopes: PendingScope[];
}

/** Why a run was held; `message` says it in words for the CLI and the Import screen. */
// The shapes the contract sends (shared/api/costs.ts) are the one definition.
export type HoldReason = z.infer<typeof HoldReasonSchema>;
/** Lines and their billed amount (exact decimal text). */
export type LinesAmount = z.infer<typeof LinesAmountSchema>;
/** Added, changed (amount: the change, new − old) and removed lines of one group, and the net change. */
export type PreviewRow = z.infer<typeof PreviewRowSchema>;
export type ReplacePreview = z.infer<typeof ReplacePreviewSchema>;

/** Rows a preview lists per dimension: a held month has at most 31 days, but services can be thousands. */
export const PREVIEW_ROWS = 100;

/**
 * Whether publishing would remove too much, with the preview; null when the run may publish. Read in
 * the publishing transaction, from the differences it computed and the daily rollup.
 */
export function evaluateGuard(
  store: Store,
  runId: string,
  diffs: readonly { group: RunPeriodScopes; differences: readonly Restatement[] }[],
  input: GuardInput,
): { reasons: HoldReason[]; preview: ReplacePreview } | null {
  if (input.scopes.length === 0) return null;
  const reasons: HoldReason[] = [];
  // Lines and billed cost each replaced snapshot would lose with its removed lines, by account and period.
  const removedBy = new Map<string, { lines: number; billed: bigint }>();
  for (const { group, differences } of diffs) {
    for (const difference of differences) {
      if (difference.kind !== 'removed') continue;
      const key = `${difference.old!.account}\u0000${group.billingPeriod}`;
      const entry = removedBy.get(key) ?? { lines: 0, billed: 0n };
      entry.lines++;
      entry.billed += billedOf(difference.old!);
      removedBy.set(key, entry);
    }
  }
  const before = store.sqlite.prepare(
    `SELECT line_count AS lines, billed_units AS u, billed_nanos AS n, billed_atto AS a, billed_ronto AS r
     FROM cost_snapshot WHERE import_run_id = ? AND billing_account_id = ? AND billing_period = ?`,
  );
  const snapshots: ReplacePreview['snapshots'] = [];
  for (const scope of input.scopes) {
    const old = before.get(scope.previousRunId, scope.billingAccountId, scope.billingPeriod) as
      { lines: bigint; u: bigint; n: bigint; a: bigint; r: bigint } | undefined;
    if (!old) continue;
    const oldLines = Number(old.lines);
    const oldBilled = exactOf(old);
    const newBilled = parseExact(scope.billed);
    snapshots.push({
      billingAccountId: scope.billingAccountId,
      billingPeriod: scope.billingPeriod,
      currency: scope.currency,
      linesBefore: oldLines,
      linesAfter: scope.lines,
      billedBefore: formatExact(oldBilled),
      billedAfter: formatExact(newBilled),
    });
    const where = `${scope.billingAccountId} ${scope.billingPeriod}`;
    const removed = removedBy.get(`${scope.billingAccountId}\u0000${scope.billingPeriod}`) ?? { lines: 0, billed: 0n };
    // removed / before > pct %, in integers (pct is exact: × 10²⁷).
    if (removed.lines > 0 && BigInt(removed.lines) * 100n * EXACT_PER_UNIT > input.pct * BigInt(oldLines)) {
      reasons.push({
        code: 'lines_removed',
        billingAccountId: scope.billingAccountId,
        billingPeriod: scope.billingPeriod,
        before: oldLines,
        removed: removed.lines,
        message: `${where}: ${removed.lines} of its ${oldLines} lines would be removed (${shareOf(BigInt(removed.lines), BigInt(oldLines))} %, more than ${formatExact(input.pct)} %)`,
      });
    }
    // The cost those lines carry, against the snapshot's billed total; a changed amount is a
    // restatement (alerted on), not a removal.
    const base = oldBilled < 0n ? -oldBilled : oldBilled;
    const gone = removed.billed < 0n ? -removed.billed : removed.billed;
    if (base > 0n && gone * 100n * EXACT_PER_UNIT > input.pct * base) {
      reasons.push({
        code: 'cost_removed',
        billingAccountId: scope.billingAccountId,
        billingPeriod: scope.billingPeriod,
        currency: scope.currency,
        before: formatExact(oldBilled),
        removed: formatExact(removed.billed),
        share: shareOf(gone, base),
        message: `${where}: the removed lines carry ${formatExact(removed.billed)} of its ${formatExact(oldBilled)} ${scope.currency} billed (${shareOf(gone, base)} %, more than ${formatExact(input.pct)} %)`,
      });
    }
  }
  for (const { group } of diffs) {
    // A day the snapshot had and the new run has no line of: typically a file cut short.
    const dropped = store.sqlite
      .prepare(
        `SELECT billing_account_id AS account, day FROM cost_rollup_daily WHERE ${REPLACED_ROWS}
         GROUP BY billing_account_id, day HAVING MAX(${NEW_SIDE}) = 0 ORDER BY billing_account_id, day`,
      )
      .all(replacedParams(runId, group)) as { account: string; day: string }[];
    const byAccount = new Map<string, string[]>();
    for (const row of dropped) byAccount.set(row.account, [...(byAccount.get(row.account) ?? []), row.day]);
    for (const [account, days] of byAccount) {
      reasons.push({
        code: 'days_dropped',
        billingAccountId: account,
        billingPeriod: group.billingPeriod,
        days,
        message: `${account} ${group.billingPeriod}: ${days.length} ${days.length === 1 ? 'day' : 'days'} the snapshot has would have no cost at all (${listDays(days)})`,
      });
    }
  }
  if (input.skippedCount > 0) {
    reasons.push({
      code: 'rows_skipped',
      count: input.skippedCount,
      message:
        input.skippedCount === 1
          ? '1 row of the file could not be read and was skipped, so the snapshot it replaces would lose it'
          : `${input.skippedCount} rows of the file could not be read and were skipped, so the snapshot it replaces would lose them`,
    });
  }
  if (reasons.length === 0) return null;
  return { reasons, preview: preview(diffs, snapshots) };
}

function exactOf(row: { u: bigint; n: bigint; a: bigint; r: bigint }): bigint {
  return joinExact(row.u, row.n, row.a, row.r);
}

/** part / whole in percent, to 4 decimals, as text (whole > 0). */
function shareOf(part: bigint, whole: bigint): string {
  return exactPercentChange(whole, whole + part)!;
}

function listDays(days: readonly string[]): string {
  return days.length <= 5 ? days.join(', ') : `${days.slice(0, 5).join(', ')} and ${days.length - 5} more`;
}

interface Tally {
  added: { lines: number; amount: bigint };
  changed: { lines: number; amount: bigint };
  removed: { lines: number; amount: bigint };
}

const emptyTally = (): Tally => ({
  added: { lines: 0, amount: 0n },
  changed: { lines: 0, amount: 0n },
  removed: { lines: 0, amount: 0n },
});

/** What publishing would do, in exact money per currency: in all, by day and by service. */
function preview(
  diffs: readonly { differences: readonly Restatement[] }[],
  snapshots: ReplacePreview['snapshots'],
): ReplacePreview {
  const totals = new Map<string, Tally>();
  const days = new Map<string, Tally>();
  const services = new Map<string, Tally>();
  const add = (map: Map<string, Tally>, key: string, kind: keyof Tally, amount: bigint) => {
    const tally = map.get(key) ?? emptyTally();
    tally[kind].lines++;
    tally[kind].amount += amount;
    map.set(key, tally);
  };
  for (const { differences } of diffs) {
    for (const difference of differences) {
      const line = (difference.new ?? difference.old)!;
      // Removed lines count their old amount (what leaves), changed ones the change.
      const amount =
        difference.kind === 'added'
          ? billedOf(difference.new!)
          : difference.kind === 'removed'
            ? billedOf(difference.old!)
            : billedOf(difference.new!) - billedOf(difference.old!);
      add(totals, line.currency, difference.kind, amount);
      add(days, `${line.currency}\u0000${line.day}`, difference.kind, amount);
      add(services, `${line.currency}\u0000${line.service}`, difference.kind, amount);
    }
  }
  const row = (currency: string, tally: Tally): PreviewRow & { netValue: bigint } => {
    const netValue = tally.added.amount + tally.changed.amount - tally.removed.amount;
    const shown = (entry: { lines: number; amount: bigint }) => ({
      lines: entry.lines,
      amount: formatExact(entry.amount),
    });
    return {
      currency,
      added: shown(tally.added),
      changed: shown(tally.changed),
      removed: shown(tally.removed),
      net: formatExact(netValue),
      netValue,
    };
  };
  const split = (key: string) => key.split('\u0000') as [string, string];
  const abs = (value: bigint) => (value < 0n ? -value : value);
  const byImpact = (a: { netValue: bigint }, b: { netValue: bigint }) =>
    abs(b.netValue) > abs(a.netValue) ? 1 : abs(b.netValue) < abs(a.netValue) ? -1 : 0;
  const strip = <T extends { netValue: bigint }>({ netValue: _, ...rest }: T) => rest;
  const dayRows = [...days].map(([key, tally]) => ({ ...row(split(key)[0], tally), day: split(key)[1] }));
  const serviceRows = [...services].map(([key, tally]) => ({
    ...row(split(key)[0], tally),
    serviceName: split(key)[1],
  }));
  // The days and services that move most are kept, then shown in calendar and impact order.
  const keptDays = [...dayRows]
    .sort(byImpact)
    .slice(0, PREVIEW_ROWS)
    .sort((a, b) => a.currency.localeCompare(b.currency) || a.day.localeCompare(b.day));
  const keptServices = [...serviceRows].sort(byImpact).slice(0, PREVIEW_ROWS);
  return {
    snapshots,
    totals: [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, tally]) => strip(row(currency, tally))),
    byDay: keptDays.map(strip),
    byService: keptServices.map(strip),
    moreDays: dayRows.length - keptDays.length,
    moreServices: serviceRows.length - keptServices.length,
  };
}
