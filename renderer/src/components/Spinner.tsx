export interface SpinnerProps {
  size?: number;
  className?: string;
}

/** A small spinning ring beside text that says what is busy; decorative, so hidden from screen readers. */
export function Spinner({ size = 14, className }: SpinnerProps) {
  return (
    <span
      className={className ? `spinner ${className}` : 'spinner'}
      style={{ width: size, height: size }}
      aria-hidden="true"
    />
  );
}
