/** Calendar days and months as ISO strings in UTC: billing data is dated in UTC by every provider we read. */

export type IsoDay = string; // YYYY-MM-DD
export type IsoMonth = string; // YYYY-MM

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export function isIsoDay(value: string): boolean {
  const m = DAY_PATTERN.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return toIsoDay(date) === value;
}

export function isIsoMonth(value: string): boolean {
  const m = MONTH_PATTERN.exec(value);
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

export function toIsoDay(date: Date): IsoDay {
  return date.toISOString().slice(0, 10);
}

export function dayToDate(day: IsoDay): Date {
  if (!isIsoDay(day)) throw new RangeError(`not a calendar day (YYYY-MM-DD): "${day}"`);
  return new Date(`${day}T00:00:00.000Z`);
}

export function addDays(day: IsoDay, days: number): IsoDay {
  return toIsoDay(new Date(dayToDate(day).getTime() + days * MS_PER_DAY));
}

export function daysBetween(from: IsoDay, to: IsoDay): number {
  return Math.round((dayToDate(to).getTime() - dayToDate(from).getTime()) / MS_PER_DAY);
}

/** Inclusive list of days from `from` to `to`. */
export function eachDay(from: IsoDay, to: IsoDay): IsoDay[] {
  const out: IsoDay[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

export function monthOf(day: IsoDay): IsoMonth {
  return day.slice(0, 7);
}

export function firstDayOfMonth(month: IsoMonth): IsoDay {
  return `${month}-01`;
}

export function daysInMonth(month: IsoMonth): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function lastDayOfMonth(month: IsoMonth): IsoDay {
  return `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
}

export function addMonths(month: IsoMonth, months: number): IsoMonth {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: IsoDay): number {
  return dayToDate(day).getUTCDay();
}

/** The same day-of-month in the previous month, clamped to that month's length (31 Mar → 28/29 Feb). */
export function sameDayPreviousMonth(day: IsoDay): IsoDay {
  const previous = addMonths(monthOf(day), -1);
  const dom = Math.min(Number(day.slice(8, 10)), daysInMonth(previous));
  return `${previous}-${String(dom).padStart(2, '0')}`;
}
