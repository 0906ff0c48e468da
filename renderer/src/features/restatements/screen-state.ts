import { create } from 'zustand';

export type RestatementsTab = 'changes' | 'alerts';

/** The lines open in the drawer: a restatement's before and after, or the current lines of an alert's cell. */
export type RestatementDrill =
  | { kind: 'restatement'; id: number; oldLineId: number | null; newLineId: number | null; title: string }
  | {
      kind: 'cell';
      title: string;
      day: string;
      billingAccountId: string;
      serviceName: string;
    };

interface RestatementsScreenState {
  tab: RestatementsTab;
  /** Only this import run's restatements; null: every run. */
  runId: string | null;
  /** The first row of the page shown (restatements ranked by impact). */
  offset: number;
  drill: RestatementDrill | null;
  setTab: (tab: RestatementsTab) => void;
  setRunId: (runId: string | null) => void;
  setOffset: (offset: number) => void;
  openDrill: (drill: RestatementDrill | null) => void;
  /** Opens the screen on one run's changes (from an import's result). */
  showRun: (runId: string | null) => void;
}

/** What the Restatements screen shows; kept while the user visits other screens, not across launches. */
export const useRestatementsScreenState = create<RestatementsScreenState>()((set) => ({
  tab: 'changes',
  runId: null,
  offset: 0,
  drill: null,
  setTab: (tab) => set({ tab }),
  setRunId: (runId) => set({ runId, offset: 0 }),
  setOffset: (offset) => set({ offset }),
  openDrill: (drill) => set({ drill }),
  showRun: (runId) => set({ tab: 'changes', runId, offset: 0, drill: null }),
}));
