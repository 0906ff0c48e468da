import { useId, type ReactNode } from 'react';
import type { CostMetric } from '../../../../shared/api/schemas';
import { SegmentedControl, type SegmentedOption } from '../../components/SegmentedControl';
import { DIMENSIONS, type DimensionChoice } from './dimensions';
import { rangePresets, useExplorerState, type CostStatusChoice } from './screen-state';

const METRIC_OPTIONS: readonly SegmentedOption<CostMetric>[] = [
  { value: 'billed', label: 'Billed', testId: 'explorer-metric-billed' },
  { value: 'effective', label: 'Effective', testId: 'explorer-metric-effective' },
];

const STATUS_OPTIONS: readonly SegmentedOption<CostStatusChoice>[] = [
  { value: 'all', label: 'All', testId: 'explorer-status-all' },
  { value: 'final', label: 'Final', testId: 'explorer-status-final' },
  { value: 'preliminary', label: 'Preliminary', testId: 'explorer-status-preliminary' },
];

/** Date range, grouping (one or two dimensions, tags by key), metric and finality. */
export function ExplorerControls({ asOf }: { asOf: string | undefined }) {
  const state = useExplorerState();
  const presets = asOf ? rangePresets(asOf) : [];
  const activePreset = presets.find((p) => p.from === state.from && p.to === state.to)?.id;

  return (
    <div className="explorer-controls" role="group" aria-label="Cost question">
      <div className="filter-bar explorer-bar">
        <Field label="From">
          {(id) => (
            <input
              id={id}
              type="date"
              className="input"
              value={state.from}
              max={state.to || undefined}
              onChange={(event) => state.setRange(event.target.value, state.to)}
              data-testid="explorer-from"
            />
          )}
        </Field>
        <Field label="To">
          {(id) => (
            <input
              id={id}
              type="date"
              className="input"
              value={state.to}
              min={state.from || undefined}
              onChange={(event) => state.setRange(state.from, event.target.value)}
              data-testid="explorer-to"
            />
          )}
        </Field>
        {presets.length > 0 && (
          <div className="range-presets" role="group" aria-label="Quick ranges">
            {presets.map((preset) => (
              <button
                key={preset.id}
                type="button"
                className="button button-sm"
                aria-pressed={activePreset === preset.id}
                onClick={() => state.setRange(preset.from, preset.to)}
                data-testid={`explorer-range-${preset.id}`}
              >
                {preset.label}
              </button>
            ))}
          </div>
        )}
      </div>
      <div className="filter-bar explorer-bar">
        <DimensionPicker
          label="Group by"
          choice={state.groupBy}
          onChange={(choice) => choice && state.setGroupBy(choice)}
          testId="explorer-group-by"
        />
        <DimensionPicker
          label="Then by"
          choice={state.thenBy}
          onChange={state.setThenBy}
          optional
          testId="explorer-then-by"
        />
        <div className="explorer-toggles">
          <SegmentedControl label="Metric" options={METRIC_OPTIONS} value={state.metric} onChange={state.setMetric} />
          <SegmentedControl
            label="Status"
            showLabel
            options={STATUS_OPTIONS}
            value={state.status}
            onChange={state.setStatus}
          />
        </div>
      </div>
    </div>
  );
}

interface DimensionPickerProps {
  label: string;
  choice: DimensionChoice | null;
  /** null: "Nothing" (only offered when optional). */
  onChange: (choice: DimensionChoice | null) => void;
  optional?: boolean;
  testId: string;
}

function DimensionPicker({ label, choice, onChange, optional = false, testId }: DimensionPickerProps) {
  const tagId = useId();
  const select = (kind: string) => {
    if (kind === '') {
      onChange(null);
      return;
    }
    onChange({ kind: kind as DimensionChoice['kind'], tagKey: choice?.tagKey ?? '' });
  };
  return (
    <div className="dimension-picker">
      <Field label={label}>
        {(id) => (
          <select
            id={id}
            className="select"
            value={choice?.kind ?? ''}
            onChange={(event) => select(event.target.value)}
            data-testid={testId}
          >
            {optional && <option value="">Nothing</option>}
            {DIMENSIONS.map((d) => (
              <option key={d.value} value={d.value}>
                {d.label}
              </option>
            ))}
            <option value="tag">Tag…</option>
          </select>
        )}
      </Field>
      {choice?.kind === 'tag' && (
        <div className="field">
          <label className="field-label" htmlFor={tagId}>
            Tag key
          </label>
          <input
            id={tagId}
            className="input"
            value={choice.tagKey}
            placeholder="e.g. team"
            maxLength={200}
            spellCheck={false}
            onChange={(event) => onChange({ kind: 'tag', tagKey: event.target.value })}
            data-testid={`${testId}-tag`}
          />
        </div>
      )}
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
