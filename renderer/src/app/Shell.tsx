import type { AppInfo } from '../../../shared/api/app';
import { Badge } from '../components/Badge';
import { Icon } from '../components/Icon';
import { SegmentedControl, type SegmentedOption } from '../components/SegmentedControl';
import { AuditScreen } from '../features/audit/AuditScreen';
import { CostExplorerScreen } from '../features/costs/CostExplorerScreen';
import { DiagnosticsScreen } from '../features/diagnostics/DiagnosticsScreen';
import { ImportScreen } from '../features/import/ImportScreen';
import { JobActivity } from '../features/jobs/JobActivity';
import { JobsScreen } from '../features/jobs/JobsScreen';
import { OverviewScreen } from '../features/overview/OverviewScreen';
import { RestatementsScreen } from '../features/restatements/RestatementsScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { formatDay } from '../lib/format';
import { ErrorBoundary } from './ErrorBoundary';
import { useHostStatus } from './host-status';
import { SCREENS, useRouter, type ScreenId } from './router';
import { useTheme, type ThemePreference } from './theme';
import { useEvents } from './useEvents';

const THEME_OPTIONS: readonly SegmentedOption<ThemePreference>[] = [
  { value: 'system', label: 'System', testId: 'theme-system' },
  { value: 'light', label: 'Light', testId: 'theme-light' },
  { value: 'dark', label: 'Dark', testId: 'theme-dark' },
];

/** The app frame once started: navigation, workspace header and the current screen. */
export function Shell({ info }: { info: AppInfo }) {
  useEvents();
  const screen = useRouter((state) => state.screen);
  const closingAt = useHostStatus((state) => state.closingAt);

  return (
    <div className="shell" data-testid="app-shell">
      <Sidebar info={info} />
      <div className="shell-main">
        <Header info={info} />
        {closingAt && (
          <div className="banner" role="status">
            Valdrix is shutting down. Start it again and open the new link to continue.
          </div>
        )}
        <main className="content">
          <ErrorBoundary key={screen} variant="screen">
            <CurrentScreen screen={screen} />
          </ErrorBoundary>
        </main>
      </div>
    </div>
  );
}

function CurrentScreen({ screen }: { screen: ScreenId }) {
  switch (screen) {
    case 'overview':
      return <OverviewScreen />;
    case 'explorer':
      return <CostExplorerScreen />;
    case 'import':
      return <ImportScreen />;
    case 'restatements':
      return <RestatementsScreen />;
    case 'jobs':
      return <JobsScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'diagnostics':
      return <DiagnosticsScreen />;
    case 'settings':
      return <SettingsScreen />;
    default:
      // The router only opens available screens; anything else is a programming error.
      throw new Error(`screen "${screen}" is not available yet`);
  }
}

function Sidebar({ info }: { info: AppInfo }) {
  const screen = useRouter((state) => state.screen);
  const navigate = useRouter((state) => state.navigate);
  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Valdrix
      </div>
      <nav aria-label="Main">
        <ul className="nav">
          {SCREENS.map((item) => (
            <li key={item.id}>
              <button
                type="button"
                className="nav-item"
                aria-current={item.id === screen ? 'page' : undefined}
                disabled={!item.available}
                title={item.available ? undefined : `${item.label} is coming soon`}
                onClick={() => navigate(item.id)}
                data-testid={`nav-${item.id}`}
              >
                <Icon name={item.icon} />
                <span className="nav-label">{item.label}</span>
                {!item.available && <span className="nav-soon">Soon</span>}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div className="sidebar-footer">
        <span>Valdrix {info.version}</span>
        <span>{info.mode === 'electron' ? 'Desktop' : 'Browser mode'}</span>
      </div>
    </aside>
  );
}

function Header({ info }: { info: AppInfo }) {
  const theme = useTheme((state) => state.theme);
  const setTheme = useTheme((state) => state.setTheme);
  const { workspace } = info;
  return (
    <header className="topbar">
      <div className="topbar-workspace">
        <span className="topbar-workspace-name" title={workspace.path}>
          {workspace.name}
        </span>
        {workspace.isDemo && (
          <Badge tone="accent" title="Generated demo data">
            Demo
          </Badge>
        )}
        <span className="topbar-divider" aria-hidden="true" />
        <span className="topbar-asof">
          As of <time dateTime={info.asOf}>{formatDay(info.asOf, { withYear: true })}</time>
        </span>
        {info.clockFrozen && (
          <Badge
            tone="warning"
            className="badge-icon"
            title={`The clock is fixed (--as-of or VALDRIX_NOW): "today" is ${formatDay(info.asOf, { withYear: true })}`}
          >
            <Icon name="clock" size={12} />
            clock frozen
          </Badge>
        )}
      </div>
      <div className="topbar-actions">
        <JobActivity />
        <SegmentedControl label="Theme" options={THEME_OPTIONS} value={theme} onChange={setTheme} size="sm" />
      </div>
    </header>
  );
}
