/**
 * The one definition of final cost data, until reconciliation with the providers' own signals (invoice
 * ids, Estimated flags, closed periods) exists: every screen, filter, drill-down and command asks here.
 * FINOPS.md's default rule: a day is final once 48 hours have passed since it ended and its billing
 * period closed at least 72 hours ago.
 */
import { addDays, addMonths, lastDayOfMonth, monthOf } from '../../../shared/dates';

/** The rule in the words every screen and command uses. */
export const FINALITY_RULE =
  'a day is final once 48 hours have passed since it ended and its billing month closed at least 72 hours ago; ' +
  'later days are preliminary (providers’ own final-invoice signals are not checked yet)';

export interface Finality {
  /** The last final day: every later day is preliminary. */
  finalThrough: string;
  /** Lines of billing periods (YYYY-MM) before this one may be final; later periods are still open. */
  closedPeriodsBefore: string;
  rule: string;
}

/**
 * Finality on the business day `asOf` (from the injected clock). `finalThrough` is the earlier of the two
 * cut-offs: the 48-hour one (two days back) and the end of the last billing month closed 72 hours ago.
 * Reporting only the first ("final through Dec 3" while December is open) made the explorer's words
 * contradict its own Preliminary filter.
 */
export function finalityOn(asOf: string): Finality {
  const dayCutoff = addDays(asOf, -2);
  // A month closes at the end of its last day: 72 hours later is three days past it.
  const closedPeriodsBefore = monthOf(addDays(asOf, -3));
  const lastClosedDay = lastDayOfMonth(addMonths(closedPeriodsBefore, -1));
  return {
    finalThrough: dayCutoff < lastClosedDay ? dayCutoff : lastClosedDay,
    closedPeriodsBefore,
    rule: FINALITY_RULE,
  };
}

/** SQL that is true for a final row, given its charge day and billing period columns (@finalDay, @closedBefore). */
export function finalSql(dayColumn: string, periodColumn: string): string {
  return `(${dayColumn} <= @finalDay AND ${periodColumn} < @closedBefore)`;
}

/** The parameters finalSql reads. */
export function finalityParams(finality: Finality): { finalDay: string; closedBefore: string } {
  return { finalDay: finality.finalThrough, closedBefore: finality.closedPeriodsBefore };
}
