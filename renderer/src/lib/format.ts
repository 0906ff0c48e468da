/**
 * Display formatting for the renderer. Money arrives from the core as exact decimal strings; these helpers
 * parse and print them (via shared/money) but never add, subtract or divide them.
 */
import { formatDisplayAmount, formatMoney, type DisplayMoneyOptions } from '../../../shared/display-money';
import { exactToChartNumber } from '../../../shared/exact';
import { parseDecimalToNanos } from '../../../shared/money';

/** Every date in the UI is printed in one locale, like money (shared/money defaults to en-US). */
const LOCALE = 'en-US';

/**
 * The one way screens print an amount: an exact decimal string rounded to the currency's minor unit,
 * half to even ("$5,505,845.48", "¥1,235"). Show the exact string beside it on hover (see Money).
 */
export function formatAmount(amount: string, currency: string, options: DisplayMoneyOptions = {}): string {
  return formatDisplayAmount(amount, currency, { locale: LOCALE, ...options });
}

/** Compact currency for chart axis ticks. Tick values are chart geometry, never totals a user reconciles. */
export function formatAxisAmount(value: number, currency: string): string {
  if (!Number.isFinite(value)) return '';
  return formatMoney(
    { nanos: parseDecimalToNanos(String(value), 'half-even'), currency },
    { locale: LOCALE, compact: true },
  );
}

/** An exact decimal string (up to 27 decimals) as a number for chart geometry only (bar heights). */
export function toChartNumber(amount: string): number {
  return exactToChartNumber(amount);
}

const dayFormat = new Intl.DateTimeFormat(LOCALE, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const dayWithYearFormat = new Intl.DateTimeFormat(LOCALE, {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});
const longDayFormat = new Intl.DateTimeFormat(LOCALE, {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});
const monthFormat = new Intl.DateTimeFormat(LOCALE, { month: 'long', year: 'numeric', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });

// Billing days are UTC calendar days: anchor them at UTC midnight and print them in UTC.
const utc = (day: string) => new Date(`${day}T00:00:00Z`);

/** "Nov 1"; with `withYear`, "Nov 1, 2026". */
export function formatDay(day: string, options: { withYear?: boolean } = {}): string {
  return (options.withYear ? dayWithYearFormat : dayFormat).format(utc(day));
}

/** "Fri, Nov 20, 2026". */
export function formatLongDay(day: string): string {
  return longDayFormat.format(utc(day));
}

/** "Nov 1 – Nov 21"; the year is added when the range crosses years. */
export function formatDateRange(from: string, to: string): string {
  if (from === to) return formatDay(from);
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  return `${formatDay(from, { withYear: !sameYear })} – ${formatDay(to, { withYear: !sameYear })}`;
}

/** "2026-10" → "October 2026". */
export function formatMonth(month: string): string {
  return monthFormat.format(utc(`${month}-01`));
}

/** An ISO timestamp in the user's local time ("Nov 21, 2026, 9:14 AM"); unparseable input is shown as is. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

const timestampFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'medium' });
const timeFormat = new Intl.DateTimeFormat(LOCALE, { timeStyle: 'medium' });

/** An ISO timestamp to the second in local time ("Nov 21, 2026, 9:14:03 AM"); for events seconds apart. */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : timestampFormat.format(date);
}

/** Only the local time of an ISO timestamp ("9:14:03 AM"); unparseable input is shown as is. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : timeFormat.format(date);
}

const utcTimestampFormat = new Intl.DateTimeFormat(LOCALE, {
  dateStyle: 'medium',
  timeStyle: 'medium',
  timeZone: 'UTC',
});

/** The same instant in UTC ("Nov 21, 2026, 9:14:03 AM UTC"), for tooltips beside a local time. */
export function formatUtcTimestamp(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${utcTimestampFormat.format(date)} UTC`;
}

/** A duration for people: "850 ms", "12.4 s", "4 min 05 s", "2 h 07 min". Negative or non-finite → "—". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const totalSeconds = Math.floor(ms / 1000);
  if (totalSeconds < 3600) {
    return `${Math.floor(totalSeconds / 60)} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
  }
  const totalMinutes = Math.floor(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)} h ${String(totalMinutes % 60).padStart(2, '0')} min`;
}

/** The time between two ISO timestamps as a duration ("—" when either is missing or unparseable). */
export function formatElapsed(fromIso: string | null, toIso: string | null): string {
  if (fromIso === null || toIso === null) return '—';
  return formatDuration(new Date(toIso).getTime() - new Date(fromIso).getTime());
}

const ZERO_PERCENT = /^-?0+(\.0+)?$/;

/**
 * A percent decimal string from the core ("12.3", "-4.5") for display: null → "—".
 * With signDisplay 'always' a plus sign is added to increases. Pure string work: no float rounding.
 */
export function formatPercent(pct: string | null, options: { signDisplay?: 'auto' | 'always' } = {}): string {
  if (pct === null) return '—';
  const negative = pct.startsWith('-');
  const magnitude = negative ? pct.slice(1) : pct;
  const [whole = '0', fraction] = magnitude.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = `${grouped}${fraction === undefined ? '' : `.${fraction}`}%`;
  if (ZERO_PERCENT.test(pct)) return text;
  if (negative) return `−${text}`;
  return options.signDisplay === 'always' ? `+${text}` : text;
}

/** Direction of a percent decimal string: 'up', 'down' or 'flat' (also for null). */
export function percentDirection(pct: string | null): 'up' | 'down' | 'flat' {
  if (pct === null || ZERO_PERCENT.test(pct)) return 'flat';
  return pct.startsWith('-') ? 'down' : 'up';
}

import { OTHER_SERIES_KEY } from '../../../shared/providers';

export { OTHER_SERIES_KEY };
export { providerLabel } from '../../../shared/providers';

/** Eight distinguishable colours that read on light and dark surfaces, plus a neutral grey for "Other". */
export const CHART_PALETTE = [
  '#6366f1',
  '#14b8a6',
  '#f59e0b',
  '#ec4899',
  '#0ea5e9',
  '#8b5cf6',
  '#84cc16',
  '#f97316',
] as const;
export const CHART_OTHER_COLOR = '#94a3b8';

const PROVIDER_COLORS: Record<string, string> = { aws: '#f59e0b', azure: '#0ea5e9', gcp: '#10b981' };

/** The colour of the series at `index` (series order from the core); "Other" is always grey. */
export function seriesColor(key: string, index: number): string {
  if (key === OTHER_SERIES_KEY) return CHART_OTHER_COLOR;
  // Providers keep the colours of their dots in tables (styles.css .provider-*), whatever their rank.
  const provider = PROVIDER_COLORS[key];
  if (provider) return provider;
  return CHART_PALETTE[index % CHART_PALETTE.length] ?? CHART_OTHER_COLOR;
}

const countFormat = new Intl.NumberFormat(LOCALE);

/** A whole count with grouping ("1,234"). */
export function formatCount(n: number): string {
  return countFormat.format(n);
}

/** A long hex hash shortened for a glance ("abcd…1234"); the full value belongs in a tooltip or a copy. */
export function shortHash(hash: string, keep = 4): string {
  return hash.length <= keep * 2 + 1 ? hash : `${hash.slice(0, keep)}…${hash.slice(-keep)}`;
}

/**
 * A ULID or similar id shortened to its last characters ("…M366BXW86S" → "…6BXW86S"). The leading
 * characters of a ULID are its timestamp and repeat across ids made close together; the tail tells them apart.
 */
export function shortId(id: string, keep = 8): string {
  return id.length <= keep + 1 ? id : `…${id.slice(-keep)}`;
}

/** A hex fingerprint in blocks of four, for reading aloud and comparing by eye ("ab12 cd34 …"). */
export function fingerprintBlocks(hex: string): string[] {
  return hex.match(/.{1,4}/g) ?? [];
}

/**
 * A core message as a sentence: the core writes them to follow a colon ("…: the longest cell …"). One
 * that starts with a file's name ("october.csv is already imported …") keeps that name's spelling.
 */
export function asSentence(message: string): string {
  if (/^\S+\.[A-Za-z0-9]{1,8}\b/.test(message)) return message;
  return /^[a-z]/.test(message) ? `${message.charAt(0).toUpperCase()}${message.slice(1)}` : message;
}
