import { create } from 'zustand';
import type { CostDimension, CostQueryInput } from '../../../../shared/api/costs';
import type { CostMetric } from '../../../../shared/api/schemas';
import { addDays, addMonths, firstDayOfMonth, lastDayOfMonth, monthOf } from '../../../../shared/dates';
import { choiceToDimension, dimensionToChoice, type DimensionChoice } from './dimensions';

export type CostStatusChoice = 'all' | 'final' | 'preliminary';

/** Dimension → the values it must have (null: no value). Sent to the core as they are. */
export type CostFilters = Record<string, (string | null)[]>;

/** The cell whose cost lines are open in the drawer. */
export interface DrillTarget {
  /** "Compute · 2026-10-05". */
  title: string;
  from?: string;
  to?: string;
  filters: CostFilters;
  status?: CostStatusChoice;
  /** The cell's exact amounts, from the core's answer. */
  amount?: { billed: string; effective: string; currency: string };
}

export interface ExplorerQuestion {
  /** Local calendar days (YYYY-MM-DD); '' means open-ended. */
  from: string;
  to: string;
  groupBy: DimensionChoice;
  /** A second grouping, or null. */
  thenBy: DimensionChoice | null;
  status: CostStatusChoice;
  filters: CostFilters;
}

interface ExplorerState extends ExplorerQuestion {
  metric: CostMetric;
  /** The currency the chart shows when the answer has several; null: the first one. */
  chartCurrency: string | null;
  drill: DrillTarget | null;
  setRange: (from: string, to: string) => void;
  setGroupBy: (choice: DimensionChoice) => void;
  setThenBy: (choice: DimensionChoice | null) => void;
  setMetric: (metric: CostMetric) => void;
  setStatus: (status: CostStatusChoice) => void;
  setChartCurrency: (currency: string | null) => void;
  /** Narrows to these values (replacing what the dimension had). */
  addFilters: (filters: CostFilters) => void;
  removeFilter: (dimension: string) => void;
  clearFilters: () => void;
  openDrill: (target: DrillTarget | null) => void;
  /** Replaces the whole question (a link from another screen). */
  show: (question: Partial<ExplorerQuestion> & { by?: CostDimension[] }) => void;
}

const DEFAULT_QUESTION: ExplorerQuestion = {
  from: '',
  to: '',
  groupBy: { kind: 'service', tagKey: '' },
  thenBy: null,
  status: 'all',
  filters: {},
};

/** What the Cost explorer is asking; kept while the user visits other screens, not across launches. */
export const useExplorerState = create<ExplorerState>()((set) => ({
  ...DEFAULT_QUESTION,
  metric: 'billed',
  chartCurrency: null,
  drill: null,
  setRange: (from, to) => set({ from, to }),
  setGroupBy: (groupBy) => set({ groupBy }),
  setThenBy: (thenBy) => set({ thenBy }),
  setMetric: (metric) => set({ metric }),
  setStatus: (status) => set({ status }),
  setChartCurrency: (chartCurrency) => set({ chartCurrency }),
  addFilters: (filters) => set((state) => ({ filters: { ...state.filters, ...filters } })),
  removeFilter: (dimension) =>
    set((state) => {
      const filters = { ...state.filters };
      delete filters[dimension];
      return { filters };
    }),
  clearFilters: () => set({ filters: {} }),
  openDrill: (drill) => set({ drill }),
  show: ({ by, ...question }) => {
    const [first, second] = by ?? [];
    set({
      ...DEFAULT_QUESTION,
      ...question,
      ...(first ? { groupBy: dimensionToChoice(first) } : {}),
      ...(second ? { thenBy: dimensionToChoice(second) } : by ? { thenBy: null } : {}),
      drill: null,
      chartCurrency: null,
    });
  },
}));

/** The dimensions asked for, in order; null while a tag grouping has no key yet. */
export function questionDimensions(question: ExplorerQuestion): CostDimension[] | null {
  const first = choiceToDimension(question.groupBy);
  if (first === null) return null;
  if (question.thenBy === null) return [first];
  const second = choiceToDimension(question.thenBy);
  if (second === null) return null;
  return second === first ? [first] : [first, second];
}

/** Why the question cannot be asked yet, in words; null when it can. */
export function questionProblem(question: ExplorerQuestion): string | null {
  if (question.from && question.to && question.from > question.to) return 'The start date is after the end date.';
  if (questionDimensions(question) === null) return 'Type the tag key to group by.';
  return null;
}

/** The costs.query input for the question; null when it cannot be asked yet. */
export function questionInput(question: ExplorerQuestion): CostQueryInput | null {
  const by = questionDimensions(question);
  if (by === null || questionProblem(question) !== null) return null;
  const input: CostQueryInput = { by, status: question.status, limit: 5000 };
  if (question.from) input.from = question.from;
  if (question.to) input.to = question.to;
  if (Object.keys(question.filters).length > 0) input.filters = question.filters;
  return input;
}

export interface RangePreset {
  id: string;
  label: string;
  from: string;
  to: string;
}

/** Quick ranges relative to the app's as-of day (calendar arithmetic only). */
export function rangePresets(asOf: string): RangePreset[] {
  const month = monthOf(asOf);
  const lastMonth = addMonths(month, -1);
  return [
    { id: 'this-month', label: 'This month', from: firstDayOfMonth(month), to: asOf },
    { id: 'last-month', label: 'Last month', from: firstDayOfMonth(lastMonth), to: lastDayOfMonth(lastMonth) },
    { id: 'last-90', label: 'Last 90 days', from: addDays(asOf, -89), to: asOf },
    { id: 'all', label: 'All time', from: '', to: '' },
  ];
}
