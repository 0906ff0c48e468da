import type { HTMLAttributes } from 'react';

export interface ProgressBarProps extends Omit<HTMLAttributes<HTMLDivElement>, 'children' | 'role'> {
  /** Units done so far. */
  value: number;
  /** Units in all; null when the work does not know its size (the bar then runs indeterminate). */
  max: number | null;
  /** Accessible name, e.g. the job's title. */
  label: string;
  /** How a screen reader reads the value ("12 of 40 steps"); the bar's fill alone says nothing. */
  valueText?: string;
  /** Animates an indeterminate bar; a finished or waiting one stays still. */
  active?: boolean;
  tone?: 'accent' | 'success' | 'warning' | 'danger' | 'neutral';
  size?: 'sm' | 'md';
}

/** A horizontal progress bar with the progressbar role and its values for assistive technology. */
export function ProgressBar({
  value,
  max,
  label,
  valueText,
  active = true,
  tone = 'accent',
  size = 'md',
  className,
  ...rest
}: ProgressBarProps) {
  const indeterminate = max === null || max <= 0;
  // The fill's width is geometry only; the figures come from the caller.
  const pct = indeterminate ? 0 : Math.min(100, Math.max(0, (value / max) * 100));
  const classes = [
    'progress',
    `progress-${size}`,
    `progress-${tone}`,
    indeterminate && active ? 'is-indeterminate' : '',
    className ?? '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div
      className={classes}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuenow={value}
      aria-valuemax={indeterminate ? undefined : max}
      aria-valuetext={valueText}
      {...rest}
    >
      <div className="progress-fill" style={indeterminate ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
