import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar, type YearSchedule } from '../../../src/domain/calendar/calendar.js';
import { scheduleFromHolidayCn, type HolidayCnYear, type ImportProblem } from '../../../src/domain/calendar/holiday-cn.js';
import { OFFICIAL_SCHEDULES } from '../../../src/domain/calendar/official-schedules.js';

const holidayCn2027: HolidayCnYear = JSON.parse(
  readFileSync(new URL('../../fixtures/holiday-cn-2027.json', import.meta.url), 'utf8'),
);

function schedule(result: YearSchedule | ImportProblem[]): YearSchedule {
  if (Array.isArray(result)) throw new Error(`expected a schedule, got problems: ${JSON.stringify(result)}`);
  return result;
}

function problems(result: YearSchedule | ImportProblem[]): ImportProblem[] {
  if (!Array.isArray(result)) throw new Error(`expected problems, got a schedule for ${result.year}`);
  return result;
}

describe('scheduleFromHolidayCn: valid files', () => {
  it('when the 2027 fixture is imported, then every day becomes a holiday or a make-up working day', () => {
    const s = schedule(scheduleFromHolidayCn(holidayCn2027));
    expect(s.year).toBe(2027);
    expect(s.notice).toBe('（测试数据，仿 holiday-cn 格式；并非真实的 2027 年安排）');
    expect(s.days).toHaveLength(13);
    expect(s.days.filter((d) => d.kind === 'holiday')).toHaveLength(12);
    expect(s.days[0]).toEqual({ date: '2027-01-01', kind: 'holiday', name: '元旦' });
    expect(s.days.find((d) => d.date === '2027-02-20')).toEqual({ date: '2027-02-20', kind: 'makeup_workday', name: '春节调休上班' });
  });

  it('when the imported 2027 schedule joins the official ones, then 2027 is published and deadlines follow it', () => {
    const cal = WorkingDayCalendar.build([...OFFICIAL_SCHEDULES, schedule(scheduleFromHolidayCn(holidayCn2027))]);
    expect(cal.isPublished(2027)).toBe(true);
    expect(cal.day('2027-01-01')).toEqual({ date: '2027-01-01', workingDay: false, kind: 'holiday', name: '元旦', provisional: false });
    // 12-31 is day 1; 2027-01-01..03 are off; Monday 01-04 is day 2 and 01-05 day 3.
    expect(cal.addWorkingDays('2026-12-30', 3)).toEqual({ result: '2027-01-05', provisional: false });
    expect(cal.day('2027-02-20')).toMatchObject({ workingDay: true, kind: 'makeup_workday' });
  });

  it('when names carry spaces or already say 调休上班, then they are trimmed and the suffix is not doubled; days come out sorted', () => {
    const s = schedule(
      scheduleFromHolidayCn({
        year: 2027,
        papers: ['国务院办公厅关于2027年部分节假日安排的通知', '  ', '国务院办公厅关于调整的通知'],
        days: [
          { name: ' 国庆节 ', date: '2027-10-01', isOffDay: true },
          { name: '国庆节调休上班', date: '2027-09-26', isOffDay: false }, // a Sunday
          { name: '春节', date: '2027-02-20', isOffDay: false }, // a Saturday
        ],
      }),
    );
    expect(s).toEqual({
      year: 2027,
      notice: '国务院办公厅关于2027年部分节假日安排的通知；国务院办公厅关于调整的通知',
      days: [
        { date: '2027-02-20', kind: 'makeup_workday', name: '春节调休上班' },
        { date: '2027-09-26', kind: 'makeup_workday', name: '国庆节调休上班' },
        { date: '2027-10-01', kind: 'holiday', name: '国庆节' },
      ],
    });
  });

  it.each([
    ['no papers', undefined],
    ['only blank papers', ['', '   ']],
  ])('when there are %s, then the notice names the imported year', (_what, papers) => {
    const input: HolidayCnYear = { year: 2027, days: [{ name: '元旦', date: '2027-01-01', isOffDay: true }] };
    if (papers) input.papers = papers;
    expect(schedule(scheduleFromHolidayCn(input)).notice).toBe('2027 年节假日安排（导入）');
  });

  it("when the 2023 file is imported, then its 2022-12-31 (December of the year before) is accepted and it matches the official 2023 data", () => {
    const official = OFFICIAL_SCHEDULES.find((s) => s.year === 2023)!;
    const file: HolidayCnYear = {
      year: 2023,
      papers: ['http://www.gov.cn/zhengce/content/2022-12/08/content_5730844.htm'],
      days: official.days.map((d) => ({
        name: d.name.replace(/调休上班$/, ''),
        date: d.date,
        isOffDay: d.kind === 'holiday',
      })),
    };
    expect(file.days[0]).toEqual({ name: '元旦', date: '2022-12-31', isOffDay: true });
    const s = schedule(scheduleFromHolidayCn(file));
    expect(s.days[0]).toEqual({ date: '2022-12-31', kind: 'holiday', name: '元旦' });
    expect(s.days).toEqual([...official.days].sort((a, b) => (a.date < b.date ? -1 : 1)));
  });
});

describe('scheduleFromHolidayCn: refused files', () => {
  it('when days is empty, then it is refused at path days (empty means unknown, not "no holidays")', () => {
    const result = problems(scheduleFromHolidayCn({ year: 2027, papers: ['通知'], days: [] }));
    expect(result).toHaveLength(1);
    expect(result[0]!.path).toBe('days');
    expect(result[0]!.message).toContain('空');
  });

  it.each([
    ['an impossible date', '2027-02-30'],
    ['a date not written YYYY-MM-DD', '2027/01/02'],
    ['an empty date', ''],
    ['a date outside the supported range', '2200-01-02'],
  ])('when day 1 has %s, then it is refused at days[1].date', (_what, date) => {
    const result = problems(
      scheduleFromHolidayCn({
        year: 2027,
        days: [
          { name: '元旦', date: '2027-01-01', isOffDay: true },
          { name: '元旦', date, isOffDay: true },
        ],
      }),
    );
    expect(result).toEqual([{ path: 'days[1].date', message: expect.stringContaining('无效') }]);
  });

  it.each([
    ['the next year', '2028-01-01'],
    ['two years before', '2025-12-31'],
    ['November of the year before', '2026-11-30'],
  ])('when a date is in %s (%s), then it is refused as not of the year', (_what, date) => {
    const result = problems(
      scheduleFromHolidayCn({
        year: 2027,
        days: [
          { name: '元旦', date: '2027-01-01', isOffDay: true },
          { name: '元旦', date, isOffDay: true },
        ],
      }),
    );
    expect(result).toEqual([{ path: 'days[1].date', message: `日期 ${date} 不属于 2027 年` }]);
  });

  it('when a date appears twice, then the second occurrence is refused', () => {
    const result = problems(
      scheduleFromHolidayCn({
        year: 2027,
        days: [
          { name: '元旦', date: '2027-01-01', isOffDay: true },
          { name: '元旦', date: '2027-01-02', isOffDay: true },
          { name: '元旦', date: '2027-01-01', isOffDay: true },
        ],
      }),
    );
    expect(result).toEqual([{ path: 'days[2].date', message: expect.stringContaining('重复') }]);
  });

  it('when a make-up working day (isOffDay false) falls on a weekday, then it is refused', () => {
    const result = problems(
      scheduleFromHolidayCn({
        year: 2027,
        days: [
          { name: '春节', date: '2027-02-06', isOffDay: true },
          { name: '春节', date: '2027-02-19', isOffDay: false }, // a Friday
        ],
      }),
    );
    expect(result).toEqual([{ path: 'days[1].date', message: expect.stringContaining('2027-02-19') }]);
  });

  it('when several days are wrong, then every problem is listed with its own path', () => {
    const result = problems(
      scheduleFromHolidayCn({
        year: 2027,
        days: [
          { name: '元旦', date: '2027-01-01', isOffDay: true },
          { name: '元旦', date: '2027-13-01', isOffDay: true },
          { name: '元旦', date: '2027-01-01', isOffDay: true },
          { name: '春节', date: '2027-02-19', isOffDay: false },
          { name: '春节', date: '2028-02-06', isOffDay: true },
        ],
      }),
    );
    expect(result.map((p) => p.path)).toEqual(['days[1].date', 'days[2].date', 'days[3].date', 'days[4].date']);
  });
});
