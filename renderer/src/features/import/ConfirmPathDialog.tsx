import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Spinner';

export interface ConfirmPathDialogProps {
  /** The path as the user typed it. */
  path: string;
  pending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * Browser mode asks before Valdrix reads a typed path: a web page cannot pick files on this computer by
 * itself, so the user's confirmation is what lets the import read it.
 */
export function ConfirmPathDialog({ path, pending, onConfirm, onCancel }: ConfirmPathDialogProps) {
  return (
    <Dialog
      title="Read a file or folder on this computer?"
      onClose={onCancel}
      testId="import-path-confirm"
      footer={
        <>
          <button type="button" className="button" onClick={onCancel} data-testid="import-path-confirm-cancel">
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            onClick={onConfirm}
            disabled={pending}
            data-testid="import-path-confirm-ok"
          >
            {pending ? <Spinner size={12} /> : <Icon name="import" size={14} />}
            {pending ? 'Checking…' : 'Yes, read it'}
          </button>
        </>
      }
    >
      <p className="confirm-path-question">
        Valdrix will read <span className="confirm-path mono">{path}</span> on this computer. Import it?
      </p>
      <p className="muted confirm-path-note">
        If this is a folder, Valdrix can read every file in it until you close Valdrix. Nothing is imported until you
        press Import.
      </p>
    </Dialog>
  );
}
