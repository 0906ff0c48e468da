import { useState, type FormEvent } from 'react';
import { Card } from '../../components/Card';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useUpdateImportAlerts } from './mutations';

const NON_NEGATIVE = /^\d{1,15}(\.\d{1,9})?$/;

/** The thresholds above which a restated cost cell raises an alert on import. */
export function ImportAlertsCard({ thresholdPct, minAmount }: { thresholdPct: string; minAmount: string }) {
  const [threshold, setThreshold] = useState(thresholdPct);
  const [amount, setAmount] = useState(minAmount);
  const update = useUpdateImportAlerts();
  const thresholdProblem = NON_NEGATIVE.test(threshold) ? null : 'A number of 0 or more';
  const amountProblem = NON_NEGATIVE.test(amount) ? null : 'A number of 0 or more';
  const changed = threshold !== thresholdPct || amount !== minAmount;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (thresholdProblem || amountProblem || !changed) return;
    update.mutate({ alertThresholdPct: threshold, alertMinAmount: amount });
  };

  return (
    <Card title="Import alerts" data-testid="settings-import-alerts">
      <form className="settings-form" onSubmit={submit}>
        <div className="field">
          <label className="field-label" htmlFor="alert-threshold">
            Threshold (%)
          </label>
          <input
            id="alert-threshold"
            className="input"
            inputMode="decimal"
            value={threshold}
            aria-invalid={thresholdProblem !== null}
            onChange={(event) => setThreshold(event.target.value.trim())}
            data-testid="settings-alert-threshold"
          />
          {thresholdProblem && (
            <span className="field-error" role="alert">
              {thresholdProblem}
            </span>
          )}
        </div>
        <div className="field">
          <label className="field-label" htmlFor="alert-min-amount">
            Minimum change (billing currency)
          </label>
          <input
            id="alert-min-amount"
            className="input"
            inputMode="decimal"
            value={amount}
            aria-invalid={amountProblem !== null}
            onChange={(event) => setAmount(event.target.value.trim())}
            data-testid="settings-alert-min-amount"
          />
          {amountProblem && (
            <span className="field-error" role="alert">
              {amountProblem}
            </span>
          )}
        </div>
        <div className="button-row">
          <button
            type="submit"
            className="button button-primary"
            disabled={!changed || thresholdProblem !== null || amountProblem !== null || update.isPending}
            data-testid="settings-import-alerts-save"
          >
            {update.isPending ? 'Saving…' : 'Save'}
          </button>
          {update.isSuccess && !changed && <span className="muted">Saved</span>}
        </div>
      </form>
      <p className="note">
        After an import replaces a snapshot, every day × account × service cell whose billed cost moved by more than the
        threshold, and by at least the minimum, raises an alert. Imports may override both.
      </p>
      {update.isError && <ErrorMessage title="The thresholds were not saved" error={update.error} />}
    </Card>
  );
}
