import { useId, useState, type FormEvent } from 'react';
import type { ChannelOutput } from '../../../../shared/api/contract';
import { AppError } from '../../../../shared/api/errors';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Fingerprint } from '../../components/Fingerprint';
import { Icon } from '../../components/Icon';
import { SegmentedControl, type SegmentedOption } from '../../components/SegmentedControl';
import { Spinner } from '../../components/Spinner';
import { formatCount } from '../../lib/format';
import { useKeychain } from '../settings/queries';
import { useExportAudit, type AuditExportInput } from './mutations';
import { localDayEnd, localDayStart, useAuditScreenState } from './screen-state';
import { Fact } from '../../components/Fact';

type ExportFormat = NonNullable<AuditExportInput['format']>;
type ExportResult = ChannelOutput<'audit.export'>;

const FORMAT_OPTIONS: readonly SegmentedOption<ExportFormat>[] = [
  { value: 'jsonl', label: 'JSONL', testId: 'audit-export-format-jsonl' },
  { value: 'csv', label: 'CSV', testId: 'audit-export-format-csv' },
];

/**
 * Exports the log (or a date range of it) as JSONL or CSV with a signed manifest, or, asked to, an unsigned
 * one (no keychain needed), and shows what to hand an auditor: where the files are, their hash and the
 * signing key's fingerprint or that there is no signature.
 */
export function ExportDialog({ onClose }: { onClose: () => void }) {
  const filters = useAuditScreenState((state) => state.filters);
  const [format, setFormat] = useState<ExportFormat>('jsonl');
  const [from, setFrom] = useState(filters.from);
  const [to, setTo] = useState(filters.to);
  const [unsigned, setUnsigned] = useState(false);
  const exportAudit = useExportAudit();
  const keychain = useKeychain();
  const noKeychain = keychain.data?.available === false;
  const fromId = useId();
  const toId = useId();
  const formId = useId();
  const unsignedId = useId();
  const unsignedHintId = useId();

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    exportAudit.mutate({ format, from: localDayStart(from), to: localDayEnd(to), unsigned });
  };

  return (
    <Dialog
      title="Export audit log"
      description="Writes the events and a signed (or unsigned) manifest into this workspace's exports folder."
      onClose={onClose}
      testId="audit-export-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {exportAudit.isSuccess ? 'Done' : 'Cancel'}
          </button>
          <button
            type="submit"
            form={formId}
            className="button button-primary"
            disabled={exportAudit.isPending}
            data-testid="audit-export-submit"
          >
            {exportAudit.isPending ? <Spinner size={12} /> : <Icon name="export" size={14} />}
            {exportAudit.isPending ? 'Exporting…' : exportAudit.isSuccess ? 'Export again' : 'Export'}
          </button>
        </>
      }
    >
      <form id={formId} className="export-form" onSubmit={submit} aria-busy={exportAudit.isPending}>
        <div className="export-form-row">
          <span className="field-label">Format</span>
          <SegmentedControl label="Format" options={FORMAT_OPTIONS} value={format} onChange={setFormat} />
          <span className="muted export-format-hint">
            {format === 'jsonl' ? 'One JSON record per line' : 'One row per event; JSON columns as text'}
          </span>
        </div>
        <div className="export-form-row">
          <span className="field-label">Date range</span>
          <div className="export-range">
            <label className="visually-hidden" htmlFor={fromId}>
              From
            </label>
            <input
              id={fromId}
              type="date"
              className="input"
              value={from}
              max={to || undefined}
              onChange={(event) => setFrom(event.target.value)}
              data-testid="audit-export-from"
            />
            <span className="muted" aria-hidden="true">
              to
            </span>
            <label className="visually-hidden" htmlFor={toId}>
              To
            </label>
            <input
              id={toId}
              type="date"
              className="input"
              value={to}
              min={from || undefined}
              onChange={(event) => setTo(event.target.value)}
              data-testid="audit-export-to"
            />
          </div>
          <span className="muted export-format-hint">
            {from || to ? 'Inclusive, in your time zone' : 'All events if empty'}
          </span>
        </div>
        <div className="export-form-row">
          <span className="field-label">Signature</span>
          <label className="export-unsigned" htmlFor={unsignedId}>
            <input
              id={unsignedId}
              type="checkbox"
              checked={unsigned}
              onChange={(event) => setUnsigned(event.target.checked)}
              aria-describedby={unsignedHintId}
              data-testid="audit-export-unsigned"
            />
            Export unsigned
          </label>
          <span id={unsignedHintId} className="muted export-format-hint" data-testid="audit-export-unsigned-hint">
            {noKeychain
              ? 'No OS keychain is available (see Settings): only an unsigned export can be made.'
              : 'No keychain needed; verifiable by its hash chain only, and labelled unsigned'}
          </span>
        </div>
        <p className="note export-scope-note">
          The actor, action and entity filters do not apply: an export is an unbroken stretch of the hash chain, so that
          it can be verified on its own.
        </p>
      </form>

      {exportAudit.isSuccess && (
        <ExportResultPanel result={exportAudit.data} format={exportAudit.variables.format ?? 'jsonl'} />
      )}
      {exportAudit.isError && <ExportError error={exportAudit.error} />}
    </Dialog>
  );
}

function ExportError({ error }: { error: unknown }) {
  const code = error instanceof AppError ? error.code : undefined;
  if (code === 'UNAVAILABLE') {
    return (
      <ErrorMessage title="The OS keychain is not available" error={error} testId="audit-export-error">
        <p>
          Exports are signed with this workspace&apos;s key, kept only in the OS keychain. Unlock or start the keychain
          (Settings says how), then export again, or tick <strong>Export unsigned</strong>. No file was written.
        </p>
      </ErrorMessage>
    );
  }
  return <ErrorMessage title="The export failed" error={error} testId="audit-export-error" />;
}

function ExportResultPanel({ result, format }: { result: ExportResult; format: ExportFormat }) {
  const command = `valdrix audit verify ${result.file}`;
  return (
    <section
      className="export-result"
      role="status"
      data-testid="audit-export-result"
      data-file={result.file}
      data-count={result.count}
      data-signed={result.signed}
    >
      <p className="export-result-title">
        <Icon name="check" size={16} />
        Exported {formatCount(result.count)} {result.count === 1 ? 'event' : 'events'} as{' '}
        {FORMAT_OPTIONS.find((option) => option.value === format)?.label ?? format}
      </p>
      <dl className="kv-list">
        <Fact label="File">
          <span className="mono break" data-testid="audit-export-file">
            {result.file}
          </span>
          <CopyButton text={result.file} ariaLabel="Copy the file path" />
        </Fact>
        <Fact label="Manifest">
          <span className="mono break" data-testid="audit-export-manifest">
            {result.manifestFile}
          </span>
          <CopyButton text={result.manifestFile} ariaLabel="Copy the manifest path" />
        </Fact>
        <Fact label="File SHA-256">
          <span className="mono break" data-testid="audit-export-sha256">
            {result.fileSha256}
          </span>
        </Fact>
        <Fact label="Signing key">
          {result.publicKeyFingerprint === null ? (
            <span data-testid="audit-export-unsigned-label">
              <strong>Unsigned</strong>: no signature proves which workspace wrote it
            </span>
          ) : (
            <Fingerprint value={result.publicKeyFingerprint} data-testid="audit-export-fingerprint" />
          )}
        </Fact>
      </dl>
      <div className="export-verify">
        {result.signed ? (
          <p>
            Verify anywhere with <code>valdrix audit verify FILE</code>: it checks the chain, the file hash and the
            signature, and prints the key fingerprint to compare with Settings.
          </p>
        ) : (
          <p>
            Verify anywhere with <code>valdrix audit verify FILE</code>: it checks the chain and the file hash and
            reports <code>unsigned: chain intact, no signature</code>.
          </p>
        )}
        <div className="export-command">
          <code className="mono break">{command}</code>
          <CopyButton text={command} ariaLabel="Copy the verify command" />
        </div>
      </div>
      <p className="muted export-where">
        The files are on the computer running Valdrix, in the workspace&apos;s exports folder.
      </p>
    </section>
  );
}
