import { AlertsCard } from './AlertsCard';
import { MetricsCard } from './MetricsCard';

/** How the app's background work is doing: job metrics and recent alerts, refreshed every 5 s. */
export function DiagnosticsScreen() {
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Diagnostics</h1>
          <p className="page-subtitle">Job metrics and alerts, refreshed every 5 seconds</p>
        </div>
      </header>
      <AlertsCard />
      <MetricsCard />
    </div>
  );
}
