import { eq, sql } from 'drizzle-orm';
import { keptWhile } from '../db/guard.js';
import { WorkingDayCalendar, type DayOverride, type YearSchedule } from '../domain/calendar/calendar.js';
import { OFFICIAL_SCHEDULES } from '../domain/calendar/official-schedules.js';
import type { Database } from '../db/database.js';
import { calendarOverrides, calendarYearDays, calendarYears, meta } from '../db/schema.js';
import { readMeta } from './meta.js';

/** The meta row of the calendar's version. */
export const CALENDAR_VERSION_KEY = 'calendar_version';

/** What the calendar is built from: built-in schedules, imported years (which replace them), overrides. */
export interface CalendarInputs {
  schedules: Map<number, YearSchedule>;
  overrides: Map<string, DayOverride>;
}

/**
 * The calendar as the database says it is, rebuilt only when its version changes. Every change
 * to the calendar bumps the version in the same batch, so another process (or Worker isolate)
 * sharing the database sees it on its next read.
 */
export class CalendarStore {
  private cached: { version: string; calendar: WorkingDayCalendar } | undefined;

  constructor(private readonly db: Database) {}

  async current(): Promise<WorkingDayCalendar> {
    return (await this.read()).calendar;
  }

  /**
   * The calendar with its version: a write of dates computed from it puts unchangedSince(version)
   * in its batch, so that it fails (and is computed again) if the calendar changed in between.
   */
  async read(): Promise<{ calendar: WorkingDayCalendar; version: string }> {
    const version = (await readMeta(this.db, CALENDAR_VERSION_KEY)) ?? '0';
    if (this.cached?.version === version) return this.cached;
    const calendar = buildCalendar(await this.inputs());
    this.cached = { version, calendar };
    return this.cached;
  }

  /**
   * A guard (see db/guard.ts): fails its batch if the calendar is no longer at `version`. (Before
   * the first change there is no version row: the change inserts it, and a guard of version '0'
   * then finds it.)
   */
  unchangedSince(version: string) {
    return this.db.orm
      .update(meta)
      .set({ value: keptWhile(meta.value, sql`${meta.value} = ${version}`) })
      .where(eq(meta.key, CALENDAR_VERSION_KEY));
  }

  async inputs(): Promise<CalendarInputs> {
    const schedules = new Map<number, YearSchedule>(OFFICIAL_SCHEDULES.map((s) => [s.year, s]));
    const years = await this.db.orm.select().from(calendarYears);
    const days = await this.db.orm.select().from(calendarYearDays);
    for (const y of years) {
      schedules.set(y.year, {
        year: y.year,
        notice: y.notice,
        days: days.filter((d) => d.year === y.year).map(({ date, kind, name }) => ({ date, kind, name })),
      });
    }
    const overrides = new Map<string, DayOverride>();
    for (const o of await this.db.orm.select().from(calendarOverrides)) {
      overrides.set(o.date, { date: o.date, kind: o.kind, name: o.name });
    }
    return { schedules, overrides };
  }

  /** The statement that publishes a change to every reader; include it in the change's batch. */
  bumpVersion() {
    return this.db.orm
      .insert(meta)
      .values({ key: CALENDAR_VERSION_KEY, value: '1' })
      .onConflictDoUpdate({ target: meta.key, set: { value: sql`CAST(${meta.value} AS INTEGER) + 1` } });
  }
}

export function buildCalendar(inputs: CalendarInputs): WorkingDayCalendar {
  return WorkingDayCalendar.build([...inputs.schedules.values()], [...inputs.overrides.values()]);
}
