/**
 * The ledger: the one way cost data is written, and the fragments every reader sees it through.
 *
 * A writer begins a run (beginRun), appends its lines in short transactions (lineAppender, inside
 * bulkAppend for large runs) while they stay invisible, and then publishes the run in one transaction
 * (publishRun: repoint snapshots, record restatements line by line, raise the restatement alert, update
 * the cube) or holds it for the user's confirmation; a run that cannot publish fails (failRun) and its
 * lines are collected (collectGarbage). Readers take lines and rollups of current snapshots through
 * visibleLines, visibleDailyRollup and visibleMonthlyRollup.
 */
export { bulkAppend, lineAppender, newRunScopes, type LineAppender, type RunScopes } from './append';
export { claimScope, importerAlive, releaseClaims, type ScopeClaim } from './claims';
export { collectGarbage } from './garbage';
export { MONTHLY_FLUSH_CELLS, MonthlyCells } from './monthly-cells';
export {
  compareCells,
  publishRun,
  TOP_CELLS,
  type CellAlert,
  type PendingScope,
  type PublishCounts,
  type PublishOutcome,
  type PublishPlan,
} from './publish';
export {
  PREVIEW_ROWS,
  type GuardInput,
  type HoldReason,
  type LinesAmount,
  type PreviewRow,
  type ReplacePreview,
} from './replace-guard';
export {
  applyScopeToCube,
  buildScopeMonthlyRollup,
  cellAmounts,
  groupByRunPeriod,
  type MonthlyCell,
  type RunPeriodScopes,
  type SnapshotScope,
} from './rollups';
export {
  AT,
  readRow,
  ROW_COLUMNS,
  ROW_WIDTH,
  rowBatchTransfer,
  RowBatchBuilder,
  rowText,
  writeLine,
  type LedgerLine,
  type RowBatch,
} from './row-batch';
export {
  abandonOrphanedRuns,
  beginRun,
  ensureSource,
  failRun,
  recordRunSucceeded,
  type LedgerDeps,
  type RunRecord,
  type RunStart,
} from './runs';
export {
  chooseSourceOfRecord,
  listRecords,
  recordSourceFor,
  settleRecords,
  withSourcesOfRecord,
  type RecordEntry,
  type RecordKey,
} from './records';
export { diffSnapshots, type Restatement } from './snapshot-diff';
export { retractMovedSnapshots, type SourceMove } from './source-moves';
export { holdsLinesOfOtherKinds, publishWholeRun, replaceWholeSource } from './whole-source';
export { latestVisibleDay, visibleDailyRollup, visibleLines, visibleMonthlyRollup } from './visible';
