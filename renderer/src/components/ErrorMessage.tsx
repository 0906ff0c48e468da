import type { ReactNode } from 'react';
import { AppError } from '../../../shared/api/errors';

export interface ErrorMessageProps {
  /** Usually an AppError from the API client; anything else is shown by its message. */
  error: unknown;
  title?: string;
  onRetry?: () => void;
  retrying?: boolean;
  /** More help under the message (what to do about this error). */
  children?: ReactNode;
  /** data-testid of the message. */
  testId?: string;
}

/** An inline error where the user acted: what failed, its code, and a retry. */
export function ErrorMessage({
  error,
  title = 'Something went wrong',
  onRetry,
  retrying,
  children,
  testId,
}: ErrorMessageProps) {
  const code = error instanceof AppError ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="error-message" role="alert" data-testid={testId} data-code={code}>
      <div className="error-message-text">
        <strong>{title}</strong>
        <p>
          {message}
          {code && (
            <>
              {' '}
              <code className="error-code">{code}</code>
            </>
          )}
        </p>
        {children !== undefined && <div className="error-message-hint">{children}</div>}
      </div>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry} disabled={retrying}>
          {retrying ? 'Retrying…' : 'Retry'}
        </button>
      )}
    </div>
  );
}
