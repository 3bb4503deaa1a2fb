import { describe, expect, it } from 'vitest';
import {
  CalendarRangeError,
  MAX_YEAR,
  MIN_YEAR,
  WorkingDayCalendar,
  addWorkingDaysByWalking,
  isSupportedDate,
  type YearSchedule,
} from '../../../src/domain/calendar/calendar.js';
import { OFFICIAL_SCHEDULES } from '../../../src/domain/calendar/official-schedules.js';

const calendar = WorkingDayCalendar.build(OFFICIAL_SCHEDULES);

describe('the supported range', () => {
  it('when the range is named, then it is 1970–2199', () => {
    expect([MIN_YEAR, MAX_YEAR]).toEqual([1970, 2199]);
  });

  // One test, not one per date: the table of dates is built once per process, by the first test
  // that needs it, and this one must see both of its ends.
  it('when dates are asked about, then exactly the real dates from 1970-01-01 to 2199-12-31 are supported', () => {
    const supported = ['1970-01-01', '1970-01-02', '2024-02-29', '2199-12-30', '2199-12-31'];
    const unsupported = ['1969-12-31', '2200-01-01', '2025-02-29', '2025-9-30', '', '1970-01-01T00:00:00Z'];
    expect(supported.filter((date) => !isSupportedDate(date))).toEqual([]);
    expect(unsupported.filter((date) => isSupportedDate(date))).toEqual([]);
  });

  it('when the first and the last supported days are asked for, then they answer', () => {
    expect(calendar.day('1970-01-01')).toEqual({ date: '1970-01-01', workingDay: true, kind: 'workday', provisional: true });
    expect(calendar.day('2199-12-31').date).toBe('2199-12-31');
  });

  it.each([
    ['1970-01-01', true, 'workday'], // a Thursday
    ['1970-01-03', false, 'weekend'],
    ['1970-01-04', false, 'weekend'],
    ['2199-12-29', false, 'weekend'], // a Sunday
    ['2199-12-30', true, 'workday'],
    ['2199-12-31', true, 'workday'], // a Tuesday
  ])('when %s, at an end of the range, is asked for, then it has its kind like any other day', (date, workingDay, kind) => {
    expect(calendar.day(date)).toStrictEqual({ date, workingDay, kind, provisional: true });
    expect(calendar.isWorkingDay(date)).toBe(workingDay);
  });

  it('when counting at the ends of the range, then the first and the last days count', () => {
    expect(calendar.workingDaysBetween('1970-01-01', '1970-01-05')).toBe(2); // Friday 2nd, Monday 5th
    expect(calendar.workingDaysBetween('2199-12-27', '2199-12-31')).toBe(2); // Monday 30th, Tuesday 31st
    expect(calendar.addWorkingDays('1970-01-02', -1)).toEqual({ result: '1970-01-01', provisional: true });
    expect(calendar.addWorkingDays('1970-01-05', -2)).toEqual({ result: '1970-01-01', provisional: true });
    expect(calendar.addWorkingDays('2199-12-29', 2)).toEqual({ result: '2199-12-31', provisional: true });
    expect(calendar.addWorkingDays('2199-12-31', 0)).toEqual({ result: '2199-12-31', provisional: true });
    expect(() => calendar.addWorkingDays('2199-12-31', 1)).toThrow(CalendarRangeError);
    expect(() => calendar.addWorkingDays('1970-01-01', -1)).toThrow(CalendarRangeError);
  });

  it('when the first and the last days are overridden, then the overrides take effect; overrides outside the range are ignored', () => {
    const ends = WorkingDayCalendar.build([], [
      { date: '1969-12-31', kind: 'makeup_workday', name: '范围之前' },
      { date: '1970-01-01', kind: 'holiday', name: '元旦' },
      { date: '1970-01-03', kind: 'makeup_workday', name: '调休上班' },
      { date: '2199-12-31', kind: 'holiday', name: '岁末' },
      { date: '2200-01-01', kind: 'makeup_workday', name: '范围之后' },
    ]);
    expect(ends.day('1970-01-01')).toEqual({ date: '1970-01-01', workingDay: false, kind: 'holiday', name: '元旦', provisional: true });
    expect(ends.day('1970-01-03')).toEqual({ date: '1970-01-03', workingDay: true, kind: 'makeup_workday', name: '调休上班', provisional: true });
    expect(ends.day('2199-12-31')).toEqual({ date: '2199-12-31', workingDay: false, kind: 'holiday', name: '岁末', provisional: true });
    expect(ends.addWorkingDays('1970-01-05', -1)).toEqual({ result: '1970-01-03', provisional: true });
    expect(() => ends.addWorkingDays('1970-01-02', -1)).toThrow(CalendarRangeError);
    expect(ends.addWorkingDays('2199-12-29', 1)).toEqual({ result: '2199-12-30', provisional: true });
    expect(() => ends.addWorkingDays('2199-12-29', 2)).toThrow(CalendarRangeError);
  });

  it('when schedules for the first and the last supported years are given, then those years are published', () => {
    const schedule = (year: number, date: string): YearSchedule => ({ year, notice: `${year} 年通知`, days: [{ date, kind: 'holiday', name: '假日' }] });
    const ends = WorkingDayCalendar.build([schedule(1970, '1970-01-02'), schedule(2199, '2199-12-30'), { year: 1969, notice: '1969', days: [] }, { year: 2200, notice: '2200', days: [] }]);
    expect([ends.isPublished(1969), ends.isPublished(1970), ends.isPublished(1971)]).toEqual([false, true, false]);
    expect([ends.isPublished(2198), ends.isPublished(2199), ends.isPublished(2200)]).toEqual([false, true, false]);
    expect(ends.day('1970-01-02')).toEqual({ date: '1970-01-02', workingDay: false, kind: 'holiday', name: '假日', provisional: false });
    expect(ends.day('2199-12-30')).toEqual({ date: '2199-12-30', workingDay: false, kind: 'holiday', name: '假日', provisional: false });
    expect(ends.addWorkingDays('2199-12-29', 1)).toEqual({ result: '2199-12-31', provisional: false });
    expect(ends.touchesProvisional('1970-01-01', '1970-12-31')).toBe(false);
    expect(ends.touchesProvisional('1970-12-31', '1971-01-01')).toBe(true);
  });

  it.each(['1969-12-31', '2200-01-01', '2025-02-30', 'not-a-date'])(
    'when a date (%s) is outside the range or invalid, then day, isWorkingDay and addWorkingDays throw CalendarRangeError',
    (date) => {
      expect(() => calendar.day(date)).toThrow(CalendarRangeError);
      expect(() => calendar.isWorkingDay(date)).toThrow(CalendarRangeError);
      expect(() => calendar.addWorkingDays(date, 1)).toThrow(CalendarRangeError);
      expect(() => calendar.addWorkingDays(date, 0)).toThrow(CalendarRangeError);
      expect(() => calendar.workingDaysBetween('2025-01-01', date)).toThrow(CalendarRangeError);
    },
  );

  it('when adding runs past the end of 2199 or counting back runs before 1970, then it throws CalendarRangeError', () => {
    expect(() => calendar.addWorkingDays('2199-12-30', 5)).toThrow(CalendarRangeError);
    expect(() => calendar.addWorkingDays('2025-09-30', 1_000_000)).toThrow(CalendarRangeError);
    expect(() => calendar.addWorkingDays('1970-01-05', -5)).toThrow(CalendarRangeError);
    expect(() => addWorkingDaysByWalking(calendar, '2199-12-30', 5)).toThrow(CalendarRangeError);
  });

  it('when a date or a result is out of range, then the error says which and names the range', () => {
    expect(() => calendar.day('2200-01-01')).toThrow('日期 2200-01-01 无效或超出支持范围（1970–2199 年）');
    expect(() => calendar.addWorkingDays('2199-12-30', 5)).toThrow('2199-12-30 加 5 个工作日超出支持范围（1970–2199 年）');
    expect(() => calendar.addWorkingDays('1970-01-05', -5)).toThrow('1970-01-05 加 -5 个工作日超出支持范围（1970–2199 年）');
  });

  it('when a CalendarRangeError is thrown, then it is also a RangeError', () => {
    expect(new CalendarRangeError('x')).toBeInstanceOf(RangeError);
  });
});
