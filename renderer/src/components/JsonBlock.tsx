export interface JsonBlockProps {
  value: unknown;
  /** Accessible name of the block ("Details"). */
  label: string;
  testId?: string;
}

/** A JSON value pretty-printed in a scrolling monospace block. */
export function JsonBlock({ value, label, testId }: JsonBlockProps) {
  const text = JSON.stringify(value, null, 2) ?? String(value);
  return (
    <pre className="code-block" aria-label={label} data-testid={testId}>
      {text}
    </pre>
  );
}
