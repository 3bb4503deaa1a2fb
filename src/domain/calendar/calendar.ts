import { dateOfDayNumber, dayNumber, weekdayOfDayNumber, yearOf } from '../time.js';

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';
export type ScheduleKind = 'holiday' | 'makeup_workday';

export interface ScheduleDay {
  date: string;
  kind: ScheduleKind;
  name: string;
}

/** One year's official schedule: the days that differ from the weekends-only rule. */
export interface YearSchedule {
  year: number;
  notice: string;
  days: ScheduleDay[];
}

/** A single day set by hand; it wins over every schedule. */
export interface DayOverride {
  date: string;
  kind: ScheduleKind;
  name: string | null;
}

export interface DayInfo {
  date: string;
  workingDay: boolean;
  kind: DayKind;
  name?: string;
  provisional: boolean;
}

export interface WorkingDayResult {
  result: string;
  provisional: boolean;
}

export const MIN_YEAR = 1970;
export const MAX_YEAR = 2199;
const FIRST_DAY = dayNumber(`${MIN_YEAR}-01-01`);
const LAST_DAY = dayNumber(`${MAX_YEAR}-12-31`);

const KIND_CODES: readonly DayKind[] = ['workday', 'weekend', 'holiday', 'makeup_workday'];

export class CalendarRangeError extends RangeError {}

// Every date of the supported range as text, its index and its year, built once per process:
// turning 'YYYY-MM-DD' into an index is then one Map look-up instead of parsing, and a result
// index turns back into text without formatting a Date.
interface DateTable {
  text: string[];
  index: Map<string, number>;
  year: Uint16Array;
}
let dateTable: DateTable | undefined;
function dates(): DateTable {
  if (!dateTable) {
    const size = LAST_DAY - FIRST_DAY + 1;
    const table: DateTable = { text: new Array<string>(size), index: new Map(), year: new Uint16Array(size) };
    for (let i = 0; i < size; i++) {
      const text = dateOfDayNumber(FIRST_DAY + i);
      table.text[i] = text;
      table.index.set(text, i);
      table.year[i] = yearOf(text);
    }
    dateTable = table;
  }
  return dateTable;
}

/** A real `YYYY-MM-DD` date within MIN_YEAR..MAX_YEAR. */
export function isSupportedDate(date: string): boolean {
  return dates().index.has(date);
}

/**
 * The working-day calendar, precomputed once per change of the data: for every day of the
 * supported range its kind and the number of working days up to and including it (its ordinal),
 * plus the list of working days, so that `addWorkingDays` is two array look-ups instead of a
 * day-by-day walk.
 */
export class WorkingDayCalendar {
  private readonly kinds: Uint8Array;
  private readonly names = new Map<number, string>();
  /** cumulative[i] = working days in [FIRST_DAY, FIRST_DAY + i]. */
  private readonly cumulative: Int32Array;
  /** workingDays[k] = the day number of the (k+1)-th working day of the range. */
  private readonly workingDays: Int32Array;
  /** published[year - MIN_YEAR] = 1 when the year's official schedule is in the data. */
  private readonly published: Uint8Array;
  readonly notices: ReadonlyMap<number, string>;

  private constructor(schedules: readonly YearSchedule[], overrides: readonly DayOverride[]) {
    const size = LAST_DAY - FIRST_DAY + 1;
    this.kinds = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      const weekday = weekdayOfDayNumber(FIRST_DAY + i);
      this.kinds[i] = weekday === 0 || weekday === 6 ? 1 : 0;
    }
    const ordered = [...schedules].sort((a, b) => a.year - b.year);
    const notices = new Map<number, string>();
    for (const s of ordered) {
      notices.set(s.year, s.notice);
      for (const d of s.days) this.set(d.date, d.kind, d.name);
    }
    for (const o of overrides) this.set(o.date, o.kind, o.name);
    this.notices = notices;
    this.published = new Uint8Array(MAX_YEAR - MIN_YEAR + 1);
    // A year outside the range falls outside the typed array, where a write does nothing.
    for (const year of notices.keys()) this.published[year - MIN_YEAR] = 1;

    this.cumulative = new Int32Array(size);
    let count = 0;
    for (let i = 0; i < size; i++) {
      if (isWorkingKind(this.kinds[i]!)) count++;
      this.cumulative[i] = count;
    }
    this.workingDays = new Int32Array(count);
    for (let i = 0, k = 0; i < size; i++) {
      if (isWorkingKind(this.kinds[i]!)) this.workingDays[k++] = FIRST_DAY + i;
    }
  }

  /** Later schedules win over earlier ones for the same date; overrides win over all. */
  static build(schedules: readonly YearSchedule[], overrides: readonly DayOverride[] = []): WorkingDayCalendar {
    return new WorkingDayCalendar(schedules, overrides);
  }

  private set(date: string, kind: ScheduleKind, name: string | null): void {
    const n = dayNumber(date);
    if (n < FIRST_DAY || n > LAST_DAY) return;
    this.kinds[n - FIRST_DAY] = kind === 'holiday' ? 2 : 3;
    if (name) this.names.set(n, name);
    else this.names.delete(n);
  }

  private index(date: string): number {
    const i = dates().index.get(date);
    if (i === undefined) throw new CalendarRangeError(`日期 ${date} 无效或超出支持范围（${MIN_YEAR}–${MAX_YEAR} 年）`);
    return i;
  }

  /** A year counts as published when its official schedule is in the data. */
  isPublished(year: number): boolean {
    // Outside the range (or not an integer) the typed array has no element: undefined, not 1.
    return this.published[year - MIN_YEAR] === 1;
  }

  publishedYears(): number[] {
    return [...this.notices.keys()].sort((a, b) => a - b);
  }

  /** True when any year from `from` to `to` (inclusive) has no official schedule. */
  touchesProvisional(from: string, to: string): boolean {
    return this.provisionalBetween(this.index(from), this.index(to));
  }

  private provisionalBetween(i: number, j: number): boolean {
    const years = dates().year;
    const [a, b] = i <= j ? [years[i]!, years[j]!] : [years[j]!, years[i]!];
    for (let y = a; y <= b; y++) if (this.published[y - MIN_YEAR] !== 1) return true;
    return false;
  }

  day(date: string): DayInfo {
    const i = this.index(date);
    const kind = KIND_CODES[this.kinds[i]!]!;
    const name = this.names.get(FIRST_DAY + i);
    return {
      date,
      workingDay: isWorkingKind(this.kinds[i]!),
      kind,
      ...(name !== undefined && (kind === 'holiday' || kind === 'makeup_workday') ? { name } : {}),
      provisional: !this.isPublished(yearOf(date)),
    };
  }

  isWorkingDay(date: string): boolean {
    return isWorkingKind(this.kinds[this.index(date)]!);
  }

  /**
   * The n-th working day strictly after `date` (the start day is not counted, 民法典 art. 201),
   * whether or not `date` is itself a working day. n = 0 gives `date`; a negative n counts back
   * to the |n|-th working day strictly before it.
   */
  addWorkingDays(date: string, n: number): WorkingDayResult {
    if (!Number.isInteger(n)) throw new RangeError('工作日天数必须是整数');
    const i = this.index(date);
    let j = i;
    if (n > 0) j = this.workingDayIndex(this.cumulative[i]! + n - 1, date, n);
    else if (n < 0) j = this.workingDayIndex(this.cumulative[i]! - (isWorkingKind(this.kinds[i]!) ? 1 : 0) + n, date, n);
    return { result: dates().text[j]!, provisional: this.provisionalBetween(i, j) };
  }

  /** The index of the (k+1)-th working day of the range. */
  private workingDayIndex(k: number, date: string, n: number): number {
    const day = k >= 0 ? this.workingDays[k] : undefined;
    if (day === undefined) {
      throw new CalendarRangeError(`${date} 加 ${n} 个工作日超出支持范围（${MIN_YEAR}–${MAX_YEAR} 年）`);
    }
    return day - FIRST_DAY;
  }

  /** Working days in (from, to]: how many remain after `from` up to and including `to`. */
  workingDaysBetween(from: string, to: string): number {
    return this.cumulative[this.index(to)]! - this.cumulative[this.index(from)]!;
  }
}

function isWorkingKind(code: number): boolean {
  return code === 0 || code === 3;
}

/**
 * The reference definition of `addWorkingDays` (n ≥ 0), walking one day at a time. Kept for the
 * tests, which check the fast path against it, and as the baseline of `npm run bench`.
 */
export function addWorkingDaysByWalking(calendar: WorkingDayCalendar, date: string, n: number): string {
  let day = dayNumber(date);
  for (let left = n; left > 0; ) {
    day++;
    if (calendar.isWorkingDay(dateOfDayNumber(day))) left--;
  }
  return dateOfDayNumber(day);
}
