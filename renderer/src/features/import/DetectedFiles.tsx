import type { ChannelOutput } from '../../../../shared/api/contract';
import { Badge } from '../../components/Badge';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Skeleton } from '../../components/Skeleton';
import { baseName, formatLabel, shownPath } from './format';
import type { useDetectedFiles } from './queries';

type Detected = ChannelOutput<'imports.detect'>[number];

/** Each file the import would read, with the format its header matched (or why it cannot be read). */
export function DetectedFiles({ query }: { query: ReturnType<typeof useDetectedFiles> }) {
  const files = query.data;
  if (files) {
    return (
      <div
        className={query.isFetching ? 'table-scroll table-scroll-flush is-updating' : 'table-scroll table-scroll-flush'}
      >
        <table className="data-table" data-testid="import-detected" aria-busy={query.isFetching}>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Format</th>
              <th scope="col">Container</th>
              <th scope="col" className="numeric">
                Columns
              </th>
            </tr>
          </thead>
          <tbody>
            {files.length === 0 && (
              <tr>
                <td colSpan={4} className="table-empty">
                  No export files found there.
                </td>
              </tr>
            )}
            {files.map((file) => (
              <DetectedRow key={file.path} file={file} />
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  if (query.isError) {
    return (
      <ErrorMessage
        title="The files could not be checked"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
        testId="import-detect-error"
      />
    );
  }
  return (
    <div role="status" aria-label="Checking the files">
      {[0, 1].map((i) => (
        <Skeleton key={i} height={18} className="skeleton-row" />
      ))}
    </div>
  );
}

function DetectedRow({ file }: { file: Detected }) {
  const scores = file.scores.map((s) => `${formatLabel(s.format)} ${s.score.toFixed(2)}`).join(', ');
  return (
    <tr
      data-testid="import-detected-row"
      data-format={file.format ?? ''}
      data-variant={file.variant ?? ''}
      data-error={file.error ? 'true' : 'false'}
    >
      <th scope="row" className="cell-wrap">
        <span className="detected-name">{baseName(file.path)}</span>
        {shownPath(file.path) !== baseName(file.path) && (
          <span className="mono muted detected-path" title={shownPath(file.path)}>
            {shownPath(file.path)}
          </span>
        )}
      </th>
      <td className="cell-wrap">
        {file.error ? (
          <span className="detected-error" role="note">
            <Badge tone="danger">Cannot import</Badge> {file.error}
          </span>
        ) : (
          <span title={scores ? `Header match: ${scores}` : undefined}>
            <Badge tone="accent" data-testid="import-detected-format">
              {formatLabel(file.format)}
            </Badge>{' '}
            {file.variant && <span className="muted">{file.variant}</span>}
          </span>
        )}
      </td>
      <td>
        <code>{file.container}</code>
      </td>
      <td className="numeric muted">{file.columnCount}</td>
    </tr>
  );
}
