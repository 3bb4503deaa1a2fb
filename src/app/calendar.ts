import { eq, sql } from 'drizzle-orm';
import {
  CalendarRangeError,
  type DayInfo,
  type DayOverride,
  type ScheduleKind,
  type YearSchedule,
} from '../domain/calendar/calendar.js';
import { scheduleFromHolidayCn, type HolidayCnYear } from '../domain/calendar/holiday-cn.js';
import { dateOfDayNumber, dayNumber, weekdayOfDayNumber } from '../domain/time.js';
import { keptWhile } from '../db/guard.js';
import { auditLog, calendarOverrides, calendarYearDays, calendarYears, meta } from '../db/schema.js';
import { buildCalendar, CALENDAR_VERSION_KEY, type CalendarInputs } from './calendar-store.js';
import type { AppContext } from './context.js';
import { recomputeDeadlines } from './documents.js';
import { recomputeDisclosureDeadlines } from './disclosure/deadlines.js';
import type { Actor } from './accounts/actor.js';
import { auditStatement } from './audit.js';
import { AppError, invalidField, retriedOnChange } from './errors.js';

/** Runs a calendar look-up; a date outside the supported range is a 400 naming `field`. */
function inRange<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CalendarRangeError) throw invalidField(field, err.message);
    throw err;
  }
}

export async function getDay(ctx: AppContext, date: string): Promise<DayInfo> {
  const calendar = await ctx.calendars.current();
  return inRange('date', () => calendar.day(date));
}

export async function addWorkingDays(ctx: AppContext, date: string, days: number) {
  const calendar = await ctx.calendars.current();
  const { result, provisional } = inRange('days', () => calendar.addWorkingDays(date, days));
  return { date, days, result, provisional };
}

export interface YearView {
  year: number;
  published: boolean;
  notice: string | null;
  /** The year's holidays and make-up working days, as in force (schedule plus overrides). */
  days: (DayInfo & { overridden: boolean })[];
}

export async function getYear(ctx: AppContext, year: number): Promise<YearView> {
  const calendar = await ctx.calendars.current();
  const { overrides } = await ctx.calendars.inputs();
  const days: YearView['days'] = [];
  for (let n = dayNumber(`${year}-01-01`); n <= dayNumber(`${year}-12-31`); n++) {
    const day = calendar.day(dateOfDayNumber(n));
    if (day.kind === 'holiday' || day.kind === 'makeup_workday') days.push({ ...day, overridden: overrides.has(day.date) });
  }
  return { year, published: calendar.isPublished(year), notice: calendar.notices.get(year) ?? null, days };
}

export type DaySetting = ScheduleKind | 'default';

/**
 * Sets one day by hand (or returns it to the schedule with 'default') and recomputes every
 * deadline the day can move, in the same batch.
 */
export async function setDay(ctx: AppContext, actor: Actor, date: string, kind: DaySetting, name?: string | null): Promise<DayInfo> {
  const weekday = weekdayOfDayNumber(dayNumber(date));
  if (kind === 'makeup_workday' && weekday !== 0 && weekday !== 6) {
    throw new AppError(422, 'not_a_weekend', `kind: ${date} 不是周末，不能设为调休上班；如需恢复请用 "default"`);
  }
  return retriedOnChange(() => setDayOnce(ctx, actor, date, kind, name), calendarBusy);
}

async function setDayOnce(ctx: AppContext, actor: Actor, date: string, kind: DaySetting, name?: string | null): Promise<DayInfo> {
  const read = await readForChange(ctx);
  const inputs = await ctx.calendars.inputs();
  const overrides = new Map(inputs.overrides);
  const override: DayOverride | undefined = kind === 'default' ? undefined : { date, kind, name: name?.trim() || null };
  if (override) overrides.set(date, override);
  else overrides.delete(date);
  const next = buildCalendar({ schedules: inputs.schedules, overrides });
  const write = override
    ? ctx.db.orm
        .insert(calendarOverrides)
        .values({ ...override, updatedAt: ctx.now() })
        .onConflictDoUpdate({ target: calendarOverrides.date, set: { kind: override.kind, name: override.name, updatedAt: ctx.now() } })
    : ctx.db.orm.delete(calendarOverrides).where(eq(calendarOverrides.date, date));
  const before = inputs.overrides.get(date) ?? null;
  await commitChange(ctx, read, next, [write, auditStatement(ctx, actor, 'calendar_day', date, kind === 'default' ? 'reset' : 'override', before, override ?? null)], {
    from: date,
    to: date,
  });
  return next.day(date);
}

export async function importYear(ctx: AppContext, actor: Actor, input: HolidayCnYear) {
  const schedule = scheduleFromHolidayCn(input);
  if (Array.isArray(schedule)) {
    throw new AppError(400, 'invalid_input', schedule.map((p) => `${p.path}: ${p.message}`).join('；'));
  }
  return retriedOnChange(() => importYearOnce(ctx, actor, schedule), calendarBusy);
}

async function importYearOnce(ctx: AppContext, actor: Actor, schedule: YearSchedule) {
  const read = await readForChange(ctx);
  const inputs = await ctx.calendars.inputs();
  const previous = inputs.schedules.get(schedule.year);
  const schedules: CalendarInputs['schedules'] = new Map(inputs.schedules).set(schedule.year, schedule);
  const next = buildCalendar({ schedules, overrides: inputs.overrides });
  const dates = [...schedule.days, ...(previous?.days ?? [])].map((d) => d.date).sort();
  const window = {
    from: [dates[0]!, `${schedule.year}-01-01`].sort()[0]!,
    to: [dates.at(-1)!, `${schedule.year}-12-31`].sort().at(-1)!,
  };
  const now = ctx.now();
  const recomputed = await commitChange(
    ctx,
    read,
    next,
    [
      ctx.db.orm.delete(calendarYears).where(eq(calendarYears.year, schedule.year)),
      ctx.db.orm.insert(calendarYears).values({ year: schedule.year, notice: schedule.notice, importedAt: now }),
      ...schedule.days.map((d) => ctx.db.orm.insert(calendarYearDays).values({ year: schedule.year, ...d })),
      auditStatement(ctx, actor, 'calendar_day', String(schedule.year), 'import_year', previous ?? null, schedule),
    ],
    window,
  );
  return { year: schedule.year, days: schedule.days.length, recomputedDocuments: recomputed };
}

/** A calendar change's starting point: the calendar's version, and the last audit entry before it read anything. */
interface ChangeRead {
  version: string;
  lastAudit: number;
}

async function readForChange(ctx: AppContext): Promise<ChangeRead> {
  const [last] = await ctx.db.orm.select({ id: sql<number>`COALESCE(MAX(${auditLog.id}), 0)` }).from(auditLog);
  return { version: (await ctx.calendars.read()).version, lastAudit: last!.id };
}

/** What a calendar change recomputes the dates of: a write of one of these after its read means reading again. */
const DATED_ENTITIES = ['document', 'disclosure_request'] as const;

const calendarBusy = () => new AppError(409, 'calendar_busy', '工作日历或文件刚刚多次被他人修改，请稍后再试');

/**
 * Writes a calendar change with the due dates it moves, in one batch, guarded both ways: it fails
 * (and setDay or importYear start again) if the calendar changed since `read` — another change
 * made meanwhile would otherwise be missing from these due dates — or if a document or request was
 * written since, with a due date of the calendar before this change that the recompute, having
 * read before it, would miss. (The writes of due dates guard on the calendar's version in turn.)
 */
async function commitChange(
  ctx: AppContext,
  read: ChangeRead,
  next: ReturnType<typeof buildCalendar>,
  writes: Parameters<AppContext['db']['batch']>[0],
  window: { from: string; to: string },
): Promise<number> {
  const recompute = await recomputeDeadlines(ctx, next, window);
  // Requests for disclosure run on the same calendar: their stored due dates move in the same batch.
  const disclosures = await recomputeDisclosureDeadlines(ctx, next, window);
  const noDatedWriteSince = ctx.db.orm
    .update(meta)
    .set({
      value: keptWhile(
        meta.value,
        sql`NOT EXISTS (SELECT 1 FROM ${auditLog} WHERE ${auditLog.id} > ${read.lastAudit}
          AND ${auditLog.entity} IN (${sql.join(DATED_ENTITIES.map((e) => sql`${e}`), sql`, `)}))`,
      ),
    })
    .where(eq(meta.key, CALENDAR_VERSION_KEY));
  await ctx.db.batch([
    ctx.calendars.unchangedSince(read.version),
    ...writes,
    ...recompute,
    ...disclosures,
    ctx.calendars.bumpVersion(),
    // (After bumpVersion: the version's row exists by then.)
    noDatedWriteSince,
  ]);
  return recompute.length;
}
