import { z } from 'zod';
import { isIsoDay, isIsoMonth } from '../dates';

/** Money crosses every boundary as a plain decimal string (at most 9 decimals), never a JSON number. */
export const DecimalStringSchema = z.string().regex(/^-?\d+(\.\d{1,9})?$/, 'expected a decimal string');
export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code');
export const IsoDaySchema = z.string().refine(isIsoDay, 'expected a calendar day YYYY-MM-DD');
export const IsoMonthSchema = z.string().refine(isIsoMonth, 'expected a month YYYY-MM');
export const PercentStringSchema = z.string().regex(/^-?\d+(\.\d+)?$/);

export const ProviderSchema = z.enum(['aws', 'azure', 'gcp', 'other']);
export type Provider = z.infer<typeof ProviderSchema>;

export const CostMetricSchema = z.enum(['billed', 'effective']);
export type CostMetric = z.infer<typeof CostMetricSchema>;
