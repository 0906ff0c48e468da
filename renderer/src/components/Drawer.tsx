import { useId, useRef, type ReactNode } from 'react';
import { Icon } from './Icon';
import { useModalFocus } from './useModalFocus';

export interface DrawerProps {
  /** Accessible name and visible heading. */
  title: ReactNode;
  /** Shown under the title (status, identifiers). */
  subtitle?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** data-testid of the panel. */
  testId?: string;
}

/**
 * A panel sliding over the right of the content with a dimmed backdrop. Escape or the backdrop closes it;
 * focus moves into it on open and back to where it was on close.
 */
export function Drawer({ title, subtitle, onClose, children, testId }: DrawerProps) {
  const panel = useRef<HTMLElement>(null);
  const titleId = useId();
  useModalFocus(panel, onClose);

  return (
    <div className="drawer-layer">
      <div className="drawer-backdrop" onClick={onClose} aria-hidden="true" />
      <aside
        ref={panel}
        className="drawer"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-testid={testId}
      >
        <header className="drawer-header">
          <div className="drawer-heading">
            <h2 className="drawer-title" id={titleId}>
              {title}
            </h2>
            {subtitle !== undefined && <div className="drawer-subtitle">{subtitle}</div>}
          </div>
          <button type="button" className="icon-button" onClick={onClose} aria-label="Close" title="Close (Esc)">
            <Icon name="close" />
          </button>
        </header>
        <div className="drawer-body">{children}</div>
      </aside>
    </div>
  );
}
