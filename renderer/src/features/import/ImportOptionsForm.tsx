import { useId, type ReactNode } from 'react';
import { FORMAT_CHOICES, type FormatChoice } from './format';
import { optionProblems, type ImportOptions } from './screen-state';

export interface ImportOptionsFormProps {
  format: FormatChoice;
  onFormat: (format: FormatChoice) => void;
  options: ImportOptions;
  onOption: <K extends keyof ImportOptions>(key: K, value: ImportOptions[K]) => void;
  disabled?: boolean;
}

/** The format override and the import's options; empty fields leave the workspace defaults. */
export function ImportOptionsForm({ format, onFormat, options, onOption, disabled = false }: ImportOptionsFormProps) {
  const problems = optionProblems(options);
  const skipId = useId();
  const moveId = useId();
  return (
    <fieldset className="import-options" disabled={disabled}>
      <legend className="visually-hidden">Import options</legend>
      <Field label="Format" hint="Force a format when detection picks the wrong one">
        {(id, hintId) => (
          <select
            id={id}
            className="select"
            value={format}
            aria-describedby={hintId}
            onChange={(event) => onFormat(event.target.value as FormatChoice)}
            data-testid="import-format"
          >
            {FORMAT_CHOICES.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Source name" hint="Imports of one source replace its earlier snapshots" problem={problems.source}>
        {(id, hintId) => (
          <input
            id={id}
            className="input"
            value={options.source}
            placeholder="Named after the format"
            maxLength={200}
            aria-describedby={hintId}
            aria-invalid={problems.source !== undefined}
            onChange={(event) => onOption('source', event.target.value)}
            data-testid="import-source-name"
          />
        )}
      </Field>
      <Field
        label="Alert threshold (%)"
        hint="Alert when a restated day's service cost moves by more"
        problem={problems.alertThresholdPct}
      >
        {(id, hintId) => (
          <input
            id={id}
            className="input num"
            inputMode="decimal"
            value={options.alertThresholdPct}
            placeholder="Workspace setting"
            aria-describedby={hintId}
            aria-invalid={problems.alertThresholdPct !== undefined}
            onChange={(event) => onOption('alertThresholdPct', event.target.value)}
            data-testid="import-alert-pct"
          />
        )}
      </Field>
      <Field label="Alert minimum amount" hint="…and by at least this much" problem={problems.alertMinAmount}>
        {(id, hintId) => (
          <input
            id={id}
            className="input num"
            inputMode="decimal"
            value={options.alertMinAmount}
            placeholder="Workspace setting"
            aria-describedby={hintId}
            aria-invalid={problems.alertMinAmount !== undefined}
            onChange={(event) => onOption('alertMinAmount', event.target.value)}
            data-testid="import-alert-min"
          />
        )}
      </Field>
      <Field label="Currency" hint="For files without a currency column" problem={problems.currency}>
        {(id, hintId) => (
          <input
            id={id}
            className="input import-currency"
            value={options.currency}
            placeholder="USD"
            maxLength={3}
            autoCapitalize="characters"
            spellCheck={false}
            aria-describedby={hintId}
            aria-invalid={problems.currency !== undefined}
            onChange={(event) => onOption('currency', event.target.value.toUpperCase())}
            data-testid="import-currency"
          />
        )}
      </Field>
      <Field label="Billing account" hint="For files without a billing account column">
        {(id, hintId) => (
          <input
            id={id}
            className="input"
            value={options.billingAccountId}
            maxLength={200}
            spellCheck={false}
            aria-describedby={hintId}
            onChange={(event) => onOption('billingAccountId', event.target.value)}
            data-testid="import-billing-account"
          />
        )}
      </Field>
      <div className="field import-skip">
        <label className="checkbox" htmlFor={skipId}>
          <input
            id={skipId}
            type="checkbox"
            checked={options.skipBadRows}
            onChange={(event) => onOption('skipBadRows', event.target.checked)}
            data-testid="import-skip-bad-rows"
          />
          Skip rows that cannot be read
        </label>
        <span className="field-hint">
          Without it, one bad row stops the import and nothing changes; with it, the other rows are imported and the
          skipped ones listed.
        </span>
      </div>
      <div className="field import-skip">
        <label className="checkbox" htmlFor={moveId}>
          <input
            id={moveId}
            type="checkbox"
            checked={options.replaceSource}
            onChange={(event) => onOption('replaceSource', event.target.checked)}
            data-testid="import-replace-source"
          />
          Move it to this source
        </label>
        <span className="field-hint">
          A file already imported under another source is refused so that it is never counted twice; with this, that
          source gives up the months the file holds and this one takes them.
        </span>
      </div>
    </fieldset>
  );
}

function Field({
  label,
  hint,
  problem,
  children,
}: {
  label: string;
  hint?: string;
  problem?: string;
  children: (id: string, hintId: string) => ReactNode;
}) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children(id, hintId)}
      {problem ? (
        <span className="field-error" id={hintId} role="alert">
          {problem}
        </span>
      ) : (
        hint && (
          <span className="field-hint" id={hintId}>
            {hint}
          </span>
        )
      )}
    </div>
  );
}
