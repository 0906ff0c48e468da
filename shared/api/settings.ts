/** The workspace settings' contract slice: reporting currency, audit key, import thresholds and limits. */
import { z } from 'zod';
import { ImportAlertSettingsPatchSchema, ImportAlertSettingsSchema, ImportLimitsSchema } from './costs';
import { CurrencySchema, NoInputSchema } from './schemas';

export const settingsChannels = {
  /** Workspace settings and the audit public key. */
  'settings.get': {
    input: NoInputSchema,
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
} as const;
