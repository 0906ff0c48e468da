import { z } from 'zod';
import { isIsoDay, isIsoMonth } from '../dates';
import { parseExact } from '../exact';

/**
 * Money crosses every boundary as exact decimal text at source precision (up to 27 decimals, see
 * shared/exact.ts), never a JSON number; screens round it once, to the currency's minor unit.
 */
export const ExactDecimalSchema = z.string().regex(/^-?\d+(\.\d{1,27})?$/, 'expected an exact decimal string');
export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code');
export const IsoDaySchema = z.string().refine(isIsoDay, 'expected a calendar day YYYY-MM-DD');
export const IsoMonthSchema = z.string().refine(isIsoMonth, 'expected a month YYYY-MM');
export const PercentStringSchema = z.string().regex(/^-?\d+(\.\d+)?$/);

/**
 * A threshold or amount people set (alert thresholds, minimum amounts): plain digits with at most 9
 * decimals and 15 whole digits. No sign, exponent, spaces or bare point: what the Import screen, the
 * import job, the settings and the CLI flags all accept, so a value one of them takes is never refused
 * by another.
 */
export const NonNegativeDecimalSchema = z
  .string()
  .regex(/^\d{1,15}(\.\d{1,9})?$/, 'expected a non-negative number (digits, at most 9 decimals)');

const HUNDRED = parseExact('100');

/** A share of a whole, from 0 to 100 percent, written as NonNegativeDecimalSchema. */
export const PercentSchema = NonNegativeDecimalSchema.refine(
  (value) => parseExact(value) <= HUNDRED,
  'expected a percent from 0 to 100',
);

export const ProviderSchema = z.enum(['aws', 'azure', 'gcp', 'other']);
export type Provider = z.infer<typeof ProviderSchema>;

export const CostMetricSchema = z.enum(['billed', 'effective']);
export type CostMetric = z.infer<typeof CostMetricSchema>;

/** The input of a channel that takes none. */
export const NoInputSchema = z.strictObject({});
