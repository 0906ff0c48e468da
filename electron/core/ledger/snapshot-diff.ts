/**
 * The line-by-line comparison of replaced snapshots with the run replacing them: shared by publishing
 * (restatements, cell alerts) and the replacement guard (what a held run would remove).
 */
import { joinExact } from '../../../shared/exact';
import type { RunPeriodScopes } from './rollups';
import type { Store } from '../store';

/** Lines added, changed, removed and left unchanged by a replacement. */
export interface PublishCounts {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

export interface SideLine {
  /** 0 for the replaced run's lines, 1 for the new run's. */
  side: bigint;
  account: string;
  id: bigint;
  lineKey: bigint;
  lineHash: bigint;
  day: string;
  service: string;
  resource: string | null;
  category: string;
  currency: string;
  billedUnits: bigint;
  billedNanos: bigint;
  billedAtto: bigint;
  billedRonto: bigint;
  effectiveUnits: bigint;
  effectiveNanos: bigint;
  effectiveAtto: bigint;
  effectiveRonto: bigint;
}

export type Restatement = { kind: 'changed' | 'added' | 'removed'; old: SideLine | null; new: SideLine | null };

/**
 * Lines or daily rollup rows of the replaced snapshots and of the new run in their run period, with
 * replacedParams. Both name their run by its number, and through it their source.
 */
export const REPLACED_ROWS = `run_seq IN (SELECT seq FROM import_run WHERE id IN (@previousRunId, @runId))
  AND billing_period = @billingPeriod AND billing_account_id IN (SELECT value FROM json_each(@accounts))`;
/** 1 for a row of the new run, 0 for one of the replaced snapshots (of REPLACED_ROWS). */
export const NEW_SIDE = `run_seq <> (SELECT seq FROM import_run WHERE id = @previousRunId)`;

/** Query parameters for the replaced snapshots `replaced` (scopes of the run they replace) and the new run. */
export function replacedParams(runId: string, replaced: RunPeriodScopes) {
  return {
    runId,
    previousRunId: replaced.runId,
    sourceId: replaced.sourceId,
    billingPeriod: replaced.billingPeriod,
    accounts: JSON.stringify(replaced.accounts),
  };
}

/** A line's billed amount, exact. */
export function billedOf(line: SideLine): bigint {
  return joinExact(line.billedUnits, line.billedNanos, line.billedAtto, line.billedRonto);
}

/**
 * Pairs old and new lines of each replaced snapshot by identity within its account (among lines sharing
 * one, equal ones first, then in hash order): every difference, and how many lines were added, changed,
 * removed and left unchanged. Writes nothing, so a held run can be judged and previewed from it.
 *
 * Both sides are read in one pass sorted by account and identity and merged here: a join of the two sides has no
 * index to use (line_key is not indexed, see schema.ts) and SQLite plans it as a nested loop, which is
 * quadratic in the snapshot's size.
 */
export function diffSnapshots(
  store: Store,
  runId: string,
  replaced: RunPeriodScopes,
): { counts: PublishCounts; differences: Restatement[] } {
  const lines = store.sqlite
    .prepare(
      `SELECT ${NEW_SIDE} AS side, billing_account_id AS account,
         id, line_key AS lineKey,
         line_hash AS lineHash, charge_day AS day, service_name AS service, resource_id AS resource,
         charge_category AS category, currency, billed_units AS billedUnits, billed_nanos AS billedNanos,
         billed_atto AS billedAtto, billed_ronto AS billedRonto, effective_units AS effectiveUnits,
         effective_nanos AS effectiveNanos, effective_atto AS effectiveAtto, effective_ronto AS effectiveRonto
       FROM cost_line
       WHERE ${REPLACED_ROWS}
       ORDER BY billing_account_id, line_key, side, line_hash, id`,
    )
    .iterate(replacedParams(runId, replaced)) as IterableIterator<SideLine>;
  const counts: PublishCounts = { added: 0, changed: 0, removed: 0, unchanged: 0 };
  const differences: Restatement[] = [];
  let group: SideLine[][] = [[], []];
  // Within one identity, equal lines pair first (they are unchanged whatever their order); the rest pair
  // in hash order as changed, and what is left over was added or removed.
  const pairGroup = () => {
    const [before, after] = group as [SideLine[], SideLine[]];
    const unmatchedBefore: SideLine[] = [];
    const unmatchedAfter: SideLine[] = [];
    let i = 0;
    let j = 0;
    while (i < before.length || j < after.length) {
      const old = before[i];
      const current = after[j];
      if (old && current && old.lineHash === current.lineHash) {
        counts.unchanged++;
        i++;
        j++;
      } else if (old && (!current || old.lineHash < current.lineHash)) {
        unmatchedBefore.push(old);
        i++;
      } else {
        unmatchedAfter.push(current!);
        j++;
      }
    }
    for (let n = 0; n < Math.max(unmatchedBefore.length, unmatchedAfter.length); n++) {
      const old = unmatchedBefore[n] ?? null;
      const current = unmatchedAfter[n] ?? null;
      const kind = !old ? 'added' : !current ? 'removed' : 'changed';
      counts[kind]++;
      differences.push({ kind, old, new: current });
    }
    group = [[], []];
  };
  let key: bigint | null = null;
  let account: string | null = null;
  for (const line of lines) {
    if (line.lineKey !== key || line.account !== account) {
      if (key !== null) pairGroup();
      key = line.lineKey;
      account = line.account;
    }
    group[Number(line.side)]!.push(line);
  }
  if (key !== null) pairGroup();
  return { counts, differences };
}
