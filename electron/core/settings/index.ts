/** Workspace settings as people change them: reporting currency, audit key, import thresholds and limits. */
export { createSettingsServices, settingsHandlers, type SettingsServices } from './service';
