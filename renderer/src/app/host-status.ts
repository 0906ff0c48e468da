import { create } from 'zustand';

interface HostStatusState {
  /** When the host announced it is shutting down (app.closing), else null. */
  closingAt: string | null;
  setClosing: (at: string) => void;
}

/** What the renderer knows about the process serving it, from push events. */
export const useHostStatus = create<HostStatusState>()((set) => ({
  closingAt: null,
  setClosing: (at) => set({ closingAt: at }),
}));
