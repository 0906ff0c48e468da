/** Contract slice for the Restatements screen: restatements ranked by impact, a page at a time. */
import { z } from 'zod';
import { RestatementSchema } from './costs';
import { ExactDecimalSchema } from './schemas';

/** Which way a restatement moved cost: up (it costs more than the earlier import said), down or not at all. */
export const CostDirectionSchema = z.enum(['up', 'down', 'none']);

export const RestatementPageInputSchema = z.strictObject({
  runId: z.string().max(40).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(50),
});
export type RestatementPageInput = z.input<typeof RestatementPageInputSchema>;

export const RankedRestatementSchema = RestatementSchema.extend({
  /** New billed less old billed (a missing side counts as 0), exact. */
  impact: ExactDecimalSchema,
  direction: CostDirectionSchema,
});

export const RestatementPageSchema = z.object({
  /** Largest absolute billed impact first. */
  rows: z.array(RankedRestatementSchema),
  total: z.number().int(),
  offset: z.number().int(),
  /** Per currency, never added across currencies. */
  summary: z.array(
    z.object({
      currency: z.string(),
      count: z.number().int(),
      increase: ExactDecimalSchema,
      decrease: ExactDecimalSchema,
      net: ExactDecimalSchema,
      direction: CostDirectionSchema,
    }),
  ),
});
export type RestatementPageView = z.infer<typeof RestatementPageSchema>;

export const restatementsChannels = {
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
} as const;
