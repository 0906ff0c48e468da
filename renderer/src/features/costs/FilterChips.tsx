import { Icon } from '../../components/Icon';
import { dimensionLabel, valueLabel } from './dimensions';
import type { CostFilters } from './screen-state';

export interface FilterChipsProps {
  filters: CostFilters;
  onRemove: (dimension: string) => void;
  onClear: () => void;
}

/** The active filters, each removable; "Clear" drops them all. */
export function FilterChips({ filters, onRemove, onClear }: FilterChipsProps) {
  const entries = Object.entries(filters);
  if (entries.length === 0) return null;
  return (
    <div className="filter-chips" role="group" aria-label="Filters" data-testid="explorer-filters">
      <span className="field-label">Filtered to</span>
      <ul>
        {entries.map(([dimension, values]) => {
          const text = `${dimensionLabel(dimension)}: ${values.map(valueLabel).join(' or ')}`;
          return (
            <li key={dimension} className="filter-chip" data-testid="explorer-filter" data-dimension={dimension}>
              <span>{text}</span>
              <button
                type="button"
                className="icon-button"
                onClick={() => onRemove(dimension)}
                aria-label={`Remove the filter ${text}`}
                title="Remove this filter"
              >
                <Icon name="close" size={12} />
              </button>
            </li>
          );
        })}
      </ul>
      <button type="button" className="link-button link-accent" onClick={onClear} data-testid="explorer-filters-clear">
        Clear filters
      </button>
    </div>
  );
}
