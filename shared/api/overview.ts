/** The Overview's shapes: month-to-date, daily spend, top services and freshness. */
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
