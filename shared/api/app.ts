/** The app capability's contract slice: what is running, in which mode, on which workspace and clock. */
import { z } from 'zod';
import { CurrencySchema, IsoDaySchema, NoInputSchema } from './schemas';

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

export const appChannels = {
  /** Version, mode, clock and open workspace. */
  'app.info': { input: NoInputSchema, output: AppInfoSchema },
} as const;
