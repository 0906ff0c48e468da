import type { ImportResult } from '../../../../shared/api/costs';
import { formatCount } from '../../lib/format';
import { baseName } from './format';

/** The rows an import skipped because they could not be read, with where and why. */
export function SkippedRows({ rows, count }: { rows: ImportResult['skipped']; count: number }) {
  return (
    <section className="detail-section" aria-label="Skipped rows">
      <div className="detail-section-header">
        <h3 className="detail-heading">Skipped rows</h3>
        {count > rows.length && (
          <span className="muted">
            The first {formatCount(rows.length)} of {formatCount(count)} are listed
          </span>
        )}
      </div>
      <div className="table-scroll table-scroll-flush">
        <table className="data-table" data-testid="import-skipped" data-count={count}>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col" className="numeric">
                Line
              </th>
              <th scope="col">Column</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={4} className="table-empty">
                  No rows were skipped: every row could be read.
                </td>
              </tr>
            )}
            {rows.map((row, index) => (
              <tr key={index} data-testid="import-skipped-row" data-line={row.line ?? ''}>
                <th scope="row" title={row.file}>
                  {baseName(row.file)}
                </th>
                <td className="numeric">{row.line ?? '—'}</td>
                <td>{row.column ? <code>{row.column}</code> : <span className="muted">—</span>}</td>
                <td className="cell-wrap">{row.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
