import { useRef, type KeyboardEvent } from 'react';

export interface SegmentedOption<T extends string> {
  value: T;
  label: string;
  /** data-testid of the option's button. */
  testId?: string;
}

export interface SegmentedControlProps<T extends string> {
  /** Accessible name of the group, e.g. "Group by". */
  label: string;
  /** Show the label visibly before the options. */
  showLabel?: boolean;
  options: readonly SegmentedOption<T>[];
  value: T;
  onChange: (value: T) => void;
  size?: 'sm' | 'md';
}

/** A radio group drawn as joined buttons: arrow keys move the selection, one tab stop for the group. */
export function SegmentedControl<T extends string>({
  label,
  showLabel = false,
  options,
  value,
  onChange,
  size = 'md',
}: SegmentedControlProps<T>) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    const current = options.findIndex((o) => o.value === value);
    let next: number | undefined;
    if (step !== undefined) next = (current + step + options.length) % options.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = options.length - 1;
    const option = next === undefined ? undefined : options[next];
    if (next === undefined || !option) return;
    event.preventDefault();
    onChange(option.value);
    buttons.current[next]?.focus();
  };

  return (
    <div className={`segmented segmented-${size}`}>
      {showLabel && <span className="segmented-label">{label}</span>}
      <div className="segmented-options" role="radiogroup" aria-label={label} onKeyDown={onKeyDown}>
        {options.map((option, index) => {
          const checked = option.value === value;
          return (
            <button
              key={option.value}
              ref={(element) => {
                buttons.current[index] = element;
              }}
              type="button"
              role="radio"
              aria-checked={checked}
              tabIndex={checked ? 0 : -1}
              className="segmented-option"
              data-testid={option.testId}
              onClick={() => onChange(option.value)}
            >
              {option.label}
            </button>
          );
        })}
      </div>
    </div>
  );
}
