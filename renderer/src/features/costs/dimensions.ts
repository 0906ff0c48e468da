import type { CostDimension } from '../../../../shared/api/costs';

/** The fixed dimensions a cost question can group or filter by (plus `tag:KEY`), in menu order. */
export const DIMENSIONS = [
  { value: 'service', label: 'Service' },
  { value: 'provider', label: 'Provider' },
  { value: 'billing_account', label: 'Billing account' },
  { value: 'sub_account', label: 'Sub-account' },
  { value: 'service_category', label: 'Service category' },
  { value: 'region', label: 'Region' },
  { value: 'resource', label: 'Resource' },
  { value: 'charge_category', label: 'Charge category' },
  { value: 'day', label: 'Day' },
  { value: 'month', label: 'Month' },
] as const satisfies readonly { value: CostDimension; label: string }[];

export type FixedDimension = (typeof DIMENSIONS)[number]['value'];

/** What a grouping control holds: a fixed dimension, or "tag" with the key typed beside it. */
export interface DimensionChoice {
  kind: FixedDimension | 'tag';
  tagKey: string;
}

/** The dimension a choice stands for; null while a tag key is still empty. */
export function choiceToDimension(choice: DimensionChoice): CostDimension | null {
  if (choice.kind !== 'tag') return choice.kind;
  const key = choice.tagKey.trim();
  return key ? `tag:${key}` : null;
}

export function dimensionToChoice(dimension: string): DimensionChoice {
  if (dimension.startsWith('tag:')) return { kind: 'tag', tagKey: dimension.slice(4) };
  const fixed = DIMENSIONS.find((d) => d.value === dimension);
  return { kind: fixed ? fixed.value : 'service', tagKey: '' };
}

/** "Service", "Tag: team". */
export function dimensionLabel(dimension: string): string {
  if (dimension.startsWith('tag:')) return `Tag: ${dimension.slice(4)}`;
  return DIMENSIONS.find((d) => d.value === dimension)?.label ?? dimension;
}

/** Time dimensions go on the chart's x axis, in calendar order. */
export function isTimeDimension(dimension: string): boolean {
  return dimension === 'day' || dimension === 'month';
}

/** How a missing value (no region, no tag) is shown. */
export const NO_VALUE_LABEL = '(none)';

export function valueLabel(value: string | null): string {
  return value === null || value === '' ? NO_VALUE_LABEL : value;
}
