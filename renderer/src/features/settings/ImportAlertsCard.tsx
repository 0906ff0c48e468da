import { useState, type FormEvent } from 'react';
import { NonNegativeDecimalSchema } from '../../../../shared/api/schemas';
import { Card } from '../../components/Card';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useUpdateImportAlerts } from './mutations';
import { SaveRow, SettingsField } from './SettingsField';

const isNonNegative = (text: string) => NonNegativeDecimalSchema.safeParse(text).success;

/** The thresholds above which a restated cost cell raises an alert on import. */
export function ImportAlertsCard({ thresholdPct, minAmount }: { thresholdPct: string; minAmount: string }) {
  const [threshold, setThreshold] = useState(thresholdPct);
  const [amount, setAmount] = useState(minAmount);
  const update = useUpdateImportAlerts();
  const thresholdProblem = isNonNegative(threshold) ? null : 'A number of 0 or more';
  const amountProblem = isNonNegative(amount) ? null : 'A number of 0 or more';
  const changed = threshold !== thresholdPct || amount !== minAmount;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (thresholdProblem || amountProblem || !changed) return;
    update.mutate({ alertThresholdPct: threshold, alertMinAmount: amount });
  };

  return (
    <Card title="Import alerts" data-testid="settings-import-alerts">
      <form className="settings-form" onSubmit={submit}>
        <SettingsField
          id="alert-threshold"
          label="Threshold (%)"
          value={threshold}
          problem={thresholdProblem}
          onChange={setThreshold}
          testId="settings-alert-threshold"
        />
        <SettingsField
          id="alert-min-amount"
          label="Minimum change (billing currency)"
          value={amount}
          problem={amountProblem}
          onChange={setAmount}
          testId="settings-alert-min-amount"
        />
        <SaveRow
          canSave={changed && thresholdProblem === null && amountProblem === null}
          saving={update.isPending}
          saved={update.isSuccess && !changed}
          testId="settings-import-alerts-save"
        />
      </form>
      <p className="note">
        After an import replaces a snapshot, the day × account × service cells whose billed cost moved by more than the
        threshold, and by at least the minimum, raise one alert for the import that counts them and names the largest.
        Imports may override both.
      </p>
      {update.isError && <ErrorMessage title="The thresholds were not saved" error={update.error} />}
    </Card>
  );
}
