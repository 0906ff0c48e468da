/**
 * One file, one source. Snapshots are per source, so the same export imported under a second source
 * name (say once as `--format cur2`, once detected as `aws-cur`) would be counted twice in every total.
 * Before an import writes anything, each file's SHA-256 is looked up among the files of the current
 * snapshots of other sources: such a file is refused, or, when the user asked to move it
 * (`--replace-source`), the other source's snapshots it provides are retracted in the transaction that
 * publishes the new ones, so no reader ever sees the month twice.
 */
import { AppError } from '../../../shared/api/errors';
import type { SourceMove } from '../ledger';
import type { Store } from '../store';

export type { SourceMove } from '../ledger';

interface EarlierRun {
  id: string;
  sourceId: string;
  source: string;
  summary: string;
}

interface StoredSummary {
  snapshotDigests?: { billingAccountId: string; billingPeriod: string; digest: string }[];
  fileScopes?: Record<string, { billingAccountId: string; billingPeriod: string }[]>;
}

/**
 * Whether a file of one of these sizes was imported under another source: equal hashes need equal
 * sizes, so only then must a large import hash its files before writing (see import.ts).
 */
export function sizesImportedElsewhere(store: Store, sourceId: string, sizes: readonly number[]): boolean {
  return (
    store.sqlite
      .prepare(
        `SELECT 1 FROM import_run r, json_each(r.summary, '$.fileHashes') f
         WHERE r.source_id <> ? AND r.kind = 'import' AND r.status = 'succeeded'
           AND f.value ->> 'bytes' IN (SELECT value FROM json_each(?))
         LIMIT 1`,
      )
      .get(sourceId, JSON.stringify(sizes)) !== undefined
  );
}

/**
 * The current snapshots of other sources that hold one of these files byte for byte. A snapshot is
 * the file's while its digest is still the one the run that read the file published: once different
 * content replaced it, the file is no longer current there and nothing is refused.
 */
export function filesCurrentElsewhere(
  store: Store,
  sourceId: string,
  hashes: readonly { path: string; sha256: string }[],
): SourceMove[] {
  const { sqlite } = store;
  const runsWith = sqlite.prepare(
    `SELECT r.id, r.source_id AS sourceId, s.name AS source, r.summary FROM import_run r
       JOIN cost_source s ON s.id = r.source_id
     WHERE r.source_id <> ? AND r.kind = 'import' AND r.status = 'succeeded'
       AND EXISTS (SELECT 1 FROM json_each(r.summary, '$.fileHashes') f WHERE f.value ->> 'sha256' = ?)
     ORDER BY r.id DESC`,
  );
  const current = sqlite.prepare(
    `SELECT import_run_id AS runId, digest FROM cost_snapshot
     WHERE source_id = ? AND billing_account_id = ? AND billing_period = ?`,
  );
  const moves = new Map<string, SourceMove>();
  for (const { path, sha256 } of hashes) {
    for (const run of runsWith.all(sourceId, sha256) as EarlierRun[]) {
      const summary = JSON.parse(run.summary) as StoredSummary;
      const digests = summary.snapshotDigests ?? [];
      // Runs before per-file scopes were recorded: every snapshot of the run may hold the file.
      const provided = summary.fileScopes?.[sha256] ?? digests;
      for (const scope of provided) {
        const published = digests.find(
          (d) => d.billingAccountId === scope.billingAccountId && d.billingPeriod === scope.billingPeriod,
        );
        const now = current.get(run.sourceId, scope.billingAccountId, scope.billingPeriod) as
          { runId: string; digest: string } | undefined;
        if (!published?.digest || now?.digest !== published.digest) continue;
        const key = JSON.stringify([sha256, run.sourceId, scope.billingAccountId, scope.billingPeriod]);
        if (moves.has(key)) continue;
        moves.set(key, {
          sha256,
          file: path,
          fromSourceId: run.sourceId,
          fromSource: run.source,
          runId: now.runId,
          billingAccountId: scope.billingAccountId,
          billingPeriod: scope.billingPeriod,
        });
      }
    }
  }
  return [...moves.values()];
}

/** The refusal: what is already imported where, and the two ways on. */
export function duplicateSourceError(
  moves: readonly SourceMove[],
  sourceName: string,
  fileName: (path: string) => string,
) {
  const first = moves[0]!;
  const periods = [
    ...new Set(
      moves
        .filter((m) => m.sha256 === first.sha256 && m.fromSourceId === first.fromSourceId)
        .map((m) => m.billingPeriod),
    ),
  ].sort();
  const others = new Set(moves.map((m) => m.sha256)).size - 1;
  const name = fileName(first.file);
  const message =
    `${name} is already imported as source "${first.fromSource}" (run ${first.runId}, ${periods.join(', ')}); ` +
    `importing it again as "${sourceName}" would count it twice. Import it as --source ${first.fromSource} ` +
    `to update that source, or add --replace-source to move it to "${sourceName}"` +
    (others > 0 ? ` (${others} more file${others === 1 ? '' : 's'} likewise)` : '');
  return new AppError('CONFLICT', message, {
    file: name,
    // Whole: screens show the reason, and it names the other source and the way on.
    reason: message,
    duplicates: moves.map((m) => ({
      file: fileName(m.file),
      sha256: m.sha256,
      source: m.fromSource,
      runId: m.runId,
      billingAccountId: m.billingAccountId,
      billingPeriod: m.billingPeriod,
    })),
  });
}
