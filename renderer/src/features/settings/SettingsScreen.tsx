import { Card } from '../../components/Card';
import { CopyButton } from '../../components/CopyButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Skeleton } from '../../components/Skeleton';
import { ImportAlertsCard } from './ImportAlertsCard';
import { ReplaceGuardCard } from './ReplaceGuardCard';
import { ImportLimitsCard } from './ImportLimitsCard';
import { SigningKeyCard } from './SigningKeyCard';
import { useSettings } from './queries';

const currencyNames = new Intl.DisplayNames('en-US', { type: 'currency' });

/** The workspace's settings and the audit signing key auditors check exports against. */
export function SettingsScreen() {
  const settings = useSettings();
  const data = settings.data;

  let body;
  if (data) {
    body = (
      <>
        <Card title="Workspace" data-testid="settings-workspace">
          <dl className="facts">
            <div>
              <dt>Folder</dt>
              <dd className="settings-path">
                <span className="mono break" data-testid="settings-workspace-path">
                  {data.workspacePath}
                </span>
                <CopyButton text={data.workspacePath} ariaLabel="Copy the workspace folder" />
              </dd>
            </div>
            <div>
              <dt>Reporting currency</dt>
              <dd data-testid="settings-currency">
                <strong>{data.reportingCurrency}</strong>{' '}
                <span className="muted">{currencyNames.of(data.reportingCurrency)}</span>
              </dd>
            </div>
          </dl>
          <p className="note">
            Costs in other currencies are shown apart, never converted. The reporting currency is chosen when the
            workspace is created.
          </p>
        </Card>
        <ImportAlertsCard
          key={`${data.importAlerts.alertThresholdPct}/${data.importAlerts.alertMinAmount}`}
          thresholdPct={data.importAlerts.alertThresholdPct}
          minAmount={data.importAlerts.alertMinAmount}
        />
        <ReplaceGuardCard key={data.importAlerts.replaceGuardPct} guardPct={data.importAlerts.replaceGuardPct} />
        <ImportLimitsCard
          key={`${data.importLimits.maxRecordBytes}/${data.importLimits.maxFieldBytes}`}
          maxRecordBytes={data.importLimits.maxRecordBytes}
          maxFieldBytes={data.importLimits.maxFieldBytes}
        />
        <SigningKeyCard publicKey={data.auditPublicKey} fingerprint={data.auditPublicKeyFingerprint} />
      </>
    );
  } else if (settings.isError) {
    body = (
      <ErrorMessage
        title="Settings could not be loaded"
        error={settings.error}
        onRetry={() => void settings.refetch()}
        retrying={settings.isFetching}
      />
    );
  } else {
    body = (
      <Card>
        <div role="status" aria-label="Loading settings">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} height={18} className="skeleton-row" />
          ))}
        </div>
      </Card>
    );
  }

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Settings</h1>
          <p className="page-subtitle">
            This workspace, how it imports (alerts and size limits) and the key that signs its audit exports
          </p>
        </div>
      </header>
      {body}
    </div>
  );
}
