import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { AppError, type ErrorCode } from '../../../shared/api/errors';

/** Errors that a second attempt cannot fix: retrying only delays the message. */
const PERMANENT_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'IMPORT_FORMAT',
  'AUTH',
  'FORBIDDEN',
  'WORKSPACE_INVALID',
  'WORKSPACE_TOO_NEW',
  'MIGRATION_FAILED',
]);

const MAX_RETRIES = 2;

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failureCount, error) =>
          !(error instanceof AppError && PERMANENT_ERRORS.has(error.code)) && failureCount < MAX_RETRIES,
        // A desktop app refocuses constantly; data changes arrive as data.changed events instead.
        refetchOnWindowFocus: false,
        staleTime: 30_000,
      },
      mutations: { retry: false },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(createQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
