import type { AuditRecord } from '../../../../shared/audit';
import { CopyButton } from '../../components/CopyButton';
import { Drawer } from '../../components/Drawer';
import { JsonBlock } from '../../components/JsonBlock';
import { formatTimestamp, formatUtcTimestamp } from '../../lib/format';
import { AuditDiff } from './AuditDiff';
import { diffValues } from './diff';
import { useAuditScreenState } from './screen-state';
import { Fact } from '../../components/Fact';

/** The selected event in a side panel: every field, what it changed, and its place in the hash chain. */
export function AuditEventPanel({ firstBad }: { firstBad: { seq: number; reason: string } | null }) {
  const selected = useAuditScreenState((state) => state.selected);
  const select = useAuditScreenState((state) => state.select);
  if (selected === null) return null;
  return (
    <AuditEventDrawer
      key={selected.seq}
      event={selected}
      brokenReason={firstBad?.seq === selected.seq ? firstBad.reason : null}
      onClose={() => select(null)}
    />
  );
}

interface AuditEventDrawerProps {
  event: AuditRecord;
  /** Why the chain check rejects this event, when it is the first one that fails. */
  brokenReason: string | null;
  onClose: () => void;
}

function AuditEventDrawer({ event, brokenReason, onClose }: AuditEventDrawerProps) {
  const diff = diffValues(event.before, event.after);
  return (
    <Drawer
      title={event.action}
      subtitle={
        <>
          <span className="job-id num" title="Sequence number">
            #{event.seq}
          </span>
          <code className="job-type">
            {event.entityType}
            {event.entityId !== null && `:${event.entityId}`}
          </code>
        </>
      }
      onClose={onClose}
      testId="audit-detail"
    >
      <div className="audit-detail" data-seq={event.seq} data-action={event.action}>
        {brokenReason !== null && (
          <p className="notice notice-danger" role="alert" data-testid="audit-detail-broken">
            <strong>The hash chain breaks at this event:</strong> {brokenReason}. What is shown here may have been
            changed after it was recorded.
          </p>
        )}
        <dl className="facts audit-facts">
          <Fact label="Time">
            <time dateTime={event.ts}>{formatTimestamp(event.ts)}</time>
            <span className="fact-secondary num">{formatUtcTimestamp(event.ts)}</span>
          </Fact>
          <Fact label="Actor">
            {event.actor.os}
            <span className="fact-secondary">
              {event.actor.user === null ? 'not signed in to a sync server' : `signed in as ${event.actor.user}`}
            </span>
          </Fact>
          <Fact label="Entity type">{event.entityType}</Fact>
          <Fact label="Entity id">
            {event.entityId === null ? (
              <span className="muted">—</span>
            ) : (
              <span className="mono">{event.entityId}</span>
            )}
          </Fact>
          <Fact label="Run id">
            {event.runId === null ? <span className="muted">—</span> : <span className="mono">{event.runId}</span>}
          </Fact>
          <Fact label="App version">{event.appVersion}</Fact>
        </dl>

        {diff.kind !== 'none' && (
          <section className="detail-section">
            <h3 className="detail-heading">Change</h3>
            <AuditDiff diff={diff} />
          </section>
        )}

        <section className="detail-section">
          <h3 className="detail-heading">Details</h3>
          {event.details === null || event.details === undefined ? (
            <p className="muted">No details.</p>
          ) : (
            <JsonBlock value={event.details} label="Details" testId="audit-detail-details" />
          )}
        </section>

        <section className="detail-section">
          <h3 className="detail-heading">Hash chain</h3>
          <dl className="hash-list">
            <HashFact label="Previous hash" value={event.prevHash} testId="audit-detail-prev-hash" />
            <HashFact label="Hash" value={event.hash} testId="audit-detail-hash" />
          </dl>
          <p className="muted hash-note">
            The hash covers the previous hash and every field above, so changing any event breaks every hash after it.
          </p>
        </section>
      </div>
    </Drawer>
  );
}

function HashFact({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="hash-fact">
      <dt>{label}</dt>
      <dd>
        <span className="hash hash-full" data-testid={testId}>
          {value}
        </span>
        <CopyButton text={value} ariaLabel={`Copy ${label.toLowerCase()}`} />
      </dd>
    </div>
  );
}
