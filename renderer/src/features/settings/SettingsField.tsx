/** A labelled number field of a settings form, with what is wrong with it underneath. */
export function SettingsField(props: {
  id: string;
  label: string;
  value: string;
  problem: string | null;
  onChange: (value: string) => void;
  testId: string;
}) {
  return (
    <div className="field">
      <label className="field-label" htmlFor={props.id}>
        {props.label}
      </label>
      <input
        id={props.id}
        className="input"
        inputMode="decimal"
        value={props.value}
        aria-invalid={props.problem !== null}
        onChange={(event) => props.onChange(event.target.value.trim())}
        data-testid={props.testId}
      />
      {props.problem && (
        <span className="field-error" role="alert">
          {props.problem}
        </span>
      )}
    </div>
  );
}

/** A settings form's Save button: enabled once something changed and nothing is wrong. */
export function SaveRow(props: { canSave: boolean; saving: boolean; saved: boolean; testId: string }) {
  return (
    <div className="button-row">
      <button
        type="submit"
        className="button button-primary"
        disabled={!props.canSave || props.saving}
        data-testid={props.testId}
      >
        {props.saving ? 'Saving…' : 'Save'}
      </button>
      {props.saved && <span className="muted">Saved</span>}
    </div>
  );
}
