import { formatPercent, percentDirection } from '../lib/format';

export interface PercentProps {
  /** Percent decimal string from the core ("12.3"); null shows "—". */
  value: string | null;
  /**
   * 'change' shows a signed value with an arrow and colours it: by default a rise is bad (costs going up),
   * so it gets the warning colour. 'share' shows a plain percentage.
   */
  kind?: 'change' | 'share';
  increaseIs?: 'bad' | 'good';
  /** 'neutral': a fall is not good news either (a restatement that lowers cost corrects it). */
  decreaseIs?: 'opposite' | 'neutral';
  className?: string;
}

const ARROWS = { up: '▲', down: '▼', flat: '' } as const;

export function Percent({
  value,
  kind = 'share',
  increaseIs = 'bad',
  decreaseIs = 'opposite',
  className,
}: PercentProps) {
  if (kind === 'share') {
    return <span className={className ? `num ${className}` : 'num'}>{formatPercent(value)}</span>;
  }
  const direction = percentDirection(value);
  const tone =
    direction === 'flat' || (direction === 'down' && decreaseIs === 'neutral')
      ? 'neutral'
      : (direction === 'up') === (increaseIs === 'bad')
        ? 'negative'
        : 'positive';
  const text = formatPercent(value, { signDisplay: 'always' });
  return (
    <span
      className={`num delta delta-${tone}${className ? ` ${className}` : ''}`}
      data-direction={direction}
      aria-label={value === null ? 'no comparison' : `${direction === 'down' ? 'down' : 'up'} ${text}`}
    >
      {ARROWS[direction] && (
        <span className="delta-arrow" aria-hidden="true">
          {ARROWS[direction]}
        </span>
      )}
      {text}
    </span>
  );
}
