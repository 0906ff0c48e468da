import type { HTMLAttributes, ReactNode } from 'react';

export interface CardProps extends Omit<HTMLAttributes<HTMLElement>, 'title'> {
  title?: ReactNode;
  subtitle?: ReactNode;
  /** Controls shown at the right of the card header. */
  actions?: ReactNode;
  children?: ReactNode;
}

/** A bordered surface with an optional header. */
export function Card({ title, subtitle, actions, children, className, ...rest }: CardProps) {
  const hasHeader = title !== undefined || subtitle !== undefined || actions !== undefined;
  return (
    <section className={className ? `card ${className}` : 'card'} {...rest}>
      {hasHeader && (
        <header className="card-header">
          <div className="card-heading">
            {title !== undefined && <h2 className="card-title">{title}</h2>}
            {subtitle !== undefined && <p className="card-subtitle">{subtitle}</p>}
          </div>
          {actions !== undefined && <div className="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}
