import { AppError } from '../../../shared/api/errors';

export interface ErrorMessageProps {
  /** Usually an AppError from the API client; anything else is shown by its message. */
  error: unknown;
  title?: string;
  onRetry?: () => void;
  retrying?: boolean;
}

/** An inline error where the user acted: what failed, its code, and a retry. */
export function ErrorMessage({ error, title = 'Something went wrong', onRetry, retrying }: ErrorMessageProps) {
  const code = error instanceof AppError ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="error-message" role="alert">
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
      </div>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry} disabled={retrying}>
          {retrying ? 'Retrying…' : 'Retry'}
        </button>
      )}
    </div>
  );
}
