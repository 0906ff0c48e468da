import { useId, useRef, type ReactNode } from 'react';
import { Icon } from './Icon';
import { useModalFocus } from './useModalFocus';

export interface DialogProps {
  /** Accessible name and visible heading. */
  title: ReactNode;
  /** One line under the title saying what the dialog does. */
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** Buttons at the bottom right (the primary action last). */
  footer?: ReactNode;
  /** data-testid of the panel. */
  testId?: string;
}

/**
 * A centred modal for a short task (a form and its outcome) over the screen, with a dimmed backdrop. Like the
 * Drawer, Escape or the backdrop closes it and focus returns to where it was. It leaves the navigation usable:
 * after a task that produced something to compare elsewhere (an export's key fingerprint against Settings),
 * going there directly is the next step, and leaving the screen closes the dialog.
 */
export function Dialog({ title, description, onClose, children, footer, testId }: DialogProps) {
  const panel = useRef<HTMLElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  useModalFocus(panel, onClose);

  return (
    <div className="dialog-layer">
      <div className="drawer-backdrop" onClick={onClose} aria-hidden="true" />
      <section
        ref={panel}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description === undefined ? undefined : descriptionId}
        tabIndex={-1}
        data-testid={testId}
      >
        <header className="dialog-header">
          <div>
            <h2 className="drawer-title" id={titleId}>
              {title}
            </h2>
            {description !== undefined && (
              <p className="dialog-description" id={descriptionId}>
                {description}
              </p>
            )}
          </div>
          <button type="button" className="icon-button" onClick={onClose} aria-label="Close" title="Close (Esc)">
            <Icon name="close" />
          </button>
        </header>
        <div className="dialog-body">{children}</div>
        {footer !== undefined && <footer className="dialog-footer">{footer}</footer>}
      </section>
    </div>
  );
}
