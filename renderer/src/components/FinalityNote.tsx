import { formatDay } from '../lib/format';

export interface FinalityNoteProps {
  /** The core's finality (costs.query and overview.get carry the same one). */
  finality: { finalThrough: string; rule: string };
}

/** The one sentence about final and preliminary data, in the same words on every screen. */
export function FinalityNote({ finality }: FinalityNoteProps) {
  return (
    <span data-testid="finality" data-final-through={finality.finalThrough}>
      Final through {formatDay(finality.finalThrough, { withYear: true })}: {finality.rule}.
    </span>
  );
}
