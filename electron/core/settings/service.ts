/** The workspace settings' services and handlers: reporting currency, audit key, import thresholds and limits. */
import type { z } from 'zod';
import type { HandlersOf } from '../../../shared/api/contract';
import { ImportAlertSettingsPatchSchema } from '../../../shared/api/costs';
import type { settingsChannels } from '../../../shared/api/settings';
import { publicKeyFingerprint, storedPublicKey } from '../audit';
import type { CoreContext, CoreKit } from '../context';
import { importLimits, importSettings, updateImportLimits, updateImportSettings } from '../ingest';
import { reportingCurrency } from '../workspace';

export function createSettingsServices(ctx: CoreContext, kit: CoreKit) {
  const { audit, store } = ctx.workspace;
  return {
    settings: {
      get() {
        const publicKey = storedPublicKey(store);
        return {
          reportingCurrency: reportingCurrency(store),
          workspacePath: ctx.workspace.paths.dir,
          auditPublicKey: publicKey,
          auditPublicKeyFingerprint: publicKey ? publicKeyFingerprint(publicKey) : null,
          importAlerts: importSettings(store),
          importLimits: importLimits(store),
        };
      },
      /** The restatement alert thresholds; every change is audited with before and after. */
      async updateImportAlerts(input: z.input<typeof ImportAlertSettingsPatchSchema>) {
        const patch = ImportAlertSettingsPatchSchema.parse(input);
        return kit.atomically(() => updateImportSettings(store, audit, patch, kit.stamp().toISOString()));
      },
      /** The record and field size limits of imports; every change is audited with before and after. */
      updateImportLimits(input: { maxRecordBytes?: number; maxFieldBytes?: number }) {
        return kit.atomically(() => updateImportLimits(store, audit, input, kit.stamp().toISOString()));
      },
    },
  };
}

export type SettingsServices = ReturnType<typeof createSettingsServices>;

export function settingsHandlers(services: SettingsServices): HandlersOf<typeof settingsChannels> {
  return {
    'settings.get': () => services.settings.get(),
    'settings.updateImportAlerts': (input) => services.settings.updateImportAlerts(input),
    'settings.updateImportLimits': (input) => services.settings.updateImportLimits(input),
  };
}
