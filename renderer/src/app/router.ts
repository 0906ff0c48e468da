import { create } from 'zustand';
import type { IconName } from '../components/Icon';

export type ScreenId =
  | 'overview'
  | 'explorer'
  | 'import'
  | 'restatements'
  | 'reconciliation'
  | 'allocation'
  | 'forecasts'
  | 'anomalies'
  | 'jobs'
  | 'audit'
  | 'diagnostics'
  | 'settings';

export interface ScreenDefinition {
  id: ScreenId;
  label: string;
  icon: IconName;
  /** False for screens that are announced in the navigation but not built yet. */
  available: boolean;
}

/** The navigation, in sidebar order. */
export const SCREENS: readonly ScreenDefinition[] = [
  { id: 'overview', label: 'Overview', icon: 'overview', available: true },
  { id: 'explorer', label: 'Cost explorer', icon: 'explorer', available: true },
  { id: 'import', label: 'Import', icon: 'import', available: true },
  { id: 'restatements', label: 'Restatements', icon: 'restatements', available: true },
  { id: 'reconciliation', label: 'Reconciliation', icon: 'reconciliation', available: false },
  { id: 'allocation', label: 'Allocation', icon: 'allocation', available: false },
  { id: 'forecasts', label: 'Forecasts', icon: 'forecasts', available: false },
  { id: 'anomalies', label: 'Anomalies', icon: 'anomalies', available: false },
  { id: 'jobs', label: 'Jobs', icon: 'jobs', available: true },
  { id: 'audit', label: 'Audit log', icon: 'audit', available: true },
  { id: 'diagnostics', label: 'Diagnostics', icon: 'diagnostics', available: true },
  { id: 'settings', label: 'Settings', icon: 'settings', available: true },
];

interface RouterState {
  screen: ScreenId;
  navigate: (screen: ScreenId) => void;
}

/** The whole router: which screen is showing. Screens that are not built yet cannot be opened. */
export const useRouter = create<RouterState>()((set) => ({
  screen: 'overview',
  navigate: (screen) => {
    if (SCREENS.some((s) => s.id === screen && s.available)) set({ screen });
  },
}));
