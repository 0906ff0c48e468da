import type { ReactNode } from 'react';

export interface EmptyStateProps {
  title: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
}

/** Shown where a screen has nothing to display yet, with a hint on how to get data. */
export function EmptyState({ title, children, actions }: EmptyStateProps) {
  return (
    <div className="empty-state" role="status">
      <svg className="empty-state-icon" viewBox="0 0 48 48" aria-hidden="true">
        <rect x="6" y="26" width="8" height="14" rx="2" />
        <rect x="20" y="18" width="8" height="22" rx="2" />
        <rect x="34" y="10" width="8" height="30" rx="2" />
      </svg>
      <h2 className="empty-state-title">{title}</h2>
      {children !== undefined && <div className="empty-state-body">{children}</div>}
      {actions !== undefined && <div className="empty-state-actions">{actions}</div>}
    </div>
  );
}
