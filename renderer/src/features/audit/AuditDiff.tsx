import type { DiffChange, DiffRow, ValueDiff } from './diff';

const CHANGE_LABELS: Record<DiffChange, string> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  same: 'unchanged',
};

/** A JSON value as it is stored, in monospace: strings quoted, objects indented. */
function JsonValue({ value }: { value: unknown }) {
  const text =
    typeof value === 'object' && value !== null ? JSON.stringify(value, null, 2) : (JSON.stringify(value) ?? 'null');
  return <code className="diff-value">{text}</code>;
}

/** The side of a change that has no value: the key did not exist (or the entity did not). */
function Absent({ side }: { side: 'before' | 'after' }) {
  return (
    <span className="diff-absent" title={side === 'before' ? 'Not present before' : 'Not present after'}>
      —
    </span>
  );
}

/** What an event changed: a table of keys for objects, or the whole value before → after. */
export function AuditDiff({ diff }: { diff: Exclude<ValueDiff, { kind: 'none' }> }) {
  if (diff.kind === 'scalar') {
    return (
      <div
        className={`diff-scalar diff-${diff.change}`}
        data-testid="audit-diff"
        data-kind="scalar"
        data-change={diff.change}
      >
        <div className="diff-side">
          <span className="diff-side-label">Before</span>
          {diff.before === null ? <Absent side="before" /> : <JsonValue value={diff.before} />}
        </div>
        <span className="diff-arrow" aria-label="became">
          →
        </span>
        <div className="diff-side">
          <span className="diff-side-label">After</span>
          {diff.after === null ? <Absent side="after" /> : <JsonValue value={diff.after} />}
        </div>
      </div>
    );
  }

  const { counts } = diff;
  const summary = (['added', 'removed', 'changed', 'same'] as const)
    .filter((change) => counts[change] > 0)
    .map((change) => `${counts[change]} ${CHANGE_LABELS[change]}`)
    .join(' · ');
  return (
    <>
      <p className="diff-summary muted">{summary}</p>
      <div className="table-scroll table-scroll-flush">
        <table className="data-table diff-table" data-testid="audit-diff" data-kind="object">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {diff.rows.map((row) => (
              <DiffTableRow key={row.key} row={row} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function DiffTableRow({ row }: { row: DiffRow }) {
  return (
    <tr
      className={`diff-row diff-${row.change}`}
      data-testid="audit-diff-row"
      data-key={row.key}
      data-change={row.change}
    >
      <th scope="row" className="diff-key">
        <span className="diff-key-name">{row.key}</span>
        {row.change !== 'same' && <span className="diff-tag">{CHANGE_LABELS[row.change]}</span>}
      </th>
      <td className="diff-cell diff-before">
        {row.hasBefore ? <JsonValue value={row.before} /> : <Absent side="before" />}
      </td>
      <td className="diff-cell diff-after">
        {row.hasAfter ? <JsonValue value={row.after} /> : <Absent side="after" />}
      </td>
    </tr>
  );
}
