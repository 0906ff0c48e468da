import { create } from 'zustand';

interface JobsScreenState {
  /** The job open in the detail panel. */
  selectedId: string | null;
  /** The job last started with "Start demo job", whose progress shows beside the button. */
  startedId: string | null;
  select: (id: string | null) => void;
  setStarted: (id: string | null) => void;
}

/** What the Jobs screen is focused on; kept while the user visits other screens, not across launches. */
export const useJobsScreenState = create<JobsScreenState>()((set) => ({
  selectedId: null,
  startedId: null,
  select: (selectedId) => set({ selectedId }),
  setStarted: (startedId) => set({ startedId }),
}));
