import { useEffect, useState } from 'react';

export interface CopyButtonProps {
  /** The exact text put on the clipboard. */
  text: string;
  /** Visible label before copying, e.g. "Copy" or "Copy path". */
  label?: string;
  /** Accessible name when the label alone is ambiguous ("Copy public key"). */
  ariaLabel?: string;
  testId?: string;
}

/** A small button that copies text, says "Copied" for a moment, and says so when the clipboard refuses. */
export function CopyButton({ text, label = 'Copy', ariaLabel, testId }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };

  return (
    <button
      type="button"
      className="button button-sm"
      aria-label={ariaLabel}
      title={state === 'failed' ? 'The clipboard is not available: select the text and copy it' : undefined}
      data-testid={testId}
      data-copy-state={state}
      onClick={() => void copy()}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </button>
  );
}
