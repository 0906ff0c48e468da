import { Card } from '../../components/Card';
import { ErrorMessage } from '../../components/ErrorMessage';
import { baseName } from './format';
import { HeldImport } from './HeldImport';
import { useHeldImports } from './queries';

/**
 * Imports waiting for a decision, wherever they were started (this screen, another window, the CLI);
 * `except` is the run the job panel above already shows.
 */
export function HeldImports({ except }: { except: string | null }) {
  const held = useHeldImports();
  const runs = held.data?.filter((result) => result.runId !== except) ?? [];
  if (held.isError) {
    return (
      <Card title="Held imports">
        <ErrorMessage
          title="Held imports could not be loaded"
          error={held.error}
          onRetry={() => void held.refetch()}
          retrying={held.isFetching}
        />
      </Card>
    );
  }
  if (runs.length === 0) return null;
  return (
    <Card
      title="Held imports"
      subtitle="Written but not published: each would remove much of what is stored. Accept or discard it."
      data-testid="held-imports"
    >
      {runs.map((result) => (
        <div key={result.runId} className="held-import-entry">
          <p className="muted">
            {result.files.length} {result.files.length === 1 ? 'file' : 'files'} into source {result.source}:{' '}
            {result.files.map((file) => baseName(file.path)).join(', ')}
          </p>
          <HeldImport result={result} />
        </div>
      ))}
    </Card>
  );
}
