import { useRouter } from '../../app/router';
import { useExplorerState } from '../costs/screen-state';

/** Opens the Cost explorer on one day × billing account × service cell, by resource. */
export function OpenCellInExplorer({ cell }: { cell: { day: string; billingAccountId: string; serviceName: string } }) {
  const navigate = useRouter((state) => state.navigate);
  const showInExplorer = useExplorerState((state) => state.show);
  return (
    <button
      type="button"
      className="button button-sm"
      onClick={() => {
        showInExplorer({
          from: cell.day,
          to: cell.day,
          by: ['service', 'resource'],
          filters: { billing_account: [cell.billingAccountId], service: [cell.serviceName] },
        });
        navigate('explorer');
      }}
      data-testid="alert-open-explorer"
    >
      Open in Cost explorer
    </button>
  );
}
