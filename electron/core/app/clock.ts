import { AppError } from '../../../shared/api/errors';
import { isIsoDay, toIsoDay } from '../../../shared/dates';

/**
 * The injected clock: the core reads time only from here (lint enforces it outside this file).
 *
 * It tells two times apart. `now()` is the business "as of" instant: finalization windows, month close,
 * month-to-date and forecasts; --as-of / VALDRIX_NOW freeze it. `stamp()` is when something happens:
 * audit events, settings changes, export file names, job leases and backoff. Stamps keep moving while
 * the as-of instant is frozen, or two exports would share a file name, the audit trail would record
 * every event at one instant, and a retry's backoff would never elapse.
 */
export interface Clock {
  now(): Date;
  /** The real time, for records of what happened; never for month close or forecasts. */
  stamp(): Date;
  /** True when time was fixed with --as-of / VALDRIX_NOW. */
  readonly frozen: boolean;
}

const realTime = () => new Date();

export const systemClock: Clock = { now: realTime, stamp: realTime, frozen: false };

export function fixedClock(at: Date): Clock {
  const ms = at.getTime();
  return { now: () => new Date(ms), stamp: realTime, frozen: true };
}

/** A clock as plain data, to hand to a worker thread (functions do not cross threads). */
export interface ClockState {
  /** The frozen as-of instant in epoch milliseconds; null when the clock follows real time. */
  frozenAt: number | null;
}

export function clockState(clock: Clock): ClockState {
  return { frozenAt: clock.frozen ? clock.now().getTime() : null };
}

export function clockFromState(state: ClockState): Clock {
  return state.frozenAt === null ? systemClock : fixedClock(new Date(state.frozenAt));
}

/**
 * Parses --as-of / VALDRIX_NOW: a day (YYYY-MM-DD, taken as noon UTC so the day is unambiguous)
 * or a full ISO timestamp with zone.
 */
export function parseAsOf(value: string, where = '--as-of'): Date {
  const text = value.trim();
  if (isIsoDay(text)) return new Date(`${text}T12:00:00.000Z`);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new AppError('VALIDATION', `${where}: expected YYYY-MM-DD or an ISO timestamp with zone, got "${value}"`);
}

export function clockFrom(asOf: string | undefined, env: NodeJS.ProcessEnv = process.env): Clock {
  if (asOf) return fixedClock(parseAsOf(asOf));
  if (env.VALDRIX_NOW) return fixedClock(parseAsOf(env.VALDRIX_NOW, 'VALDRIX_NOW'));
  return systemClock;
}

export function today(clock: Clock): string {
  return toIsoDay(clock.now());
}
