import { create } from 'zustand';
import type { ImportStartInput } from '../../../../shared/api/costs';
import { NonNegativeDecimalSchema } from '../../../../shared/api/schemas';
import type { ImportSource } from './files';
import type { FormatChoice } from './format';

/** The import options as the form holds them: '' means "the workspace default" or "not given". */
export interface ImportOptions {
  source: string;
  skipBadRows: boolean;
  /** Move files already imported under another source to this one, instead of the import being refused. */
  replaceSource: boolean;
  alertThresholdPct: string;
  alertMinAmount: string;
  currency: string;
  billingAccountId: string;
}

export const DEFAULT_OPTIONS: ImportOptions = {
  source: '',
  skipBadRows: false,
  replaceSource: false,
  alertThresholdPct: '',
  alertMinAmount: '',
  currency: '',
  billingAccountId: '',
};

interface ImportScreenState {
  sources: ImportSource[];
  format: FormatChoice;
  options: ImportOptions;
  /** The import job started from this screen, followed until the user dismisses it. */
  jobId: string | null;
  addSources: (sources: readonly ImportSource[]) => void;
  removeSource: (path: string) => void;
  clearSources: () => void;
  setFormat: (format: FormatChoice) => void;
  setOption: <K extends keyof ImportOptions>(key: K, value: ImportOptions[K]) => void;
  setJobId: (id: string | null) => void;
}

/** What the Import screen is preparing; kept while the user visits other screens, not across launches. */
export const useImportScreenState = create<ImportScreenState>()((set) => ({
  sources: [],
  format: 'auto',
  options: DEFAULT_OPTIONS,
  jobId: null,
  addSources: (added) =>
    set((state) => {
      const known = new Set(state.sources.map((s) => s.path));
      return { sources: [...state.sources, ...added.filter((s) => !known.has(s.path))] };
    }),
  removeSource: (path) => set((state) => ({ sources: state.sources.filter((s) => s.path !== path) })),
  clearSources: () => set({ sources: [] }),
  setFormat: (format) => set({ format }),
  setOption: (key, value) => set((state) => ({ options: { ...state.options, [key]: value } })),
  setJobId: (jobId) => set({ jobId }),
}));

const isNonNegative = (text: string) => NonNegativeDecimalSchema.safeParse(text).success;

/** What is wrong with each option, in words (the core checks again). */
export function optionProblems(options: ImportOptions): Partial<Record<keyof ImportOptions, string>> {
  const problems: Partial<Record<keyof ImportOptions, string>> = {};
  if (options.alertThresholdPct.trim() && !isNonNegative(options.alertThresholdPct.trim()))
    problems.alertThresholdPct = 'A number of percent, like 2 or 0.5';
  if (options.alertMinAmount.trim() && !isNonNegative(options.alertMinAmount.trim()))
    problems.alertMinAmount = 'An amount, like 10 or 0.01';
  if (options.currency.trim() && !/^[A-Z]{3}$/.test(options.currency.trim()))
    problems.currency = 'A three-letter ISO code, like USD';
  if (options.source.length > 200) problems.source = 'At most 200 characters';
  return problems;
}

/** The imports.start input: options left empty are not sent, so the core's defaults apply. */
export function importStartInput(
  sources: readonly ImportSource[],
  format: FormatChoice,
  options: ImportOptions,
): ImportStartInput {
  const input: ImportStartInput = { paths: sources.map((s) => s.path), format, skipBadRows: options.skipBadRows };
  const text = (value: string) => value.trim() || undefined;
  const source = text(options.source);
  const alertThresholdPct = text(options.alertThresholdPct);
  const alertMinAmount = text(options.alertMinAmount);
  const currency = text(options.currency);
  const billingAccountId = text(options.billingAccountId);
  if (source) input.source = source;
  if (options.replaceSource) input.replaceSource = true;
  if (alertThresholdPct) input.alertThresholdPct = alertThresholdPct;
  if (alertMinAmount) input.alertMinAmount = alertMinAmount;
  if (currency) input.currency = currency;
  if (billingAccountId) input.billingAccountId = billingAccountId;
  return input;
}
