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

/**
 * The cloud a provider name stands for, however its source wrote it: the demo writes "aws", CUR "AWS",
 * FOCUS exports "Amazon Web Services", "Microsoft" or "Google Cloud". Null for any other provider.
 * Ingest picks a file's service-category table with this too, so the rule for "is this AWS" is one.
 */
export function knownProvider(written: string): Exclude<Provider, 'other'> | null {
  const key = written.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (/aws|amazon/.test(key)) return 'aws';
  if (/microsoft|azure/.test(key)) return 'azure';
  if (/google|gcp/.test(key)) return 'gcp';
  return null;
}

export function asProvider(value: string): Provider {
  return knownProvider(value) ?? 'other';
}

/**
 * What screens group lines by when they group by provider: lines keep the provider as their source
 * wrote it, so without this one cloud would show once per spelling ("aws" and "AWS", both labelled AWS).
 * A provider none of the known clouds is keeps its written name (and so its own label).
 */
export function providerKey(written: string): string {
  return knownProvider(written) ?? written;
}

/** The key of the chart series that merges everything beyond the series limit. */
export const OTHER_SERIES_KEY = '__other__';
