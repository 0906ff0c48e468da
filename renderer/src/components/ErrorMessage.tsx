import type { ReactNode } from 'react';
import { AppError, type ErrorCode } from '../../../shared/api/errors';
import { asSentence } from '../lib/format';

/**
 * Errors whose message says what went wrong and what to do, in the user's terms: their code adds
 * nothing for the user. Others (a bug, a failed migration) show it, for a support request.
 */
const SELF_EXPLAINING: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'IMPORT_FORMAT',
  'AUTH',
  'FORBIDDEN',
  'RATE_LIMITED',
  'CANCELLED',
]);

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

/** An inline error where the user acted: what failed, why, its code when it is not self-explaining, and a retry. */
export function ErrorMessage({
  error,
  title = 'Something went wrong',
  onRetry,
  retrying,
  children,
  testId,
}: ErrorMessageProps) {
  const code = error instanceof AppError ? error.code : undefined;
  const message = asSentence(error instanceof Error ? error.message : String(error));
  const shownCode = code && !SELF_EXPLAINING.has(code) ? code : undefined;
  return (
    <div className="error-message" role="alert" data-testid={testId} data-code={code}>
      <div className="error-message-text">
        <strong>{title}</strong>
        <p>
          {message}
          {shownCode && (
            <>
              {' '}
              <code className="error-code">{shownCode}</code>
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
