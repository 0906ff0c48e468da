import { useState, type FormEvent } from 'react';
import { PercentSchema } from '../../../../shared/api/schemas';
import { Card } from '../../components/Card';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useUpdateImportAlerts } from './mutations';
import { SaveRow, SettingsField } from './SettingsField';

/** The replacement guard: how much of a snapshot an import may remove before it waits for confirmation. */
export function ReplaceGuardCard({ guardPct }: { guardPct: string }) {
  const [value, setValue] = useState(guardPct);
  const update = useUpdateImportAlerts();
  const problem = PercentSchema.safeParse(value).success ? null : 'A percent from 0 to 100';
  const changed = value !== guardPct;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (problem || !changed) return;
    update.mutate({ replaceGuardPct: value });
  };

  return (
    <Card title="Replacement guard" data-testid="settings-replace-guard">
      <form className="settings-form" onSubmit={submit}>
        <SettingsField
          id="replace-guard-pct"
          label="Hold an import removing more than (%)"
          value={value}
          problem={problem}
          onChange={setValue}
          testId="settings-replace-guard-pct"
        />
        <SaveRow
          canSave={changed && problem === null}
          saving={update.isPending}
          saved={update.isSuccess && !changed}
          testId="settings-replace-guard-save"
        />
      </form>
      <p className="note">
        An import replaces the stored month of its account whole. One that would remove more than this share of the
        month&apos;s lines or billed cost, leave a day without any cost, or that skipped unreadable rows is held on the
        Import screen until someone accepts or discards it.
      </p>
      {update.isError && <ErrorMessage title="The guard was not saved" error={update.error} />}
    </Card>
  );
}
