import { Skeleton } from '../../components/Skeleton';

/** The Overview's layout in grey while the first answer loads. */
export function OverviewSkeleton() {
  return (
    <div className="overview-body" role="status" aria-label="Loading overview">
      <div className="kpi-grid">
        {[0, 1, 2].map((i) => (
          <div key={i} className="card kpi">
            <Skeleton width="45%" height={12} />
            <Skeleton width="70%" height={30} />
            <Skeleton width="55%" height={12} />
          </div>
        ))}
      </div>
      <div className="card">
        <Skeleton width="20%" height={14} />
        <Skeleton height={300} className="skeleton-chart" />
      </div>
      <div className="card">
        {[0, 1, 2, 3, 4, 5].map((i) => (
          <Skeleton key={i} height={18} className="skeleton-row" />
        ))}
      </div>
    </div>
  );
}
