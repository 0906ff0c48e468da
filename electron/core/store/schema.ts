import { sql } from 'drizzle-orm';
import { index, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { int, json, nanos, syncColumns } from './columns';

/** Workspace-level facts: id, name, creation, demo flag. One row per key. */
export const workspaceMetaTable = sqliteTable('workspace_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** User and workspace settings; synced later, hence the sync columns. */
export const settingTable = sqliteTable('setting', {
  ...syncColumns(),
  key: text('key').notNull().unique(),
  value: json<unknown>('value').notNull(),
});

/** Where cost data comes from: an export location, a connector, or the demo generator. */
export const costSourceTable = sqliteTable('cost_source', {
  ...syncColumns(),
  name: text('name').notNull().unique(),
  kind: text('kind').notNull(),
  createdAt: text('created_at').notNull(),
});

/** The number of a run inserted now: the next after every numbered run (SQL, for an INSERT's values). */
export const NEXT_RUN_SEQ = '(SELECT COALESCE(MAX(seq), 0) + 1 FROM import_run)';

/** One load of cost data (an import, a connector sync, demo generation). */
export const importRunTable = sqliteTable(
  'import_run',
  {
    id: text('id').primaryKey(),
    // The run's number in this workspace (1, 2, …, in creation order), by which its lines and daily
    // rollup rows name it (and through it their source): an integer on every line, index entry and
    // rollup row instead of the run's and source's 26-character ids, which took a fifth of the database
    // (566 → 444 MiB for 730,000 lines; migration 0014). Null only before a run is numbered: every
    // writer numbers a run as it inserts it (NEXT_RUN_SEQ).
    seq: int('seq').unique(),
    sourceId: text('source_id')
      .notNull()
      .references(() => costSourceTable.id),
    kind: text('kind').notNull(),
    status: text('status').notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    rowsRead: int('rows_read').notNull().default(0),
    summary: json<Record<string, unknown>>('summary').notNull().default({}),
  },
  (t) => [index('import_run_source_idx').on(t.sourceId)],
);

/**
 * Normalised cost line, aligned with FOCUS columns. Amounts are nano-unit integers; tags are a JSON
 * object; lineage (run, file, line) says where every row came from.
 */
export const costLineTable = sqliteTable(
  'cost_line',
  {
    id: int('id').primaryKey(),
    /** The run that wrote the line (import_run.seq), which also names its source. */
    runSeq: int('run_seq')
      .notNull()
      .references(() => importRunTable.seq),
    provider: text('provider').notNull(),
    billingAccountId: text('billing_account_id').notNull(),
    billingAccountName: text('billing_account_name'),
    subAccountId: text('sub_account_id'),
    subAccountName: text('sub_account_name'),
    serviceName: text('service_name').notNull(),
    serviceCategory: text('service_category'),
    region: text('region'),
    resourceId: text('resource_id'),
    skuId: text('sku_id'),
    chargeCategory: text('charge_category').notNull(),
    chargeClass: text('charge_class'),
    chargeDay: text('charge_day').notNull(),
    chargePeriodStart: text('charge_period_start').notNull(),
    chargePeriodEnd: text('charge_period_end').notNull(),
    billingPeriod: text('billing_period').notNull(),
    invoiceId: text('invoice_id'),
    currency: text('currency').notNull(),
    billedNanos: nanos('billed_nanos').notNull(),
    effectiveNanos: nanos('effective_nanos').notNull(),
    listNanos: nanos('list_nanos'),
    pricingQuantity: text('pricing_quantity'),
    pricingUnit: text('pricing_unit'),
    tags: json<Record<string, string>>('tags').notNull().default({}),
    fileName: text('file_name'),
    lineNumber: int('line_number'),
    ingestedAt: text('ingested_at').notNull(),
    // amount = units + nanos·10⁻⁹ + atto·10⁻¹⁸ + ronto·10⁻²⁷ (shared/exact.ts); units floored.
    billedAtto: nanos('billed_atto')
      .notNull()
      .default(sql`0`),
    billedRonto: nanos('billed_ronto')
      .notNull()
      .default(sql`0`),
    effectiveAtto: nanos('effective_atto')
      .notNull()
      .default(sql`0`),
    effectiveRonto: nanos('effective_ronto')
      .notNull()
      .default(sql`0`),
    listAtto: nanos('list_atto'),
    listRonto: nanos('list_ronto'),
    resourceName: text('resource_name'),
    chargeDescription: text('charge_description'),
    commitmentDiscountId: text('commitment_discount_id'),
    commitmentDiscountType: text('commitment_discount_type'),
    commitmentDiscountStatus: text('commitment_discount_status'),
    /** 64-bit hash of the line's identity (dimensions, no amounts): what restatements match on. */
    lineKey: nanos('line_key'),
    /** 64-bit hash of identity plus amounts and attributes: equal hashes mean an unchanged line. */
    lineHash: nanos('line_hash'),
    // Whole units of the amounts; with them the *_nanos columns hold only the 0–999,999,999 fraction
    // (migration 0008), so sums never overflow (shared/exact.ts).
    billedUnits: nanos('billed_units')
      .notNull()
      .default(sql`0`),
    effectiveUnits: nanos('effective_units')
      .notNull()
      .default(sql`0`),
    listUnits: nanos('list_units'),
  },
  (t) => [
    // One index only, in the order lines arrive (migration 0013): a run's lines of one billing period
    // append at the end of the index, day after day, where keying by account first (0006–0012) made every
    // batch insert in as many places as the file has accounts, which cost the bulk import a sixth of its
    // time. Readers range over days within each current run period and keep current accounts (see
    // rollup.ts, VISIBLE_LINES).
    // line_key is left out (migration 0011): a hash places every insert at a random spot in the index,
    // which cost the bulk import a quarter of its writing time; the restatement diff sorts by it instead.
    index('cost_line_run_period_idx').on(t.runSeq, t.billingPeriod, t.chargeDay),
  ],
);

/**
 * The snapshot scopes each import run has written lines for, recorded as the run writes them, so a
 * failed or superseded run's lines can be found and collected without scanning every line.
 */
export const importRunScopeTable = sqliteTable(
  'import_run_scope',
  {
    importRunId: text('import_run_id').notNull(),
    sourceId: text('source_id').notNull(),
    billingAccountId: text('billing_account_id').notNull(),
    billingPeriod: text('billing_period').notNull(),
  },
  (t) => [primaryKey({ columns: [t.importRunId, t.sourceId, t.billingAccountId, t.billingPeriod] })],
);

/**
 * Which running import holds each (source, billing account, billing period). An import takes a scope
 * the moment its scan first meets it, and gives it up when it publishes, fails or is found abandoned:
 * a second import of the same data is refused at once, naming the first, instead of the two waiting
 * on each other's write lock until one fails.
 */
export const importClaimTable = sqliteTable(
  'import_claim',
  {
    sourceId: text('source_id').notNull(),
    billingAccountId: text('billing_account_id').notNull(),
    billingPeriod: text('billing_period').notNull(),
    importRunId: text('import_run_id')
      .notNull()
      .references(() => importRunTable.id),
    claimedAt: text('claimed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.billingAccountId, t.billingPeriod] })],
);

/**
 * The current snapshot of each (source, billing account, billing period): which import run's lines
 * are visible. An import writes its lines under a new run, invisible, then repoints these rows in one
 * short transaction; that swap is what makes an import all-or-nothing.
 */
export const costSnapshotTable = sqliteTable(
  'cost_snapshot',
  {
    sourceId: text('source_id')
      .notNull()
      .references(() => costSourceTable.id),
    billingAccountId: text('billing_account_id').notNull(),
    billingPeriod: text('billing_period').notNull(),
    importRunId: text('import_run_id')
      .notNull()
      .references(() => importRunTable.id),
    /** Order-independent digest of the snapshot's line hashes ('' when unknown): equal digests, same snapshot. */
    digest: text('digest').notNull(),
    lineCount: int('line_count').notNull(),
    currency: text('currency').notNull(),
    billedNanos: nanos('billed_nanos').notNull(),
    billedAtto: nanos('billed_atto').notNull(),
    billedRonto: nanos('billed_ronto').notNull(),
    effectiveNanos: nanos('effective_nanos').notNull(),
    effectiveAtto: nanos('effective_atto').notNull(),
    effectiveRonto: nanos('effective_ronto').notNull(),
    updatedAt: text('updated_at').notNull(),
    billedUnits: nanos('billed_units')
      .notNull()
      .default(sql`0`),
    effectiveUnits: nanos('effective_units')
      .notNull()
      .default(sql`0`),
    /**
     * 1 when this source is the source of record for the snapshot's billing account and period
     * (source_of_record): cost views count only these. Another source's snapshot of the same account and
     * period is a comparison source, kept current but never added to the totals.
     */
    counted: int('counted').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.sourceId, t.billingAccountId, t.billingPeriod] }),
    index('cost_snapshot_run_idx').on(t.importRunId),
  ],
);

/**
 * The source of record of each billing account and period that some source holds: the first source that
 * published it, or the one a person chose (`chosen` 'first' or 'user').
 */
export const sourceOfRecordTable = sqliteTable(
  'source_of_record',
  {
    billingAccountId: text('billing_account_id').notNull(),
    billingPeriod: text('billing_period').notNull(),
    sourceId: text('source_id')
      .notNull()
      .references(() => costSourceTable.id),
    chosen: text('chosen', { enum: ['first', 'user'] }).notNull(),
    chosenAt: text('chosen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.billingAccountId, t.billingPeriod] })],
);

/** Line-level differences an import made to a snapshot it replaced. */
export const costRestatementTable = sqliteTable(
  'cost_restatement',
  {
    id: int('id').primaryKey(),
    importRunId: text('import_run_id')
      .notNull()
      .references(() => importRunTable.id),
    previousRunId: text('previous_run_id').notNull(),
    sourceId: text('source_id').notNull(),
    billingAccountId: text('billing_account_id').notNull(),
    billingPeriod: text('billing_period').notNull(),
    kind: text('kind').$type<'changed' | 'added' | 'removed'>().notNull(),
    oldLineId: int('old_line_id'),
    newLineId: int('new_line_id'),
    chargeDay: text('charge_day').notNull(),
    serviceName: text('service_name').notNull(),
    resourceId: text('resource_id'),
    chargeCategory: text('charge_category').notNull(),
    currency: text('currency').notNull(),
    /** Exact decimal strings; null on the side that does not exist. */
    oldBilled: text('old_billed'),
    newBilled: text('new_billed'),
    oldEffective: text('old_effective'),
    newEffective: text('new_effective'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    index('cost_restatement_run_idx').on(t.importRunId),
    // Superseded lines a restatement points at are kept as evidence; clean-up asks this index.
    index('cost_restatement_old_line_idx').on(t.oldLineId),
  ],
);

/** A rollup row's cell after its run: period, dimensions and exact sums. */
const rollupCellColumns = () => ({
  billingPeriod: text('billing_period').notNull(),
  provider: text('provider').notNull(),
  billingAccountId: text('billing_account_id').notNull(),
  subAccountId: text('sub_account_id').notNull(),
  serviceName: text('service_name').notNull(),
  serviceCategory: text('service_category').notNull(),
  region: text('region').notNull(),
  chargeCategory: text('charge_category').notNull(),
  currency: text('currency').notNull(),
  billedNanos: nanos('billed_nanos').notNull(),
  billedAtto: nanos('billed_atto').notNull(),
  billedRonto: nanos('billed_ronto').notNull(),
  effectiveNanos: nanos('effective_nanos').notNull(),
  effectiveAtto: nanos('effective_atto').notNull(),
  effectiveRonto: nanos('effective_ronto').notNull(),
  lineCount: int('line_count').notNull(),
  billedUnits: nanos('billed_units')
    .notNull()
    .default(sql`0`),
  effectiveUnits: nanos('effective_units')
    .notNull()
    .default(sql`0`),
});

/**
 * Daily aggregates per import run and snapshot; only rows of a current snapshot count (queries join
 * cost_snapshot). Written with the run's lines, before the run becomes visible.
 */
export const costRollupDailyTable = sqliteTable(
  'cost_rollup_daily',
  {
    day: text('day').notNull(),
    /** The run, by number like lines (import_run.seq): it also names the source. */
    runSeq: int('run_seq').notNull(),
    ...rollupCellColumns(),
  },
  (t) => [
    // WITHOUT ROWID (migrations 0011, 0013): the rows of a batch merge into their cell (ON CONFLICT)
    // instead of piling up under secondary indexes. Keyed by run, period, then day, the order an export
    // is written in, so a bulk import appends; keyed by account before day (0011–0012), each batch wrote
    // in as many places as the file has accounts, which cost a fifth of the import's time. Readers range
    // over days within a run's period and keep current accounts (see VISIBLE_DAILY_ROLLUP).
    primaryKey({
      columns: [
        t.runSeq,
        t.billingPeriod,
        t.day,
        t.billingAccountId,
        t.provider,
        t.subAccountId,
        t.serviceName,
        t.serviceCategory,
        t.region,
        t.chargeCategory,
        t.currency,
      ],
    }),
  ],
);

/**
 * Month × provider × service × region × charge category totals of the current snapshots only, kept
 * in step by the transaction that publishes snapshots (old snapshot subtracted, new one added). It
 * answers the common questions (cost by service by month over years) from a few thousand rows with no
 * snapshot join; questions by account or day use the rollups.
 */
export const costCubeMonthlyTable = sqliteTable(
  'cost_cube_monthly',
  {
    month: text('month').notNull(),
    provider: text('provider').notNull(),
    serviceName: text('service_name').notNull(),
    serviceCategory: text('service_category').notNull(),
    region: text('region').notNull(),
    chargeCategory: text('charge_category').notNull(),
    currency: text('currency').notNull(),
    billedUnits: nanos('billed_units').notNull(),
    billedNanos: nanos('billed_nanos').notNull(),
    billedAtto: nanos('billed_atto').notNull(),
    billedRonto: nanos('billed_ronto').notNull(),
    effectiveUnits: nanos('effective_units').notNull(),
    effectiveNanos: nanos('effective_nanos').notNull(),
    effectiveAtto: nanos('effective_atto').notNull(),
    effectiveRonto: nanos('effective_ronto').notNull(),
    lineCount: int('line_count').notNull(),
  },
  (t) => [
    // Service first: "by service and month" reads the table in key order, with no sort (migration 0010
    // also makes it WITHOUT ROWID, so the rows live in that order).
    primaryKey({
      columns: [t.serviceName, t.month, t.currency, t.provider, t.serviceCategory, t.region, t.chargeCategory],
    }),
  ],
);

/** Monthly aggregates, same rules: a two-year question reads thousands of rows, not millions. */
export const costRollupMonthlyTable = sqliteTable(
  'cost_rollup_monthly',
  {
    month: text('month').notNull(),
    importRunId: text('import_run_id').notNull(),
    sourceId: text('source_id').notNull(),
    ...rollupCellColumns(),
  },
  (t) => [index('cost_rollup_monthly_snapshot_idx').on(t.importRunId, t.sourceId, t.billingAccountId, t.billingPeriod)],
);

/** Job states; see docs/jobs.md for the transitions. */
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'dead'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * Durable background jobs. Times are epoch milliseconds from the job system's wall clock (leases and
 * schedules run on real time even when the business clock is frozen with --as-of). A dedup key is
 * unique while the job is not finished.
 */
export const jobTable = sqliteTable(
  'job',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    payload: json<unknown>('payload').notNull(),
    dedupKey: text('dedup_key'),
    status: text('status').$type<JobStatus>().notNull(),
    priority: int('priority').notNull().default(0),
    attempts: int('attempts').notNull().default(0),
    maxAttempts: int('max_attempts').notNull(),
    nextRunAt: int('next_run_at').notNull(),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: int('lease_expires_at'),
    heartbeatAt: int('heartbeat_at'),
    cancelRequested: int('cancel_requested').notNull().default(0),
    progressDone: int('progress_done'),
    progressTotal: int('progress_total'),
    progressUnit: text('progress_unit'),
    progressMessage: text('progress_message'),
    result: json<unknown>('result'),
    error: json<{ code: string; message: string; details?: unknown }>('error'),
    scheduleId: text('schedule_id'),
    createdAt: int('created_at').notNull(),
    startedAt: int('started_at'),
    finishedAt: int('finished_at'),
    updatedAt: int('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('job_dedup_active_idx')
      .on(t.dedupKey)
      .where(sql`${t.dedupKey} IS NOT NULL AND ${t.status} IN ('queued', 'running', 'failed')`),
    // The claim query's order, over waiting jobs only: a claim reads a few index entries, not every job.
    index('job_claim_idx')
      .on(sql`${t.priority} DESC`, t.nextRunAt, t.id)
      .where(sql`${t.status} IN ('queued', 'failed')`),
    index('job_running_idx').on(t.status, t.leaseExpiresAt),
    index('job_type_status_idx').on(t.type, t.status),
    index('job_updated_idx').on(t.updatedAt),
  ],
);

/** One row per attempt of a job: durations, outcomes and errors for history and metrics. */
export const jobAttemptTable = sqliteTable(
  'job_attempt',
  {
    id: int('id').primaryKey(),
    jobId: text('job_id')
      .notNull()
      .references(() => jobTable.id, { onDelete: 'cascade' }),
    attempt: int('attempt').notNull(),
    runner: text('runner').notNull(),
    startedAt: int('started_at').notNull(),
    finishedAt: int('finished_at'),
    outcome: text('outcome'),
    error: json<{ code: string; message: string; details?: unknown }>('error'),
  },
  (t) => [index('job_attempt_job_idx').on(t.jobId), index('job_attempt_finished_idx').on(t.finishedAt)],
);

/** Persisted schedules: a job type enqueued every N minutes or daily at a local time. */
export const jobScheduleTable = sqliteTable('job_schedule', {
  ...syncColumns(),
  name: text('name').notNull().unique(),
  type: text('type').notNull(),
  payload: json<unknown>('payload').notNull(),
  spec: json<{ everyMinutes: number } | { dailyAt: string }>('spec').notNull(),
  enabled: int('enabled').notNull().default(1),
  nextRunAt: int('next_run_at').notNull(),
  lastEnqueuedAt: int('last_enqueued_at'),
  lastJobId: text('last_job_id'),
});

/** Alerts for people: stuck jobs now; cost changes, anomalies and integrity failures later. */
export const alertTable = sqliteTable(
  'alert',
  {
    ...syncColumns(),
    kind: text('kind').notNull(),
    severity: text('severity').$type<'info' | 'warning' | 'critical'>().notNull(),
    title: text('title').notNull(),
    message: text('message').notNull(),
    details: json<unknown>('details').notNull().default({}),
    entityType: text('entity_type'),
    entityId: text('entity_id'),
    createdAt: text('created_at').notNull(),
    acknowledgedAt: text('acknowledged_at'),
  },
  (t) => [
    index('alert_kind_created_idx').on(t.kind, t.createdAt),
    // Raising an alert first looks for an open one on the same entity; without this index that look-up
    // scanned every alert of the kind, so a restatement raising 300,000 cell alerts took minutes.
    index('alert_kind_entity_idx').on(t.kind, t.entityId),
  ],
);

/**
 * The audit trail: append-only (triggers reject UPDATE and DELETE, see migration 0003), hash-chained
 * (docs/audit.md). JSON columns hold canonical JSON text so a record can be re-hashed exactly.
 */
export const auditEventTable = sqliteTable(
  'audit_event',
  {
    seq: int('seq').primaryKey(),
    ts: text('ts').notNull(),
    actorOs: text('actor_os').notNull(),
    actorUser: text('actor_user'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    before: text('before').notNull(),
    after: text('after').notNull(),
    details: text('details').notNull(),
    runId: text('run_id'),
    appVersion: text('app_version').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_event_ts_idx').on(t.ts),
    index('audit_event_action_idx').on(t.action),
    index('audit_event_entity_idx').on(t.entityType, t.entityId),
  ],
);
