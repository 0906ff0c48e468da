import { AppError } from '../../../shared/api/errors';

export interface FatalScreenProps {
  /** 'missing-token': browser mode opened without its launch link; 'startup-failed': app.info failed. */
  reason: 'missing-token' | 'startup-failed';
  error?: unknown;
  onRetry?: () => void;
  retrying?: boolean;
}

const LAUNCH_LINK_HINT = (
  <p>
    Open the link printed by <code>valdrix serve</code> / <code>npm start</code>; it carries a per-launch token.
  </p>
);

/** Shown instead of the app when it cannot start: says why and what to do. */
export function FatalScreen({ reason, error, onRetry, retrying }: FatalScreenProps) {
  const appError = error instanceof AppError ? error : undefined;
  const message = error instanceof Error ? error.message : error === undefined ? undefined : String(error);
  const tokenProblem = reason === 'missing-token' || appError?.code === 'AUTH';

  let title: string;
  let explanation;
  if (reason === 'missing-token') {
    title = 'Open Valdrix from its launch link';
    explanation = (
      <>
        <p>This page was opened without the access token that protects this session.</p>
        {LAUNCH_LINK_HINT}
      </>
    );
  } else if (tokenProblem) {
    title = 'This link has expired';
    explanation = (
      <>
        <p>Valdrix refused the access token. The token changes every time Valdrix starts.</p>
        {LAUNCH_LINK_HINT}
      </>
    );
  } else if (appError?.code === 'WORKSPACE_TOO_NEW') {
    title = 'This workspace needs a newer Valdrix';
    explanation = <p>It was written by a newer version of the app. Update Valdrix to open it; it was not changed.</p>;
  } else if (appError?.code === 'WORKSPACE_INVALID' || appError?.code === 'MIGRATION_FAILED') {
    title = 'The workspace could not be opened';
    explanation = <p>Check the workspace folder, or start Valdrix with another one using --workspace.</p>;
  } else if (appError?.code === 'UNAVAILABLE') {
    title = 'Valdrix is not reachable';
    explanation = <p>The Valdrix process may have stopped. Start it again and open the new link it prints.</p>;
  } else {
    title = 'Valdrix could not start';
    explanation = <p>The app did not answer its first request.</p>;
  }

  return (
    <div className="fatal-screen" data-testid="fatal-screen" data-reason={reason} role="alert">
      <div className="fatal-panel">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          Valdrix
        </div>
        <h1>{title}</h1>
        {explanation}
        {message && (
          <p className="fatal-error">
            {message}
            {appError && (
              <>
                {' '}
                <code className="error-code">{appError.code}</code>
              </>
            )}
          </p>
        )}
        {onRetry && !tokenProblem && (
          <button type="button" className="button button-primary" onClick={onRetry} disabled={retrying}>
            {retrying ? 'Retrying…' : 'Try again'}
          </button>
        )}
      </div>
    </div>
  );
}
