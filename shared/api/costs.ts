/** Contract schemas for importing cost data and asking questions of it. Money is exact decimal text. */
import { z } from 'zod';
import { ContainerSchema, FormatChoiceSchema, FormatIdSchema } from './formats';
import { OverviewInputSchema, OverviewSchema } from './overview';
import { CurrencySchema, ExactDecimalSchema, IsoDaySchema, NonNegativeDecimalSchema, PercentSchema } from './schemas';

/** A path on the machine running the core: absolute, no NUL bytes. */
const LocalPathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'a path cannot contain NUL')
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'expected an absolute path');

/** Restatement alerts: cells that moved more than alertThresholdPct percent and at least alertMinAmount. */
export const ImportAlertSettingsSchema = z.strictObject({
  /** Percent a cell may move; past 100 is allowed (a cell that trebled moved 200 %). */
  alertThresholdPct: NonNegativeDecimalSchema,
  alertMinAmount: NonNegativeDecimalSchema,
  /** The replacement guard: percent of a snapshot's lines or cost an import may remove before it is held. */
  replaceGuardPct: PercentSchema,
});

/** A change to some of the import alert settings (settings.updateImportAlerts, `valdrix settings set`). */
export const ImportAlertSettingsPatchSchema = ImportAlertSettingsSchema.partial().strict();

/**
 * How large a record and a field of an imported file may be, in characters (bytes for ASCII); the core
 * checks the range (1 KiB to 256 MiB, a field at most a record).
 */
export const ImportLimitsSchema = z.strictObject({
  maxRecordBytes: z.number().int().positive(),
  maxFieldBytes: z.number().int().positive(),
});

export const ImportDetectInputSchema = z.strictObject({
  paths: z.array(LocalPathSchema).min(1).max(1000),
  format: FormatChoiceSchema.default('auto'),
});

export const DetectedFileSchema = z.object({
  path: z.string(),
  container: ContainerSchema,
  columnCount: z.number().int(),
  format: FormatIdSchema.nullable(),
  variant: z.string().nullable(),
  scores: z.array(z.object({ format: FormatIdSchema, score: z.number() })),
  error: z.string().nullable(),
});
export type DetectedFileView = z.infer<typeof DetectedFileSchema>;

export const ImportStartInputSchema = z.strictObject({
  paths: z.array(LocalPathSchema).min(1).max(1000),
  format: FormatChoiceSchema.default('auto'),
  source: z.string().trim().min(1).max(200).optional(),
  skipBadRows: z.boolean().default(false),
  alertThresholdPct: NonNegativeDecimalSchema.optional(),
  alertMinAmount: NonNegativeDecimalSchema.optional(),
  currency: CurrencySchema.optional(),
  billingAccountId: z.string().trim().min(1).max(200).optional(),
  /** Publish even when the replacement guard would hold the import (the user confirmed it). */
  confirmReplace: z.boolean().optional(),
  /** Move files already current under another source to this one instead of refusing them (CONFLICT). */
  replaceSource: z.boolean().optional(),
});
export type ImportStartInput = z.input<typeof ImportStartInputSchema>;

export const SkippedRowSchema = z.object({
  file: z.string(),
  line: z.number().int().nullable(),
  column: z.string().nullable(),
  message: z.string(),
});

export const CellAlertSchema = z.object({
  day: IsoDaySchema,
  billingAccountId: z.string(),
  serviceName: z.string(),
  currency: z.string(),
  old: ExactDecimalSchema,
  new: ExactDecimalSchema,
  percent: z.string().nullable(),
});

export const LinesAmountSchema = z.object({ lines: z.number().int(), amount: ExactDecimalSchema });
export const PreviewRowSchema = z.object({
  currency: z.string(),
  added: LinesAmountSchema,
  changed: LinesAmountSchema,
  removed: LinesAmountSchema,
  net: ExactDecimalSchema,
});

/** Why the replacement guard held an import; `message` says it in words. */
export const HoldReasonSchema = z.discriminatedUnion('code', [
  z.object({
    code: z.literal('lines_removed'),
    message: z.string(),
    billingAccountId: z.string(),
    billingPeriod: z.string(),
    before: z.number().int(),
    removed: z.number().int(),
  }),
  z.object({
    code: z.literal('cost_removed'),
    message: z.string(),
    billingAccountId: z.string(),
    billingPeriod: z.string(),
    currency: z.string(),
    before: ExactDecimalSchema,
    removed: ExactDecimalSchema,
    share: z.string(),
  }),
  z.object({
    code: z.literal('days_dropped'),
    message: z.string(),
    billingAccountId: z.string(),
    billingPeriod: z.string(),
    days: z.array(IsoDaySchema),
  }),
  z.object({ code: z.literal('rows_skipped'), message: z.string(), count: z.number().int() }),
]);

/** What publishing a held import would do, exact per currency: in all, by day and by service. */
export const ReplacePreviewSchema = z.object({
  snapshots: z.array(
    z.object({
      billingAccountId: z.string(),
      billingPeriod: z.string(),
      currency: z.string(),
      linesBefore: z.number().int(),
      linesAfter: z.number().int(),
      billedBefore: ExactDecimalSchema,
      billedAfter: ExactDecimalSchema,
    }),
  ),
  totals: z.array(PreviewRowSchema),
  byDay: z.array(PreviewRowSchema.extend({ day: IsoDaySchema })),
  byService: z.array(PreviewRowSchema.extend({ serviceName: z.string() })),
  moreDays: z.number().int(),
  moreServices: z.number().int(),
});
export type ReplacePreviewView = z.infer<typeof ReplacePreviewSchema>;

/** An exact total in one currency. */
export const CurrencyTotalSchema = z.object({
  currency: z.string(),
  billed: ExactDecimalSchema,
  effective: ExactDecimalSchema,
});
export type CurrencyTotal = z.infer<typeof CurrencyTotalSchema>;

/** The `valdrix import --json` shape and the import job's result (docs/cli.md). */
export const ImportResultSchema = z.object({
  runId: z.string(),
  source: z.string(),
  files: z.array(
    z.object({
      path: z.string(),
      format: FormatIdSchema,
      variant: z.string(),
      container: ContainerSchema,
      rows: z.number().int(),
    }),
  ),
  rowsRead: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  removed: z.number().int(),
  restated: z.number().int(),
  snapshots: z.array(
    z.object({
      billingAccountId: z.string(),
      billingPeriod: z.string(),
      status: z.enum(['new', 'replaced', 'unchanged']),
      lines: z.number().int(),
      /**
       * Set when another source is this billing account and period's source of record: the snapshot is
       * kept as a comparison source and not counted in any total (`valdrix sources record` changes it).
       */
      sourceOfRecord: z.string().optional(),
    }),
  ),
  skipped: z.array(SkippedRowSchema),
  skippedCount: z.number().int(),
  /** The first 1,000 cell alerts; alertCount counts all (each is in the alert list too). */
  alerts: z.array(CellAlertSchema),
  alertCount: z.number().int(),
  /** 'held': written but not published, waiting for `import accept` (see replace-guard.ts). */
  status: z.enum(['published', 'held']),
  /** Why the run is held and what publishing it would do; only when held. */
  held: z.object({ reasons: z.array(HoldReasonSchema), preview: ReplacePreviewSchema }).optional(),
  /** The run's one restatement alert, when cells moved past the thresholds. */
  alertId: z.string().nullable().optional(),
  /** One entry per currency, sorted by code: amounts in different currencies are never added. */
  totals: z.array(CurrencyTotalSchema),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;

/**
 * An import result as a job stored it, whichever version wrote it: results written before alertCount
 * and status existed count their listed alerts and were published.
 */
export const StoredImportResultSchema = z.preprocess((value) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const older = value as { alertCount?: unknown; status?: unknown; alerts?: unknown };
  return {
    ...value,
    alertCount: older.alertCount ?? (Array.isArray(older.alerts) ? older.alerts.length : undefined),
    status: older.status ?? 'published',
  };
}, ImportResultSchema);

export const ImportRunSchema = z.object({
  id: z.string(),
  source: z.string(),
  status: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  rowsRead: z.number().int(),
  summary: z.record(z.string(), z.unknown()),
});

/** What a cost question groups and filters by, besides `tag:KEY`. */
export const COST_DIMENSIONS = [
  'provider',
  'billing_account',
  'sub_account',
  'service',
  'service_category',
  'region',
  'resource',
  'charge_category',
  'day',
  'month',
] as const;

export const CostDimensionSchema = z.union([
  z.enum(COST_DIMENSIONS),
  z.templateLiteral(['tag:', z.string().min(1).max(200)]),
]);
export type CostDimension = z.infer<typeof CostDimensionSchema>;

/** Which days a cost question counts: final, preliminary (inside the finalization window), or all. */
export const CostStatusSchema = z.enum(['final', 'preliminary', 'all']);
export type CostStatus = z.infer<typeof CostStatusSchema>;

/**
 * Only rows whose dimension equals one of the values ('' or null matches a missing value). Keys are
 * dimensions: anything else is refused here, before it could reach a query.
 */
export const CostFiltersSchema = z.partialRecord(
  CostDimensionSchema,
  z.array(z.string().max(500).nullable()).max(200),
  {
    error: (issue) =>
      issue.code === 'invalid_key'
        ? `unknown filter dimension: use ${COST_DIMENSIONS.join(', ')} or tag:KEY`
        : undefined,
  },
);

export const CostQueryInputSchema = z
  .strictObject({
    from: IsoDaySchema.optional(),
    to: IsoDaySchema.optional(),
    by: z.array(CostDimensionSchema).max(6).default([]),
    status: CostStatusSchema.default('all'),
    filters: CostFiltersSchema.optional(),
    limit: z.number().int().min(1).max(100_000).default(5000),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, 'from is after to');
export type CostQueryInput = z.input<typeof CostQueryInputSchema>;

/** One group of a cost answer: exact sums in one currency, and the group's value of each asked dimension by name. */
export const CostRowSchema = z
  .object({ billed: ExactDecimalSchema, effective: ExactDecimalSchema, currency: z.string() })
  .catchall(z.string().nullable());
export type CostRow = z.infer<typeof CostRowSchema>;

export const CostAnswerSchema = z.object({
  rows: z.array(CostRowSchema),
  /**
   * One total per currency, sorted by code, each summed exactly over every matching row (also those past
   * `limit`). There is no total across currencies: amounts in different currencies are never added.
   */
  totals: z.array(CurrencyTotalSchema),
  /** Which tables answered ('mixed': monthly for whole months, daily for the partial ones): diagnostics. */
  grain: z.enum(['monthly', 'daily', 'line', 'mixed']),
  truncated: z.boolean(),
  finality: z.object({ finalThrough: IsoDaySchema, rule: z.string() }),
});
export type CostAnswer = z.infer<typeof CostAnswerSchema>;

export const CostLinesInputSchema = z.strictObject({
  from: IsoDaySchema.optional(),
  to: IsoDaySchema.optional(),
  filters: CostFiltersSchema.optional(),
  /** Same meaning as in costs.query, so a drill-down lists exactly the lines behind a cell. */
  status: CostStatusSchema.default('all'),
  currency: CurrencySchema.optional(),
  /** Specific line ids (restatement drill-down); superseded lines are included when asked by id. */
  ids: z.array(z.number().int().positive()).max(1000).optional(),
  limit: z.number().int().min(1).max(1000).default(200),
  offset: z.number().int().min(0).default(0),
});

export const CostLineSchema = z.object({
  id: z.number().int(),
  provider: z.string(),
  billingAccountId: z.string(),
  subAccountId: z.string().nullable(),
  serviceName: z.string(),
  region: z.string().nullable(),
  resourceId: z.string().nullable(),
  chargeCategory: z.string(),
  chargeDay: z.string(),
  billingPeriod: z.string(),
  currency: z.string(),
  billed: ExactDecimalSchema,
  effective: ExactDecimalSchema,
  list: ExactDecimalSchema.nullable(),
  tags: z.record(z.string(), z.string()),
  lineage: z.object({
    source: z.string(),
    runId: z.string(),
    file: z.string().nullable(),
    line: z.number().int().nullable(),
    ingestedAt: z.string(),
    current: z.boolean(),
  }),
});
export type CostLineView = z.infer<typeof CostLineSchema>;

export const RestatementSchema = z.object({
  id: z.number().int(),
  runId: z.string(),
  previousRunId: z.string(),
  source: z.string(),
  billingAccountId: z.string(),
  billingPeriod: z.string(),
  kind: z.enum(['changed', 'added', 'removed']),
  chargeDay: z.string(),
  serviceName: z.string(),
  resourceId: z.string().nullable(),
  chargeCategory: z.string(),
  currency: z.string(),
  oldBilled: ExactDecimalSchema.nullable(),
  newBilled: ExactDecimalSchema.nullable(),
  oldEffective: ExactDecimalSchema.nullable(),
  newEffective: ExactDecimalSchema.nullable(),
  oldLineId: z.number().int().nullable(),
  newLineId: z.number().int().nullable(),
  createdAt: z.string(),
});
export type RestatementView = z.infer<typeof RestatementSchema>;

/** The costs capability's contract slice: the Overview and cost questions. */
export const costsChannels = {
  /** Month-to-date against last month, daily spend by provider or service, top services, freshness. */
  'overview.get': { input: OverviewInputSchema, output: OverviewSchema },
  /** Costs of current snapshots grouped by dimensions, exact. */
  'costs.query': { input: CostQueryInputSchema, output: CostAnswerSchema },
  /** Cost lines behind a cell, with their lineage. */
  'costs.lines': {
    input: CostLinesInputSchema,
    output: z.object({ lines: z.array(CostLineSchema), hasMore: z.boolean() }),
  },
  /** The same question as costs.query, as CSV text (exact amounts). */
  'costs.exportCsv': { input: CostQueryInputSchema, output: z.object({ fileName: z.string(), csv: z.string() }) },
} as const;
