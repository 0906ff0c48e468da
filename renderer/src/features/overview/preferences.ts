import { z } from 'zod';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { OverviewGroupBySchema, type OverviewGroupBy } from '../../../../shared/api/overview';
import { CostMetricSchema, type CostMetric } from '../../../../shared/api/schemas';

interface OverviewPreferences {
  groupBy: OverviewGroupBy;
  metric: CostMetric;
  setGroupBy: (groupBy: OverviewGroupBy) => void;
  setMetric: (metric: CostMetric) => void;
}

const PersistedSchema = z.object({
  groupBy: OverviewGroupBySchema.catch('provider'),
  metric: CostMetricSchema.catch('billed'),
});

/** How the user last looked at the Overview, kept across launches. */
export const useOverviewPreferences = create<OverviewPreferences>()(
  persist(
    (set) => ({
      groupBy: 'provider',
      metric: 'billed',
      setGroupBy: (groupBy) => set({ groupBy }),
      setMetric: (metric) => set({ metric }),
    }),
    {
      name: 'valdrix.overview',
      version: 1,
      storage: createJSONStorage(() => window.localStorage),
      partialize: (state) => ({ groupBy: state.groupBy, metric: state.metric }),
      // Never send a stale or hand-edited value to the core: fall back to the defaults instead.
      merge: (persisted, current) => {
        const parsed = PersistedSchema.safeParse(persisted);
        return parsed.success ? { ...current, ...parsed.data } : current;
      },
    },
  ),
);
