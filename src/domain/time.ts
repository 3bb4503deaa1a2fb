// Business time rules (SPEC §2): instants are UTC epoch milliseconds, business dates are
// calendar dates in Asia/Shanghai (UTC+8, no DST since 1991). Nothing here reads the clock
// or the machine's TZ.

export const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
export const DAY_MS = 86_400_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Date.UTC, but without its mapping of years 0–99 to 1900–1999. */
function utcMs(year: number, monthIndex: number, day: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const d = new Date(Date.UTC(2000, 0, 1, h, mi, s, ms));
  d.setUTCFullYear(year, monthIndex, day);
  return d.getTime();
}

function daysInMonth(year: number, month: number): number {
  return new Date(utcMs(year, month, 0)).getUTCDate();
}

function validYmd(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isValidDate(input: string): boolean {
  const m = DATE_RE.exec(input);
  return m !== null && validYmd(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Days since 1970-01-01 of a valid `YYYY-MM-DD` date. */
export function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return utcMs(y, m - 1, d) / DAY_MS;
}

export function dateOfDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
export function weekdayOfDayNumber(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/**
 * Parses API time input: ISO 8601 with an explicit offset (`…+08:00`, `…Z`) or a bare
 * `YYYY-MM-DD`, which means 00:00 of that date in Asia/Shanghai. Returns epoch ms, or null for
 * anything else (no offset-less local times: they would depend on the machine's TZ).
 */
export function parseInstant(input: string): number | null {
  if (DATE_RE.test(input)) return isValidDate(input) ? startOfShanghaiDay(input) : null;
  const m = INSTANT_RE.exec(input);
  if (!m) return null;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i])) as [
    number, number, number, number, number,
  ];
  const second = m[6] ? Number(m[6]) : 0;
  const millis = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  if (!validYmd(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 14 || om > 59 || (oh === 14 && om > 0)) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return utcMs(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDate(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant 00:00 of a date in Asia/Shanghai. */
export function startOfShanghaiDay(date: string): number {
  return dayNumber(date) * DAY_MS - SHANGHAI_OFFSET_MS;
}

// The same instants (due times, start times) are formatted on every poll of the timers; a small
// memo makes that free. Cleared whole when full, so it stays bounded.
const isoMemo = new Map<number, string>();
const ISO_MEMO_SIZE = 4096;

/** An instant as ISO 8601 in UTC with milliseconds (`2026-11-20T02:00:00.000Z`). */
export function toIsoUtc(ms: number): string {
  let iso = isoMemo.get(ms);
  if (iso === undefined) {
    iso = new Date(ms).toISOString();
    if (isoMemo.size >= ISO_MEMO_SIZE) isoMemo.clear();
    isoMemo.set(ms, iso);
  }
  return iso;
}
