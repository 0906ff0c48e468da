import { useState } from 'react';
import { useAppInfo } from '../features/overview/queries';
import { missingBridgeToken } from '../lib/api';
import { FatalScreen } from './FatalScreen';
import { Shell } from './Shell';

/** Startup: without a bridge token or an answer to app.info there is no app, only a fatal screen. */
export function App() {
  // Checked once: reading the token also moves it out of the address bar.
  const [tokenMissing] = useState(missingBridgeToken);
  const info = useAppInfo({ enabled: !tokenMissing });

  if (tokenMissing) return <FatalScreen reason="missing-token" />;
  // Once started, a failed refresh of app.info keeps the app running on the last answer.
  if (info.data) return <Shell info={info.data} />;
  if (info.isError) {
    return (
      <FatalScreen
        reason="startup-failed"
        error={info.error}
        onRetry={() => void info.refetch()}
        retrying={info.isFetching}
      />
    );
  }
  return (
    <div className="splash" role="status" aria-label="Starting Valdrix">
      <div className="brand brand-large">
        <span className="brand-mark" aria-hidden="true" />
        Valdrix
      </div>
    </div>
  );
}
