import { useState, type FormEvent } from 'react';
import { Card } from '../../components/Card';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useUpdateImportLimits } from './mutations';
import { SaveRow, SettingsField } from './SettingsField';

const MIB = 1024 * 1024;
const SIZE = /^\d{1,3}(\.\d{1,3})?$/;

/** A byte count as MiB with at most three decimals, as the fields show it. */
function mib(bytes: number): string {
  return String(Math.round((bytes / MIB) * 1000) / 1000);
}

/** How large one row and one cell of an imported file may be before the import refuses it. */
export function ImportLimitsCard({ maxRecordBytes, maxFieldBytes }: { maxRecordBytes: number; maxFieldBytes: number }) {
  const [record, setRecord] = useState(mib(maxRecordBytes));
  const [field, setField] = useState(mib(maxFieldBytes));
  const update = useUpdateImportLimits();
  const recordProblem = SIZE.test(record) && Number(record) > 0 ? null : 'A size in MiB, such as 8';
  const fieldProblem = SIZE.test(field) && Number(field) > 0 ? null : 'A size in MiB, such as 1';
  const changed = record !== mib(maxRecordBytes) || field !== mib(maxFieldBytes);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (recordProblem || fieldProblem || !changed) return;
    update.mutate({
      maxRecordBytes: Math.round(Number(record) * MIB),
      maxFieldBytes: Math.round(Number(field) * MIB),
    });
  };

  return (
    <Card title="Import size limits" data-testid="settings-import-limits">
      <form className="settings-form" onSubmit={submit}>
        <SettingsField
          id="limit-record"
          label="Longest row (MiB)"
          value={record}
          problem={recordProblem}
          onChange={setRecord}
          testId="settings-limit-record"
        />
        <SettingsField
          id="limit-field"
          label="Longest cell (MiB)"
          value={field}
          problem={fieldProblem}
          onChange={setField}
          testId="settings-limit-field"
        />
        <SaveRow
          canSave={changed && recordProblem === null && fieldProblem === null}
          saving={update.isPending}
          saved={update.isSuccess && !changed}
          testId="settings-import-limits-save"
        />
      </form>
      <p className="note">
        A row of a billing export is a few kilobytes. A file with a longer row (one that is not an export, or has a
        quote that is never closed) stops its import at once with the line it is on; a longer cell makes its row a bad
        row. Nothing is imported from a refused file.
      </p>
      {update.isError && <ErrorMessage title="The limits were not saved" error={update.error} />}
    </Card>
  );
}
