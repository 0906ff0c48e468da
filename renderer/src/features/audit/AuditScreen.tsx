import { useState } from 'react';
import { Icon } from '../../components/Icon';
import { AuditEventPanel } from './AuditEventDrawer';
import { AuditEvents } from './AuditEvents';
import { ChainStatus } from './ChainStatus';
import { ExportDialog } from './ExportDialog';
import { useAuditStatus } from './queries';

/** The tamper-evident audit trail: whether its hash chain holds, the events, each in detail, and exports. */
export function AuditScreen() {
  // Not kept in the screen's store: leaving the screen closes the dialog for good.
  const [exportOpen, setExportOpen] = useState(false);
  // One chain check for the screen: the header shows it, the table and the drawer mark the first bad event.
  const status = useAuditStatus();
  const firstBad = status.data?.firstBad ?? null;
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Audit log</h1>
          <p className="page-subtitle">Every change and user action in this workspace, hash-chained</p>
        </div>
        <div className="page-controls">
          <ChainStatus status={status} />
          <button type="button" className="button" onClick={() => setExportOpen(true)} data-testid="audit-export-open">
            <Icon name="export" size={14} />
            Export…
          </button>
        </div>
      </header>
      <AuditEvents firstBadSeq={firstBad?.seq ?? null} />
      <AuditEventPanel firstBad={firstBad} />
      {exportOpen && <ExportDialog onClose={() => setExportOpen(false)} />}
    </div>
  );
}
