import { AppError } from '../../../../shared/api/errors';

/** A one-line error right where a job action was taken ("Could not cancel: …"). */
export function ActionError({ action, error }: { action: string; error: unknown }) {
  const code = error instanceof AppError ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <p className="action-error" role="alert">
      <strong>Could not {action}:</strong> {message}
      {code && (
        <>
          {' '}
          <code className="error-code">{code}</code>
        </>
      )}
    </p>
  );
}
