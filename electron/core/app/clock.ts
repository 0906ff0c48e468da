import { AppError } from '../../../shared/api/errors';
import { isIsoDay, toIsoDay } from '../../../shared/dates';

/** The injected clock: finalization windows, month-to-date and forecasts all read time from here. */
export interface Clock {
  now(): Date;
  /** True when time was fixed with --as-of / VALDRIX_NOW. */
  readonly frozen: boolean;
}

export const systemClock: Clock = { now: () => new Date(), frozen: false };

export function fixedClock(at: Date): Clock {
  const ms = at.getTime();
  return { now: () => new Date(ms), frozen: true };
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
