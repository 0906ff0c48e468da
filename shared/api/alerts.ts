/** The alerts capability's contract slice. */
import { z } from 'zod';
import { AlertSchema } from './jobs';

export const alertsChannels = {
  /** Recent alerts, newest first. */
  'alerts.list': {
    input: z.strictObject({
      kind: z.string().max(100).optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: z.array(AlertSchema),
  },
} as const;
