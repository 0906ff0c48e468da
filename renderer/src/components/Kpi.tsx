import type { ReactNode } from 'react';

export interface KpiProps {
  label: ReactNode;
  /** The headline figure, usually a <Money>. */
  value: ReactNode;
  /** A secondary line under the value (period, comparison). */
  detail?: ReactNode;
  /** A change indicator shown beside the detail. */
  delta?: ReactNode;
}

/** A key figure card. */
export function Kpi({ label, value, detail, delta }: KpiProps) {
  return (
    <section className="card kpi">
      <h2 className="kpi-label">{label}</h2>
      <div className="kpi-value">{value}</div>
      {(detail !== undefined || delta !== undefined) && (
        <div className="kpi-detail">
          {delta}
          {detail !== undefined && <span>{detail}</span>}
        </div>
      )}
    </section>
  );
}
