import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar, addWorkingDaysByWalking, type YearSchedule } from '../../../src/domain/calendar/calendar.js';
import { OFFICIAL_SCHEDULES } from '../../../src/domain/calendar/official-schedules.js';
import { dateOfDayNumber, dayNumber } from '../../../src/domain/time.js';

const calendar = WorkingDayCalendar.build(OFFICIAL_SCHEDULES);

/** Working days in (from, to], counted one day at a time. */
function countByWalking(cal: WorkingDayCalendar, from: string, to: string): number {
  let count = 0;
  for (let n = dayNumber(from) + 1; n <= dayNumber(to); n++) if (cal.isWorkingDay(dateOfDayNumber(n))) count++;
  return count;
}

/** The n-th working day strictly before `date`, walking back one day at a time. */
function subtractByWalking(cal: WorkingDayCalendar, date: string, n: number): string {
  let day = dayNumber(date);
  for (let left = n; left > 0; ) {
    day--;
    if (cal.isWorkingDay(dateOfDayNumber(day))) left--;
  }
  return dateOfDayNumber(day);
}

describe('WorkingDayCalendar.day', () => {
  it.each([
    ['2025-10-11', { workingDay: true, kind: 'makeup_workday', name: '国庆节、中秋节调休上班' }],
    ['2025-10-01', { workingDay: false, kind: 'holiday', name: '国庆节、中秋节' }],
    ['2025-10-10', { workingDay: true, kind: 'workday' }],
    ['2025-10-12', { workingDay: false, kind: 'weekend' }],
    ['2022-12-31', { workingDay: false, kind: 'holiday', name: '元旦' }], // set by the 2023 notice
    ['2020-02-01', { workingDay: false, kind: 'holiday', name: '春节' }], // make-up day cancelled in 2020
  ])('when asked about %s, then it answers its kind and name', (date, expected) => {
    expect(calendar.day(date)).toEqual({ date, ...expected, provisional: false });
    expect(calendar.isWorkingDay(date)).toBe(expected.workingDay);
  });

  it.each([
    ['2027-01-01', { workingDay: true, kind: 'workday' }], // New Year's Day, but 2027 is not published
    ['2027-01-02', { workingDay: false, kind: 'weekend' }],
    ['2027-10-01', { workingDay: true, kind: 'workday' }],
    ['2019-10-01', { workingDay: true, kind: 'workday' }], // National Day 2019: not in the data
    ['2019-09-29', { workingDay: false, kind: 'weekend' }], // a 2019 make-up Sunday: not in the data
  ])('when %s is in a year without a schedule, then the weekends-only rule applies and it is provisional', (date, expected) => {
    expect(calendar.day(date)).toEqual({ date, ...expected, provisional: true });
  });

  it('when the years are published or not, then isPublished and publishedYears say so', () => {
    for (let year = 2020; year <= 2026; year++) expect(calendar.isPublished(year)).toBe(true);
    for (const year of [1969, 1970, 2019, 2027, 2199, 2200]) expect(calendar.isPublished(year)).toBe(false);
    expect(calendar.publishedYears()).toEqual([2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    expect(calendar.notices.get(2024)).toMatch(/国办发明电〔2023〕7号/);
  });
});

describe('WorkingDayCalendar.addWorkingDays', () => {
  it.each([
    ['2025-09-30', 3, '2025-10-11', 'the make-up Saturday after National Day counts as day 3'],
    ['2024-02-08', 1, '2024-02-09', '除夕 2024 is a working day'],
    ['2024-02-09', 1, '2024-02-18', 'the make-up Sunday after Spring Festival is the next working day'],
    ['2025-04-30', 1, '2025-05-06', 'Labour Day starts mid-week (Thursday) and runs to Monday'],
    ['2026-06-18', 1, '2026-06-22', 'Dragon Boat 2026 starts on a Friday'],
    ['2020-01-23', 1, '2020-02-03', 'the 2020 Spring Festival extension (02-01 no longer a make-up day)'],
    ['2025-11-24', 1, '2025-11-25', 'the start day (a Monday) is not counted'],
    ['2025-11-21', 1, '2025-11-24', 'a Friday start skips the weekend'],
    ['2025-11-22', 1, '2025-11-24', 'a Saturday start works'],
    ['2025-11-23', 1, '2025-11-24', 'a Sunday start works'],
    ['2025-10-03', 1, '2025-10-09', 'a start inside a holiday works'],
    ['2025-10-11', 1, '2025-10-13', 'a start on a make-up Saturday works'],
    ['2025-12-31', 3, '2026-01-06', 'the year is crossed into a New Year block with a make-up Sunday'],
    ['2022-12-30', 1, '2023-01-03', 'the year is crossed into a block starting on 2022-12-31'],
    // 10-09..10-11 are days 1–3, then five a week from 10-13: 10-31 is day 18, 11-03 day 19.
    ['2025-09-30', 20, '2025-11-04', 'twenty days across the National Day block'],
  ])('when %s + %i, then %s (%s)', (date, n, expected) => {
    expect(calendar.addWorkingDays(date, n)).toEqual({ result: expected, provisional: false });
  });

  it('when 2025-12-31 + 1, 2, 3, then each step is checked by hand: 01-01..03 off, 01-04 (Sunday) make-up', () => {
    for (const date of ['2026-01-01', '2026-01-02', '2026-01-03']) expect(calendar.day(date).kind).toBe('holiday');
    expect(calendar.day('2026-01-04').kind).toBe('makeup_workday');
    expect(calendar.addWorkingDays('2025-12-31', 1).result).toBe('2026-01-04');
    expect(calendar.addWorkingDays('2025-12-31', 2).result).toBe('2026-01-05');
    expect(calendar.addWorkingDays('2025-12-31', 3).result).toBe('2026-01-06');
  });

  it.each(['2025-11-24', '2025-11-22', '2025-10-03', '2025-10-11'])('when %s + 0, then it is the date itself', (date) => {
    expect(calendar.addWorkingDays(date, 0)).toEqual({ result: date, provisional: false });
  });

  it.each([
    ['2025-10-11', -3, '2025-09-30'],
    ['2025-10-09', -1, '2025-09-30'],
    ['2025-10-05', -1, '2025-09-30'], // from inside a holiday
    ['2025-11-24', -1, '2025-11-21'], // Monday back to Friday
    ['2025-11-23', -1, '2025-11-21'], // from a Sunday
    ['2024-02-18', -1, '2024-02-09'],
    ['2026-01-05', -1, '2026-01-04'], // the make-up Sunday
    ['2026-01-04', -1, '2025-12-31'],
  ])('when %s + %i (negative), then it counts back to %s', (date, n, expected) => {
    expect(calendar.addWorkingDays(date, n)).toEqual({ result: expected, provisional: false });
  });

  it('when counting back from any date of 2020–2026, then it agrees with walking back', () => {
    const mismatches: string[] = [];
    for (let d = dayNumber('2020-03-01'); d <= dayNumber('2026-12-31'); d += 3) {
      const date = dateOfDayNumber(d);
      for (const n of [1, 2, 3, 10]) {
        const fast = calendar.addWorkingDays(date, -n).result;
        const walked = subtractByWalking(calendar, date, n);
        if (fast !== walked) mismatches.push(`${date} - ${n}: ${fast} ≠ ${walked}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('when n is not an integer, then it refuses it', () => {
    expect(() => calendar.addWorkingDays('2025-09-30', 1.5)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2025-09-30', 1.5)).toThrow('工作日天数必须是整数');
    expect(() => calendar.addWorkingDays('2025-09-30', Number.NaN)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2025-09-30', Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('provisional answers', () => {
  it('when the result falls in 2027 (no schedule), then it is provisional, on the weekends-only rule', () => {
    // 12-31 Thursday is day 1, 2027-01-01 Friday (New Year's Day, unknown yet) day 2, Monday 01-04 day 3.
    expect(calendar.addWorkingDays('2026-12-30', 3)).toEqual({ result: '2027-01-04', provisional: true });
    expect(calendar.addWorkingDays('2026-12-31', 1)).toEqual({ result: '2027-01-01', provisional: true });
  });

  it('when the result stays within 2026, then it is not provisional', () => {
    expect(calendar.addWorkingDays('2026-12-28', 3)).toEqual({ result: '2026-12-31', provisional: false });
  });

  it('when the range touches 2019 (no schedule), then it is provisional, in either direction', () => {
    expect(calendar.addWorkingDays('2020-01-02', -1)).toEqual({ result: '2019-12-31', provisional: true });
    expect(calendar.addWorkingDays('2019-12-31', 1)).toEqual({ result: '2020-01-02', provisional: true });
    expect(calendar.addWorkingDays('2019-09-30', 1)).toEqual({ result: '2019-10-01', provisional: true });
  });

  it('when a week of a provisional year is counted, then exactly its five weekdays are working days', () => {
    expect(calendar.workingDaysBetween('2027-09-26', '2027-10-03')).toBe(5); // Sunday to Sunday, National Day week
    expect(calendar.addWorkingDays('2027-09-30', 1)).toEqual({ result: '2027-10-01', provisional: true });
  });
});

describe('overrides and the order of schedules', () => {
  it('when 2026-11-23 (a Monday) is overridden as a holiday, then it is not a working day and results shift', () => {
    const overridden = WorkingDayCalendar.build(OFFICIAL_SCHEDULES, [{ date: '2026-11-23', kind: 'holiday', name: '测试' }]);
    expect(overridden.day('2026-11-23')).toEqual({
      date: '2026-11-23', workingDay: false, kind: 'holiday', name: '测试', provisional: false,
    });
    expect(calendar.addWorkingDays('2026-11-20', 1).result).toBe('2026-11-23');
    expect(overridden.addWorkingDays('2026-11-20', 1).result).toBe('2026-11-24');
    expect(calendar.addWorkingDays('2026-11-20', 5).result).toBe('2026-11-27');
    expect(overridden.addWorkingDays('2026-11-20', 5).result).toBe('2026-11-30');
    expect(overridden.workingDaysBetween('2026-11-20', '2026-11-27')).toBe(4);
    expect(calendar.day('2026-11-23').kind).toBe('workday'); // the base calendar is untouched
  });

  it('when a Saturday is overridden as a make-up working day, then it counts', () => {
    const overridden = WorkingDayCalendar.build(OFFICIAL_SCHEDULES, [
      { date: '2026-11-21', kind: 'makeup_workday', name: '临时调整' },
    ]);
    expect(overridden.day('2026-11-21')).toEqual({
      date: '2026-11-21', workingDay: true, kind: 'makeup_workday', name: '临时调整', provisional: false,
    });
    expect(overridden.addWorkingDays('2026-11-20', 1).result).toBe('2026-11-21');
    expect(overridden.addWorkingDays('2026-11-20', 2).result).toBe('2026-11-23');
  });

  it('when an override contradicts the official schedule, then the override wins (and a null name drops the old one)', () => {
    const overridden = WorkingDayCalendar.build(OFFICIAL_SCHEDULES, [
      { date: '2025-10-11', kind: 'holiday', name: '更正' },
      { date: '2025-10-08', kind: 'makeup_workday', name: null },
    ]);
    expect(overridden.day('2025-10-11')).toMatchObject({ workingDay: false, kind: 'holiday', name: '更正' });
    // Strictly: a day without a name has no `name` key at all, not one that holds undefined.
    expect(overridden.day('2025-10-08')).toStrictEqual({
      date: '2025-10-08', workingDay: true, kind: 'makeup_workday', provisional: false,
    });
    // 10-08 is now day 1, 10-09 day 2, 10-10 day 3.
    expect(overridden.addWorkingDays('2025-09-30', 3)).toEqual({ result: '2025-10-10', provisional: false });
  });

  it('when an override falls in a year without a schedule, then the day changes but stays provisional', () => {
    const overridden = WorkingDayCalendar.build(OFFICIAL_SCHEDULES, [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }]);
    expect(overridden.day('2027-01-01')).toEqual({
      date: '2027-01-01', workingDay: false, kind: 'holiday', name: '元旦', provisional: true,
    });
    expect(overridden.addWorkingDays('2026-12-30', 3)).toEqual({ result: '2027-01-05', provisional: true });
  });

  it('when two schedules of the same year set the same date, then the later one wins, notice included', () => {
    const earlier: YearSchedule = { year: 2025, notice: '旧通知', days: [{ date: '2025-11-22', kind: 'makeup_workday', name: '旧' }] };
    const later: YearSchedule = { year: 2025, notice: '新通知', days: [{ date: '2025-11-22', kind: 'holiday', name: '新' }] };
    const cal = WorkingDayCalendar.build([earlier, later]);
    expect(cal.day('2025-11-22')).toMatchObject({ workingDay: false, kind: 'holiday', name: '新' });
    expect(cal.notices.get(2025)).toBe('新通知');
    expect(WorkingDayCalendar.build([later, earlier]).day('2025-11-22')).toMatchObject({ kind: 'makeup_workday', name: '旧' });
  });

  it("when a later year's notice sets a December date of the year before, then it wins whatever the list order", () => {
    const y2022: YearSchedule = { year: 2022, notice: '2022', days: [{ date: '2022-12-31', kind: 'makeup_workday', name: '旧' }] };
    const y2023: YearSchedule = { year: 2023, notice: '2023', days: [{ date: '2022-12-31', kind: 'holiday', name: '元旦' }] };
    for (const schedules of [[y2022, y2023], [y2023, y2022]]) {
      expect(WorkingDayCalendar.build(schedules).day('2022-12-31')).toMatchObject({ workingDay: false, kind: 'holiday', name: '元旦' });
    }
  });

  it('when built from no schedules, then every year is provisional and only weekends are off', () => {
    const empty = WorkingDayCalendar.build([]);
    expect(empty.day('2025-10-01')).toEqual({ date: '2025-10-01', workingDay: true, kind: 'workday', provisional: true });
    expect(empty.addWorkingDays('2025-09-30', 3)).toEqual({ result: '2025-10-03', provisional: true });
  });
});

describe('the fast path against the reference walk', () => {
  it('when every date of 2019-12-01..2027-01-31 gets n in {1, 2, 3, 5, 10, 20}, then addWorkingDays equals addWorkingDaysByWalking', () => {
    const mismatches: string[] = [];
    let compared = 0;
    for (let d = dayNumber('2019-12-01'); d <= dayNumber('2027-01-31'); d++) {
      const date = dateOfDayNumber(d);
      for (const n of [1, 2, 3, 5, 10, 20]) {
        const fast = calendar.addWorkingDays(date, n).result;
        const walked = addWorkingDaysByWalking(calendar, date, n);
        compared++;
        if (fast !== walked) mismatches.push(`${date} + ${n}: ${fast} ≠ ${walked}`);
      }
    }
    expect(compared).toBe(6 * 2619);
    expect(mismatches).toEqual([]);
  });

  it('when the calendar has overrides, then the fast path still equals the walk around them', () => {
    const overridden = WorkingDayCalendar.build(OFFICIAL_SCHEDULES, [
      { date: '2026-11-23', kind: 'holiday', name: '测试' },
      { date: '2026-11-28', kind: 'makeup_workday', name: '测试' },
    ]);
    for (let d = dayNumber('2026-11-01'); d <= dayNumber('2026-11-30'); d++) {
      const date = dateOfDayNumber(d);
      for (const n of [1, 2, 3, 5, 10]) {
        expect(overridden.addWorkingDays(date, n).result, `${date} + ${n}`).toBe(addWorkingDaysByWalking(overridden, date, n));
      }
    }
  });
});

describe('WorkingDayCalendar.workingDaysBetween', () => {
  it.each([
    ['2025-09-30', '2025-10-11', 3],
    ['2025-10-09', '2025-10-11', 2],
    ['2025-10-11', '2025-10-11', 0],
    ['2025-10-01', '2025-10-08', 0],
    ['2025-12-31', '2026-01-06', 3],
    // 2025: 261 weekdays − 18 weekday holidays + 5 make-up days.
    ['2024-12-31', '2025-12-31', 248],
    // 2026: 261 weekdays − 19 weekday holidays + 6 make-up days.
    ['2025-12-31', '2026-12-31', 248],
  ])('when counting (%s, %s], then there are %i working days', (from, to, expected) => {
    expect(calendar.workingDaysBetween(from, to)).toBe(expected);
  });

  it('when sample ranges of 2020–2026 are counted, then the answer equals counting by walking', () => {
    const mismatches: string[] = [];
    for (let d = dayNumber('2019-12-15'); d <= dayNumber('2026-12-31'); d += 11) {
      const from = dateOfDayNumber(d);
      for (const length of [0, 1, 2, 7, 12, 31, 100]) {
        const to = dateOfDayNumber(d + length);
        const fast = calendar.workingDaysBetween(from, to);
        const walked = countByWalking(calendar, from, to);
        if (fast !== walked) mismatches.push(`(${from}, ${to}]: ${fast} ≠ ${walked}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('when n working days are added, then workingDaysBetween of the start and the result is n', () => {
    for (const [date, n] of [['2025-09-30', 3], ['2020-01-23', 1], ['2024-02-08', 7], ['2025-10-04', 20]] as const) {
      expect(calendar.workingDaysBetween(date, calendar.addWorkingDays(date, n).result)).toBe(n);
    }
  });
});
