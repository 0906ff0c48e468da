import { useMemo, useState } from 'react';
import { Card } from '../../components/Card';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Skeleton } from '../../components/Skeleton';
import { formatTimestamp } from '../../lib/format';
import { metricFamily, parsePrometheusText } from './prometheus';
import { useMetrics } from './queries';

/** The job metrics as a table, and the raw exposition text to copy into a bug report or a scraper test. */
export function MetricsCard() {
  const metrics = useMetrics();
  const data = metrics.data;
  const parsed = useMemo(() => (data ? parsePrometheusText(data.text) : null), [data]);

  let body;
  if (data && parsed) {
    body = (
      <>
        {metrics.isError && (
          <ErrorMessage
            title="Showing earlier metrics: the refresh failed"
            error={metrics.error}
            onRetry={() => void metrics.refetch()}
            retrying={metrics.isFetching}
          />
        )}
        <div className="table-scroll table-scroll-flush metrics-scroll">
          <table className="data-table" data-testid="metrics-table" data-sample-count={parsed.samples.length}>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col">Labels</th>
                <th scope="col" className="numeric">
                  Value
                </th>
              </tr>
            </thead>
            <tbody>
              {parsed.samples.length === 0 && (
                <tr>
                  <td colSpan={3} className="table-empty">
                    No metrics reported.
                  </td>
                </tr>
              )}
              {parsed.samples.map((sample, index) => (
                <tr key={index} data-metric={sample.name}>
                  <th
                    scope="row"
                    className="cell-metric"
                    title={parsed.help.get(metricFamily(sample.name, parsed.help))}
                  >
                    {sample.name}
                  </th>
                  <td className="cell-wrap">
                    <span className="metric-labels">
                      {sample.labels.map(([name, value]) => (
                        <span key={name} className="metric-label">
                          <span className="metric-label-name">{name}</span>={value}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td className={sample.value === 'NaN' ? 'numeric muted' : 'numeric'}>{sample.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {parsed.invalid.length > 0 && (
          <p className="note">
            {parsed.invalid.length} {parsed.invalid.length === 1 ? 'line' : 'lines'} could not be read; see the raw text
            below.
          </p>
        )}
        <RawMetrics text={data.text} />
      </>
    );
  } else if (metrics.isError) {
    body = (
      <ErrorMessage
        title="The metrics could not be loaded"
        error={metrics.error}
        onRetry={() => void metrics.refetch()}
        retrying={metrics.isFetching}
      />
    );
  } else {
    body = (
      <div role="status" aria-label="Loading metrics">
        {[0, 1, 2, 3, 4, 5].map((i) => (
          <Skeleton key={i} height={18} className="skeleton-row" />
        ))}
      </div>
    );
  }

  return (
    <Card
      title="Job metrics"
      subtitle={
        data ? (
          <>
            Prometheus text format, generated{' '}
            <time dateTime={data.generatedAt}>{formatTimestamp(data.generatedAt)}</time>
          </>
        ) : (
          'Prometheus text format'
        )
      }
    >
      {body}
    </Card>
  );
}

function RawMetrics({ text }: { text: string }) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copyText = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };
  return (
    <section className="detail-section raw-metrics">
      <div className="detail-section-header">
        <h3 className="detail-heading">Raw text</h3>
        <button type="button" className="button button-sm" data-testid="metrics-copy" onClick={() => void copyText()}>
          {copy === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {copy === 'failed' && (
        <p className="action-error" role="alert">
          The clipboard is not available: select the text below and copy it.
        </p>
      )}
      <pre className="code-block code-block-tall" data-testid="metrics-raw">
        {text}
      </pre>
    </section>
  );
}
