import { QueryClientContext } from '@tanstack/react-query';
import { Component, useContext, useState, type ErrorInfo, type ReactNode } from 'react';
import type { AppInfo } from '../../../shared/api/app';
import { AppError } from '../../../shared/api/errors';
import { appInfoQueryKey } from '../features/overview/queries';

interface ErrorBoundaryProps {
  children: ReactNode;
  /** 'app' fills the window; 'screen' fills the content area and leaves the navigation usable. */
  variant?: 'app' | 'screen';
}

interface ErrorBoundaryState {
  error: Error | null;
  componentStack: string | null;
}

/** Catches unexpected render errors and shows them with a way to copy the details for a bug report. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: null, componentStack: null };

  static getDerivedStateFromError(error: unknown): Partial<ErrorBoundaryState> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    this.setState({ componentStack: info.componentStack ?? null });
    console.error('Unexpected error in the renderer', error);
  }

  private readonly reset = () => this.setState({ error: null, componentStack: null });

  override render() {
    const { error, componentStack } = this.state;
    if (!error) return this.props.children;
    return (
      <ErrorFallback
        error={error}
        componentStack={componentStack}
        variant={this.props.variant ?? 'app'}
        onReset={this.reset}
      />
    );
  }
}

function ErrorFallback({
  error,
  componentStack,
  variant,
  onReset,
}: {
  error: Error;
  componentStack: string | null;
  variant: 'app' | 'screen';
  onReset: () => void;
}) {
  // The boundary may sit outside the query provider; read the context without requiring it.
  const queryClient = useContext(QueryClientContext);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const code = error instanceof AppError ? error.code : undefined;

  const copyDetails = async () => {
    const info = queryClient?.getQueryData<AppInfo>(appInfoQueryKey);
    const details = {
      name: error.name,
      code: code ?? null,
      message: error.message,
      stack: error.stack ?? null,
      componentStack,
      appVersion: info?.version ?? null,
      mode: info?.mode ?? null,
      at: new Date().toISOString(),
    };
    try {
      await navigator.clipboard.writeText(JSON.stringify(details, null, 2));
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };

  return (
    <div className={`error-screen error-screen-${variant}`} role="alert">
      <div className="error-screen-panel">
        <h1>Something unexpected happened</h1>
        <p className="error-screen-message">
          {error.message || error.name}
          {code && (
            <>
              {' '}
              <code className="error-code">{code}</code>
            </>
          )}
        </p>
        <p className="muted">
          This part of Valdrix stopped on an error it did not expect. Try again; if it keeps happening, copy the details
          into a bug report.
        </p>
        <div className="button-row">
          <button type="button" className="button button-primary" onClick={onReset}>
            Try again
          </button>
          <button type="button" className="button" onClick={() => void copyDetails()}>
            {copy === 'copied' ? 'Copied' : 'Copy details'}
          </button>
        </div>
        {copy === 'failed' && (
          <details open className="error-screen-details">
            <summary>The clipboard is not available: select and copy these details</summary>
            <pre>{`${error.name}: ${error.message}\n${error.stack ?? ''}`}</pre>
          </details>
        )}
      </div>
    </div>
  );
}
