import { useRouter } from '../../app/router';
import { Badge, type BadgeTone } from '../../components/Badge';
import { Card } from '../../components/Card';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Money } from '../../components/Money';
import { Skeleton } from '../../components/Skeleton';
import { formatCount, formatElapsed, formatTimestamp, shortId } from '../../lib/format';
import { useRestatementsScreenState } from '../restatements/screen-state';
import { baseName } from './format';
import { JobFailureLine } from '../jobs/JobFailureNote';
import { runSummary, useImportRuns } from './queries';

const STATUS_TONES: Record<string, BadgeTone> = {
  succeeded: 'success',
  running: 'info',
  failed: 'danger',
  held: 'warning',
  discarded: 'neutral',
};

/** The latest import runs with what each did. */
export function RecentImports() {
  const runs = useImportRuns(20);
  const navigate = useRouter((state) => state.navigate);
  const showRun = useRestatementsScreenState((state) => state.showRun);
  const data = runs.data;

  let body;
  if (data) {
    body = (
      <div className="table-scroll">
        <table className="data-table" data-testid="import-runs">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Source</th>
              <th scope="col">Status</th>
              <th scope="col">Files</th>
              <th scope="col" className="numeric">
                Rows
              </th>
              <th scope="col" className="numeric">
                Billed
              </th>
              <th scope="col" className="numeric">
                Restated
              </th>
              <th scope="col" className="numeric">
                Duration
              </th>
            </tr>
          </thead>
          <tbody>
            {data.length === 0 && (
              <tr>
                <td colSpan={8} className="table-empty">
                  Nothing imported yet.
                </td>
              </tr>
            )}
            {data.map((run) => {
              const summary = runSummary(run.summary);
              const files = summary.files.map((f) => baseName(f.path));
              return (
                <tr key={run.id} data-testid="import-run" data-run-id={run.id} data-status={run.status}>
                  <td>
                    <time dateTime={run.startedAt} title={run.id}>
                      {formatTimestamp(run.startedAt)}
                    </time>
                  </td>
                  <td>{run.source}</td>
                  <td className="cell-wrap">
                    <Badge tone={STATUS_TONES[run.status] ?? 'neutral'}>{run.status}</Badge>
                    {summary.error && (
                      <span className="job-history-error">
                        <JobFailureLine job={{ status: 'dead', type: 'costs.import', error: summary.error }} />
                      </span>
                    )}
                  </td>
                  <td className="cell-wrap" title={files.join('\n')}>
                    {files.length === 0 ? (
                      <span className="muted">—</span>
                    ) : files.length === 1 ? (
                      files[0]
                    ) : (
                      `${files[0]} and ${formatCount(files.length - 1)} more`
                    )}
                  </td>
                  <td className="numeric">{formatCount(run.rowsRead)}</td>
                  <td className="numeric">
                    {summary.totals.length === 0 ? (
                      <span className="muted">—</span>
                    ) : (
                      summary.totals.map((total) => (
                        <div key={total.currency}>
                          <Money amount={total.billed} currency={total.currency} />
                        </div>
                      ))
                    )}
                  </td>
                  <td className="numeric">
                    {summary.restated > 0 ? (
                      <button
                        type="button"
                        className="link-button link-accent"
                        onClick={() => {
                          showRun(run.id);
                          navigate('restatements');
                        }}
                        aria-label={`${summary.restated} restated lines in run ${shortId(run.id)}`}
                      >
                        {formatCount(summary.restated)}
                      </button>
                    ) : (
                      <span className="muted">0</span>
                    )}
                  </td>
                  <td className="numeric muted">{formatElapsed(run.startedAt, run.finishedAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    );
  } else if (runs.isError) {
    body = (
      <ErrorMessage
        title="Recent imports could not be loaded"
        error={runs.error}
        onRetry={() => void runs.refetch()}
        retrying={runs.isFetching}
      />
    );
  } else {
    body = (
      <div role="status" aria-label="Loading recent imports">
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} height={18} className="skeleton-row" />
        ))}
      </div>
    );
  }

  return (
    <Card title="Recent imports" subtitle="Newest first, from this window and the command line">
      {body}
    </Card>
  );
}
