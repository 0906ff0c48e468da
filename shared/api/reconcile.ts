/** The reconciliation capability's contract slice: sources of record (issue 17's first part). */
import { z } from 'zod';
import { IsoMonthSchema } from './schemas';

/** A billing account and period, its source of record and every source that holds it. */
export const SourceOfRecordSchema = z.object({
  billingAccountId: z.string(),
  billingPeriod: z.string(),
  /** The source whose snapshot every cost view counts. */
  source: z.string(),
  /** 'first': the first source that published the period; 'user': a person chose it. */
  chosen: z.enum(['first', 'user']),
  chosenAt: z.string(),
  /** Every source holding the period; the others are comparison sources, never added to the totals. */
  holders: z.array(
    z.object({
      source: z.string(),
      counted: z.boolean(),
      lines: z.number().int(),
      currency: z.string(),
      runId: z.string(),
    }),
  ),
});
export type SourceOfRecord = z.infer<typeof SourceOfRecordSchema>;

export const reconcileChannels = {
  /** Every billing account and period some source holds, newest period first, with its source of record. */
  'sources.list': {
    input: z.strictObject({}),
    output: z.array(SourceOfRecordSchema),
  },
  /** Makes a source that holds the billing account and period its source of record (audited). */
  'sources.setRecord': {
    input: z.strictObject({
      billingAccountId: z.string().min(1).max(200),
      billingPeriod: IsoMonthSchema,
      source: z.string().min(1).max(200),
    }),
    output: z.object({ changed: z.boolean(), before: z.string(), after: z.string() }),
  },
} as const;
