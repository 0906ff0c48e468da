import type { Provider } from './api/schemas';

/** Display names of the cloud providers. */
export const PROVIDER_LABELS: Record<Provider, string> = {
  aws: 'AWS',
  azure: 'Azure',
  gcp: 'Google Cloud',
  other: 'Other',
};

export function providerLabel(provider: string): string {
  return (PROVIDER_LABELS as Record<string, string>)[provider] ?? provider;
}

export function asProvider(value: string): Provider {
  return value === 'aws' || value === 'azure' || value === 'gcp' ? value : 'other';
}

/** The key of the chart series that merges everything beyond the series limit. */
export const OTHER_SERIES_KEY = '__other__';
