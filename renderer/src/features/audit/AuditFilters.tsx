import { useId, type ReactNode } from 'react';
import { useAuditFacets } from './queries';
import { hasFilters, useAuditScreenState, type AuditFilters as Filters } from './screen-state';

interface ActionGroup {
  /** "job." */
  prefix: string;
  actions: string[];
}

/** Actions grouped by what precedes their first dot ("job.started" → "job."), for an option per group. */
function groupActions(actions: readonly string[]): ActionGroup[] {
  const groups = new Map<string, string[]>();
  for (const action of actions) {
    const dot = action.indexOf('.');
    const prefix = dot > 0 ? action.slice(0, dot + 1) : action;
    groups.set(prefix, [...(groups.get(prefix) ?? []), action]);
  }
  return [...groups].map(([prefix, members]) => ({ prefix, actions: members }));
}

/** Date range, actor, action (or a family of actions) and entity type; the list refetches as they change. */
export function AuditFilters() {
  const filters = useAuditScreenState((state) => state.filters);
  const setFilter = useAuditScreenState((state) => state.setFilter);
  const clearFilters = useAuditScreenState((state) => state.clearFilters);
  const facets = useAuditFacets().data;
  const actions = facets?.actions ?? [];
  const groups = groupActions(actions);

  return (
    <div className="filter-bar" role="group" aria-label="Filter events">
      <Field label="From">
        {(id) => (
          <input
            id={id}
            type="date"
            className="input"
            value={filters.from}
            max={filters.to || undefined}
            onChange={(event) => setFilter('from', event.target.value)}
            data-testid="audit-filter-from"
          />
        )}
      </Field>
      <Field label="To">
        {(id) => (
          <input
            id={id}
            type="date"
            className="input"
            value={filters.to}
            min={filters.from || undefined}
            onChange={(event) => setFilter('to', event.target.value)}
            data-testid="audit-filter-to"
          />
        )}
      </Field>
      <Field label="Actor">
        {(id) => (
          <FacetSelect
            id={id}
            filterKey="actor"
            filters={filters}
            anyLabel="Anyone"
            testId="audit-filter-actor"
            onChange={setFilter}
            known={facets?.actors ?? []}
          >
            {(facets?.actors ?? []).map((actor) => (
              <option key={actor} value={actor}>
                {actor}
              </option>
            ))}
          </FacetSelect>
        )}
      </Field>
      <Field label="Action">
        {(id) => (
          <FacetSelect
            id={id}
            filterKey="action"
            filters={filters}
            anyLabel="All actions"
            testId="audit-filter-action"
            onChange={setFilter}
            known={[...actions, ...groups.map((group) => group.prefix)]}
          >
            {groups.map((group) =>
              group.actions.length === 1 ? (
                <option key={group.prefix} value={group.actions[0]}>
                  {group.actions[0]}
                </option>
              ) : (
                <optgroup key={group.prefix} label={group.prefix.replace(/\.$/, '')}>
                  <option value={group.prefix}>{`${group.prefix}* (all)`}</option>
                  {group.actions.map((action) => (
                    <option key={action} value={action}>
                      {action}
                    </option>
                  ))}
                </optgroup>
              ),
            )}
          </FacetSelect>
        )}
      </Field>
      <Field label="Entity">
        {(id) => (
          <FacetSelect
            id={id}
            filterKey="entityType"
            filters={filters}
            anyLabel="All entities"
            testId="audit-filter-entity"
            onChange={setFilter}
            known={facets?.entityTypes ?? []}
          >
            {(facets?.entityTypes ?? []).map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </FacetSelect>
        )}
      </Field>
      <button
        type="button"
        className="button filter-clear"
        onClick={clearFilters}
        disabled={!hasFilters(filters)}
        data-testid="audit-filter-clear"
      >
        Clear
      </button>
    </div>
  );
}

function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children(id)}
    </div>
  );
}

interface FacetSelectProps {
  id: string;
  filterKey: 'actor' | 'action' | 'entityType';
  filters: Filters;
  anyLabel: string;
  testId: string;
  onChange: (key: keyof Filters, value: string) => void;
  /** Values the options offer. */
  known: readonly string[];
  children: ReactNode;
}

function FacetSelect({ id, filterKey, filters, anyLabel, testId, onChange, known, children }: FacetSelectProps) {
  const value = filters[filterKey];
  // A chosen value the facets no longer list (or not yet: they load separately) stays selectable.
  const missing = value !== '' && !known.includes(value);
  return (
    <select
      id={id}
      className="select"
      value={value}
      onChange={(event) => onChange(filterKey, event.target.value)}
      data-testid={testId}
    >
      <option value="">{anyLabel}</option>
      {missing && <option value={value}>{value}</option>}
      {children}
    </select>
  );
}
