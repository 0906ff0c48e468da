import { Tabs, tabPanelProps, type TabItem } from '../../components/Tabs';
import { LinesDrawer } from '../costs/LinesDrawer';
import { formatDay } from '../../lib/format';
import { RestatementAlerts } from './RestatementAlerts';
import { RestatementsList } from './RestatementsList';
import { useRestatementAlerts } from './queries';
import { useRestatementsScreenState, type RestatementDrill, type RestatementsTab } from './screen-state';
import './restatements.css';

const TAB_ID = 'restatements';

/** What later imports changed in earlier ones: every restated line, and the days that moved past the threshold. */
export function RestatementsScreen() {
  const tab = useRestatementsScreenState((state) => state.tab);
  const setTab = useRestatementsScreenState((state) => state.setTab);
  const drill = useRestatementsScreenState((state) => state.drill);
  const openDrill = useRestatementsScreenState((state) => state.openDrill);
  const alerts = useRestatementAlerts();
  const alertCount = alerts.data?.length;

  const tabs: TabItem<RestatementsTab>[] = [
    { value: 'changes', label: 'Restated lines', testId: 'restatements-tab-changes' },
    {
      value: 'alerts',
      label: (
        <>
          Alerts
          {alertCount !== undefined && alertCount > 0 && (
            <span className="tab-count num" aria-label={`${alertCount} alerts`}>
              {alertCount}
            </span>
          )}
        </>
      ),
      testId: 'restatements-tab-alerts',
    },
  ];

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Restatements</h1>
          <p className="page-subtitle">
            Lines a later import changed, added or removed against the earlier import of the same account and period
          </p>
        </div>
      </header>
      <Tabs label="Restatements" tabs={tabs} value={tab} onChange={setTab} idPrefix={TAB_ID} />
      <div {...tabPanelProps(TAB_ID, tab)} className="tab-panel">
        {tab === 'changes' ? <RestatementsList /> : <RestatementAlerts query={alerts} />}
      </div>
      {drill && <DrillDrawer drill={drill} onClose={() => openDrill(null)} />}
    </div>
  );
}

function DrillDrawer({ drill, onClose }: { drill: RestatementDrill; onClose: () => void }) {
  if (drill.kind === 'restatement') {
    const ids = [drill.oldLineId, drill.newLineId].filter((id): id is number => id !== null);
    const markers: Record<number, string> = {};
    if (drill.oldLineId !== null) markers[drill.oldLineId] = 'Before';
    if (drill.newLineId !== null) markers[drill.newLineId] = 'After';
    return (
      <LinesDrawer
        title={drill.title}
        subtitle={<span className="muted">The line before and after the restatement, with where each came from</span>}
        input={{ ids }}
        markers={markers}
        onClose={onClose}
      />
    );
  }
  return (
    <LinesDrawer
      title={drill.title}
      subtitle={
        <span className="muted">
          Current lines of {drill.serviceName} in {drill.billingAccountId} on {formatDay(drill.day, { withYear: true })}
        </span>
      }
      input={{
        from: drill.day,
        to: drill.day,
        filters: { billing_account: [drill.billingAccountId], service: [drill.serviceName] },
      }}
      onClose={onClose}
    />
  );
}
