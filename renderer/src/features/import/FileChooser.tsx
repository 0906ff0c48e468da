import { useId, useState, type DragEvent, type FormEvent } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Icon } from '../../components/Icon';
import { ProgressBar } from '../../components/ProgressBar';
import { formatCount } from '../../lib/format';
import { ConfirmPathDialog } from './ConfirmPathDialog';
import { filesFromDrop, sourceFromPath, type ImportSource } from './files';
import { isAbsolutePath } from './format';
import { useGrantPath, usePrepareSources } from './mutations';

export interface FileChooserProps {
  onAdd: (sources: readonly ImportSource[]) => void;
  /** Browser mode uploads picked files first; Electron reads them where they are. */
  mode: 'electron' | 'browser';
}

/** A drop zone with file and folder pickers, and a field for a path on this computer. */
export function FileChooser({ onAdd, mode }: FileChooserProps) {
  const prepare = usePrepareSources();
  const [over, setOver] = useState(false);
  const [upload, setUpload] = useState<{ done: number; total: number } | null>(null);
  const [dropError, setDropError] = useState<unknown>(null);

  const add = (files: File[]) => {
    if (files.length === 0) return;
    setUpload(mode === 'browser' ? { done: 0, total: files.length } : null);
    prepare.mutate(
      { files, onProgress: (done, total) => setUpload({ done, total }) },
      {
        onSuccess: (sources) => onAdd(sources),
        onSettled: () => setUpload(null),
      },
    );
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    setDropError(null);
    void filesFromDrop(event.dataTransfer).then(add, setDropError);
  };

  const busy = prepare.isPending;
  return (
    <div className="file-chooser">
      <div
        className={`drop-zone${over ? ' is-over' : ''}${busy ? ' is-busy' : ''}`}
        data-testid="import-drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        aria-busy={busy}
      >
        <Icon name="import" size={28} className="drop-zone-icon" />
        <p className="drop-zone-title">Drop billing export files or a folder here</p>
        <p className="muted">
          FOCUS, AWS CUR and CUR 2.0, Azure and Google Cloud exports as CSV, gzip, JSON Lines or Parquet. A CUR folder
          is read through its manifest.
        </p>
        <div className="button-row drop-zone-buttons">
          <label className="button button-primary file-button">
            <Icon name="file" size={14} />
            Choose files
            <input
              type="file"
              multiple
              className="visually-hidden"
              disabled={busy}
              data-testid="import-file-input"
              onChange={(event) => {
                add([...(event.target.files ?? [])]);
                event.target.value = '';
              }}
            />
          </label>
          <label className="button file-button">
            <Icon name="folder" size={14} />
            Choose a folder
            <input
              type="file"
              className="visually-hidden"
              disabled={busy}
              data-testid="import-folder-input"
              ref={(element) => {
                // Not in React's attribute list: set it on the element.
                element?.setAttribute('webkitdirectory', '');
              }}
              onChange={(event) => {
                add([...(event.target.files ?? [])]);
                event.target.value = '';
              }}
            />
          </label>
        </div>
        {upload && (
          <div className="upload-progress" role="status">
            <ProgressBar
              value={upload.done}
              max={upload.total}
              label="Uploading files"
              valueText={`${upload.done} of ${upload.total} files`}
              size="sm"
              data-testid="import-upload-progress"
            />
            <span className="muted num">
              Copying {formatCount(upload.done)} of {formatCount(upload.total)} {upload.total === 1 ? 'file' : 'files'}{' '}
              into the workspace…
            </span>
          </div>
        )}
        {mode === 'browser' && !upload && (
          <p className="drop-zone-hint muted">
            In browser mode, picked files are copied into the workspace first. For very large exports, type their path
            below instead: Valdrix asks you to confirm before it reads it.
          </p>
        )}
      </div>
      {dropError !== null && <ErrorMessage title="The dropped files could not be read" error={dropError} />}
      {prepare.isError && <ErrorMessage title="The files could not be added" error={prepare.error} />}
      <PathField mode={mode} onAdd={(source) => onAdd([source])} />
    </div>
  );
}

/**
 * A typed path. Electron adds it as it is; browser mode first asks the user to confirm that Valdrix may
 * read it (the core reads nothing else but uploads), then adds it as the core resolved it.
 */
function PathField({ onAdd, mode }: { onAdd: (source: ImportSource) => void; mode: 'electron' | 'browser' }) {
  const id = useId();
  const hintId = useId();
  const [path, setPath] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const grant = useGrantPath();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = path.trim();
    if (!trimmed) return;
    if (!isAbsolutePath(trimmed)) {
      setProblem('Type the full path, starting with / (or a drive letter on Windows).');
      return;
    }
    setProblem(null);
    if (mode === 'browser') {
      setConfirming(trimmed);
      return;
    }
    onAdd(sourceFromPath(trimmed));
    setPath('');
  };

  const confirm = (typed: string) =>
    grant.mutate(typed, {
      onSuccess: (source) => {
        onAdd(source);
        setPath('');
      },
      onError: (error) => setProblem(error.message),
      onSettled: () => setConfirming(null),
    });

  return (
    <>
      <form className="path-field" onSubmit={submit}>
        <label className="field-label" htmlFor={id}>
          Or a file or folder path on the computer running Valdrix
        </label>
        <div className="path-field-row">
          <input
            id={id}
            className="input mono"
            value={path}
            onChange={(event) => {
              setPath(event.target.value);
              setProblem(null);
            }}
            placeholder="/data/billing/focus-2026-10.csv"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={problem !== null}
            aria-describedby={problem ? hintId : undefined}
            data-testid="import-path-input"
          />
          <button type="submit" className="button" disabled={!path.trim()} data-testid="import-path-add">
            Add
          </button>
        </div>
        {problem && (
          <p className="field-error" id={hintId} role="alert" data-testid="import-path-error">
            {problem}
          </p>
        )}
      </form>
      {confirming !== null && (
        <ConfirmPathDialog
          path={confirming}
          pending={grant.isPending}
          onConfirm={() => confirm(confirming)}
          onCancel={() => setConfirming(null)}
        />
      )}
    </>
  );
}
