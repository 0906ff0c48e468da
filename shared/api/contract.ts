import { z } from 'zod';
import {
  CostMetricSchema,
  CurrencySchema,
  ExactDecimalSchema,
  IsoDaySchema,
  IsoMonthSchema,
  PercentStringSchema,
  ProviderSchema,
} from './schemas';
import { AuditRecordSchema } from '../audit';
import {
  CostAnswerSchema,
  CostLineSchema,
  CostLinesInputSchema,
  CostQueryInputSchema,
  DetectedFileSchema,
  ImportDetectInputSchema,
  ImportRunSchema,
  ImportAlertSettingsPatchSchema,
  ImportAlertSettingsSchema,
  ImportLimitsSchema,
  ImportStartInputSchema,
  ImportResultSchema,
  RestatementSchema,
} from './costs';
import { AlertSchema, JobAttemptSchema, JobCountsSchema, JobSchema, JobStatusSchema, JobTypeInfoSchema } from './jobs';
import { RestatementPageInputSchema, RestatementPageSchema } from './restatements';

const NoInput = z.strictObject({});

export const AppInfoSchema = z.object({
  name: z.literal('Valdrix'),
  version: z.string(),
  mode: z.enum(['electron', 'browser']),
  asOf: IsoDaySchema,
  clockFrozen: z.boolean(),
  workspace: z.object({
    id: z.string(),
    name: z.string(),
    path: z.string(),
    schemaVersion: z.number().int(),
    isDemo: z.boolean(),
    reportingCurrency: CurrencySchema,
  }),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const OverviewGroupBySchema = z.enum(['provider', 'service']);
export type OverviewGroupBy = z.infer<typeof OverviewGroupBySchema>;

export const OverviewInputSchema = z.strictObject({
  groupBy: OverviewGroupBySchema.default('provider'),
  metric: CostMetricSchema.default('billed'),
});
export type OverviewInput = z.input<typeof OverviewInputSchema>;

const PeriodTotalSchema = z.object({ from: IsoDaySchema, to: IsoDaySchema, amount: ExactDecimalSchema });

export const OverviewSchema = z.object({
  asOf: IsoDaySchema,
  currency: CurrencySchema,
  metric: CostMetricSchema,
  /** True when the workspace holds no cost in the reporting currency. */
  empty: z.boolean(),
  /** From the 1st through the latest day with data this month (at most the as-of day). */
  monthToDate: PeriodTotalSchema,
  /** The same days of last month (day-of-month clamped to its length). */
  lastMonthSamePeriod: PeriodTotalSchema,
  lastMonth: z.object({ month: IsoMonthSchema, amount: ExactDecimalSchema }),
  /** Month-to-date against the same days of last month, in percent; null when last month was 0. */
  changePct: PercentStringSchema.nullable(),
  daily: z.object({
    groupBy: OverviewGroupBySchema,
    from: IsoDaySchema,
    to: IsoDaySchema,
    /** The chart window: the 1st of last month through monthToDate.to. */
    /** Ordered by total over the window, largest first; series beyond the limit merge into OTHER_SERIES_KEY. */
    series: z.array(z.object({ key: z.string(), label: z.string(), total: ExactDecimalSchema })),
    days: z.array(
      z.object({ day: IsoDaySchema, amounts: z.record(z.string(), ExactDecimalSchema), total: ExactDecimalSchema }),
    ),
  }),
  topServices: z.array(
    z.object({
      provider: ProviderSchema,
      service: z.string(),
      monthToDate: ExactDecimalSchema,
      lastMonthSamePeriod: ExactDecimalSchema,
      changePct: PercentStringSchema.nullable(),
      sharePct: PercentStringSchema.nullable(),
    }),
  ),
  freshness: z.object({
    latestChargeDay: IsoDaySchema.nullable(),
    lastLoadedAt: z.iso.datetime().nullable(),
    sources: z.array(z.object({ name: z.string(), kind: z.string() })),
    /** The same finality as costs.query's (electron/core/costs/finality.ts). */
    finality: z.object({ finalThrough: IsoDaySchema, rule: z.string() }),
  }),
  /** Cost in other currencies, not included above (no silent conversion). */
  otherCurrencies: z.array(z.object({ currency: CurrencySchema, amount: ExactDecimalSchema })),
});
export type Overview = z.infer<typeof OverviewSchema>;

const DayOrTimestamp = z.union([IsoDaySchema, z.iso.datetime()]);

export const AuditListInputSchema = z.strictObject({
  from: DayOrTimestamp.optional(),
  to: DayOrTimestamp.optional(),
  actor: z.string().max(200).optional(),
  action: z.string().max(200).optional(),
  entityType: z.string().max(200).optional(),
  entityId: z.string().max(200).optional(),
  beforeSeq: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

const ChainStatusSchema = z.object({
  ok: z.boolean(),
  count: z.number().int(),
  lastSeq: z.number().int().nullable(),
  lastHash: z.string(),
  firstBad: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
  checkedAt: z.iso.datetime(),
});

const JobIdInput = z.strictObject({ id: z.string().min(1).max(64) });

export const JobsListInputSchema = z.strictObject({
  statuses: z.array(JobStatusSchema).max(6).optional(),
  type: z.string().max(100).optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

/**
 * The one API contract: every channel, keyed `domain.verb`, with zod input and output schemas.
 * Electron IPC, the preload, the browser-mode HTTP bridge and the renderer client all derive from it.
 */
export const contract = {
  /** Version, mode, clock and open workspace. */
  'app.info': { input: NoInput, output: AppInfoSchema },
  /** Month-to-date against last month, daily spend by provider or service, top services, freshness. */
  'overview.get': { input: OverviewInputSchema, output: OverviewSchema },
  /** Jobs, newest first, with counts by status. */
  'jobs.list': {
    input: JobsListInputSchema,
    output: z.object({ jobs: z.array(JobSchema), counts: JobCountsSchema }),
  },
  /** One job with its attempts. */
  'jobs.get': { input: JobIdInput, output: z.object({ job: JobSchema, attempts: z.array(JobAttemptSchema) }) },
  /** Cancels a waiting job at once, or asks a running one to stop. */
  'jobs.cancel': { input: JobIdInput, output: JobSchema },
  /** Runs a failed, dead or cancelled job again. */
  'jobs.retry': { input: JobIdInput, output: JobSchema },
  /** Starts a job type that people may start (e.g. the demo job); returns at once with the job. */
  'jobs.start': {
    input: z.strictObject({ type: z.string().min(1).max(100), payload: z.unknown().optional() }),
    output: JobSchema,
  },
  /** The declared job types. */
  'jobs.types': { input: NoInput, output: z.array(JobTypeInfoSchema) },
  /** Job metrics in Prometheus text format. */
  'diagnostics.metrics': { input: NoInput, output: z.object({ text: z.string(), generatedAt: z.iso.datetime() }) },
  /**
   * Audit events, newest first, filtered, a page at a time (at most `limit` and 4 MiB of JSON; a value too
   * large for a page is replaced by a marker with its size). `total` counts every match; when `hasMore`,
   * `nextBeforeSeq` is the `beforeSeq` of the next page.
   */
  'audit.list': {
    input: AuditListInputSchema,
    output: z.object({
      events: z.array(AuditRecordSchema),
      total: z.number().int(),
      hasMore: z.boolean(),
      nextBeforeSeq: z.number().int().nullable(),
    }),
  },
  /** Re-verifies the hash chain now. */
  'audit.status': { input: NoInput, output: ChainStatusSchema },
  /** Values for the audit filters. */
  'audit.facets': {
    input: NoInput,
    output: z.object({ actions: z.array(z.string()), actors: z.array(z.string()), entityTypes: z.array(z.string()) }),
  },
  /**
   * Exports events to the workspace's exports folder with a signed manifest, or with `unsigned` an
   * unsigned one (no keychain needed; verifiable by its hash chain only). Without a keychain and without
   * `unsigned` it fails with UNAVAILABLE.
   */
  'audit.export': {
    input: z.strictObject({
      format: z.enum(['jsonl', 'csv']).default('jsonl'),
      from: DayOrTimestamp.optional(),
      to: DayOrTimestamp.optional(),
      unsigned: z.boolean().default(false),
    }),
    output: z.object({
      file: z.string(),
      manifestFile: z.string(),
      count: z.number().int(),
      lastHash: z.string().nullable(),
      fileSha256: z.string(),
      signed: z.boolean(),
      /** Null for an unsigned export. */
      publicKeyFingerprint: z.string().nullable(),
    }),
  },
  /** Whether the OS keychain that keeps the audit signing key answers, and how to get one if not. */
  'audit.keychain': {
    input: NoInput,
    output: z.object({ available: z.boolean(), problem: z.string().nullable(), help: z.string() }),
  },
  /** Workspace settings and the audit public key. */
  'settings.get': {
    input: NoInput,
    output: z.object({
      reportingCurrency: CurrencySchema,
      workspacePath: z.string(),
      auditPublicKey: z.string().nullable(),
      auditPublicKeyFingerprint: z.string().nullable(),
      importAlerts: ImportAlertSettingsSchema,
      importLimits: ImportLimitsSchema,
    }),
  },
  /** Changes the restatement alert thresholds used by imports (audited). */
  'settings.updateImportAlerts': {
    input: ImportAlertSettingsPatchSchema,
    output: ImportAlertSettingsSchema,
  },
  /** Changes the record and field size limits imports read with (audited). */
  'settings.updateImportLimits': {
    input: ImportLimitsSchema.partial().strict(),
    output: ImportLimitsSchema,
  },
  /** Detects each file's export format from its header, without importing. */
  'imports.detect': { input: ImportDetectInputSchema, output: z.array(DetectedFileSchema) },
  /** Starts an import job (all or nothing); progress and the result come through the job. */
  'imports.start': { input: ImportStartInputSchema, output: JobSchema },
  /** Import runs, newest first, with their summaries. */
  'imports.list': {
    input: z.strictObject({ limit: z.number().int().min(1).max(500).default(50) }),
    output: z.array(ImportRunSchema),
  },
  /**
   * Lets imports read a file or folder the user typed and confirmed (browser mode reads nothing else
   * but uploads); audited. Returns its real path and whether it is a file or a folder.
   */
  'imports.grantPath': {
    input: z.strictObject({ path: ImportDetectInputSchema.shape.paths.element }),
    output: z.object({ path: z.string(), kind: z.enum(['file', 'folder']) }),
  },
  /** Imports held by the replacement guard, newest first, each with why and a preview in money. */
  'imports.held': { input: NoInput, output: z.array(ImportResultSchema) },
  /** Publishes a held import as it was read (audited: costs.import_accepted). */
  'imports.accept': { input: z.strictObject({ runId: z.string().min(1).max(40) }), output: ImportResultSchema },
  /** Discards a held import: nothing is published (audited: costs.import_discarded). */
  'imports.discard': {
    input: z.strictObject({ runId: z.string().min(1).max(40) }),
    output: z.object({ runId: z.string(), status: z.literal('discarded') }),
  },
  /** Costs of current snapshots grouped by dimensions, exact. */
  'costs.query': { input: CostQueryInputSchema, output: CostAnswerSchema },
  /** Cost lines behind a cell, with their lineage. */
  'costs.lines': {
    input: CostLinesInputSchema,
    output: z.object({ lines: z.array(CostLineSchema), hasMore: z.boolean() }),
  },
  /** The same question as costs.query, as CSV text (exact amounts). */
  'costs.exportCsv': { input: CostQueryInputSchema, output: z.object({ fileName: z.string(), csv: z.string() }) },
  /** Line-level restatements recorded by imports, newest run first. */
  'restatements.list': {
    input: z.strictObject({
      runId: z.string().max(40).optional(),
      limit: z.number().int().min(1).max(5000).default(1000),
    }),
    output: z.array(RestatementSchema),
  },
  /** Restatements ranked by absolute billed impact, a page at a time, with their sums per currency. */
  'restatements.page': { input: RestatementPageInputSchema, output: RestatementPageSchema },
  /** Recent alerts, newest first. */
  'alerts.list': {
    input: z.strictObject({
      kind: z.string().max(100).optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: z.array(AlertSchema),
  },
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ChannelParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

export const channels = Object.keys(contract) as Channel[];

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
