import { create } from 'zustand';
import type { AuditRecord } from '../../../../shared/audit';

/** The audit filters as the controls hold them: '' means "any". Dates are local calendar days (YYYY-MM-DD). */
export interface AuditFilters {
  from: string;
  to: string;
  actor: string;
  /** An action or an action prefix ("job." for every job event). */
  action: string;
  entityType: string;
}

export const NO_FILTERS: AuditFilters = { from: '', to: '', actor: '', action: '', entityType: '' };

interface AuditScreenState {
  filters: AuditFilters;
  /** The event open in the detail drawer. */
  selected: AuditRecord | null;
  setFilter: (key: keyof AuditFilters, value: string) => void;
  clearFilters: () => void;
  select: (record: AuditRecord | null) => void;
}

/** What the Audit log screen shows; kept while the user visits other screens, not across launches. */
export const useAuditScreenState = create<AuditScreenState>()((set) => ({
  filters: NO_FILTERS,
  selected: null,
  setFilter: (key, value) => set((state) => ({ filters: { ...state.filters, [key]: value } })),
  clearFilters: () => set({ filters: NO_FILTERS }),
  select: (selected) => set({ selected }),
}));

export function hasFilters(filters: AuditFilters): boolean {
  return Object.values(filters).some((value) => value !== '');
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The first millisecond of a local calendar day as an ISO timestamp. The table shows local times, so a
 * date picked beside it means that local day; the core reads a bare YYYY-MM-DD as a UTC day instead.
 */
export function localDayStart(day: string): string | undefined {
  return DAY.test(day) ? new Date(`${day}T00:00:00`).toISOString() : undefined;
}

/** The last millisecond of a local calendar day as an ISO timestamp (the range is inclusive). */
export function localDayEnd(day: string): string | undefined {
  return DAY.test(day) ? new Date(`${day}T23:59:59.999`).toISOString() : undefined;
}
