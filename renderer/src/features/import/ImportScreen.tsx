import { Card } from '../../components/Card';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Spinner';
import { transportKind } from '../../lib/api';
import { ActionError } from '../jobs/ActionError';
import { useJob } from '../jobs/queries';
import { isActiveStatus } from '../jobs/status';
import { DetectedFiles } from './DetectedFiles';
import { FileChooser } from './FileChooser';
import { ImportJobPanel } from './ImportJobPanel';
import { ImportOptionsForm } from './ImportOptionsForm';
import { useStartImport } from './mutations';
import { HeldImports } from './HeldImports';
import { parseImportResult, useDetectedFiles } from './queries';
import { RecentImports } from './RecentImports';
import { importStartInput, optionProblems, useImportScreenState } from './screen-state';
import { SelectedSources } from './SelectedSources';
import './import.css';

const JOB_PANEL_ID = 'import-job-panel';

/** Billing exports in: choose files, check their formats, set the options, import, and see what changed. */
export function ImportScreen() {
  const state = useImportScreenState();
  const paths = state.sources.map((s) => s.path);
  const detected = useDetectedFiles(paths, state.format);
  const start = useStartImport();
  const followed = useJob(state.jobId);
  const running = followed.data ? isActiveStatus(followed.data.job.status) : state.jobId !== null && followed.isPending;

  // The job panel shows its own run when held; the Held imports card lists the others.
  const followedResult = followed.data?.job.status === 'succeeded' ? parseImportResult(followed.data.job) : null;
  const followedRun = followedResult && 'result' in followedResult ? followedResult.result.runId : null;

  const unreadable = detected.data?.filter((f) => f.error !== null).length ?? 0;
  const problems = optionProblems(state.options);
  const blocked =
    paths.length === 0
      ? 'Choose files or a folder first.'
      : // Only the first check blocks: a refetch (after another import changed the workspace) keeps the
        // answer on screen, and a button that flickered disabled swallowed clicks meanwhile.
        detected.isPending
        ? 'Checking the files…'
        : detected.isError
          ? 'The files could not be checked.'
          : detected.data?.length === 0
            ? 'There are no export files to import.'
            : unreadable > 0
              ? `${unreadable} ${unreadable === 1 ? 'file' : 'files'} cannot be imported: remove ${unreadable === 1 ? 'it' : 'them'} or force a format.`
              : Object.keys(problems).length > 0
                ? 'Correct the options marked in red.'
                : running
                  ? 'Another import from this screen is still running.'
                  : null;

  const startImport = () => {
    start.mutate(importStartInput(state.sources, state.format, state.options), {
      onSuccess: (job) => {
        state.setJobId(job.id);
        // The progress shows below the form: bring it into view.
        requestAnimationFrame(() =>
          document.getElementById(JOB_PANEL_ID)?.scrollIntoView({ behavior: 'smooth', block: 'start' }),
        );
      },
    });
  };

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Import</h1>
          <p className="page-subtitle">
            Billing exports into this workspace: all or nothing, exact to the last digit, with every line traceable to
            its file
          </p>
        </div>
      </header>

      <Card title="Files" subtitle="Choose the exports to import">
        <FileChooser mode={transportKind()} onAdd={state.addSources} />
        <SelectedSources
          sources={state.sources}
          onRemove={state.removeSource}
          onClear={state.clearSources}
          disabled={start.isPending}
        />
      </Card>

      {paths.length > 0 && (
        <Card title="Check and import" subtitle="The format each file's header matched, and how to import it">
          <div className="import-check">
            <DetectedFiles query={detected} />
            <ImportOptionsForm
              format={state.format}
              onFormat={state.setFormat}
              options={state.options}
              onOption={state.setOption}
              disabled={start.isPending}
            />
            <div className="import-actions">
              <button
                type="button"
                className="button button-primary"
                disabled={blocked !== null || start.isPending}
                onClick={startImport}
                data-testid="import-start"
              >
                {start.isPending ? <Spinner size={12} /> : <Icon name="import" size={14} />}
                Import
              </button>
              {blocked && (
                <span className="muted" role="status">
                  {blocked}
                </span>
              )}
            </div>
            {start.isError && <ActionError action="start the import" error={start.error} />}
          </div>
        </Card>
      )}

      {state.jobId && (
        <div id={JOB_PANEL_ID} className="import-job-anchor">
          <ImportJobPanel key={state.jobId} jobId={state.jobId} onDismiss={() => state.setJobId(null)} />
        </div>
      )}

      <HeldImports except={state.jobId ? followedRun : null} />

      <RecentImports />
    </div>
  );
}
