import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../../../src/domain/calendar/calendar.js';
import { OFFICIAL_SCHEDULES } from '../../../src/domain/calendar/official-schedules.js';
import { dateOfDayNumber, dayNumber } from '../../../src/domain/time.js';

const calendar = WorkingDayCalendar.build(OFFICIAL_SCHEDULES);

// chinese-days reads 'YYYY-MM-DD' as UTC midnight and then looks days up in the machine's zone,
// which shifts dates west of UTC (this suite runs in America/Los_Angeles). So the reference table
// is computed by chinese-days in a child process in Shanghai's zone; our own calendar is
// evaluated here, under Los Angeles, and never reads the zone.
const reference: Record<string, { work: boolean; holiday: boolean; festival: string | null }> = JSON.parse(
  execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import c from 'chinese-days';
       const out = {};
       for (let t = Date.UTC(2020, 0, 1); t <= Date.UTC(2026, 11, 31); t += 86400000) {
         const d = new Date(t).toISOString().slice(0, 10);
         const detail = c.getDayDetail(d);
         out[d] = {
           work: c.isWorkday(d),
           holiday: c.isHoliday(d) && !['Saturday', 'Sunday'].includes(detail.name),
           festival: detail.name.split(',')[1] ?? null,
         };
       }
       console.log(JSON.stringify(out));`,
    ],
    { env: { ...process.env, TZ: 'Asia/Shanghai' }, encoding: 'utf8' },
  ),
);

describe('official schedules 2020–2026', () => {
  it('when every date of 2020–2026 is compared with the chinese-days package, then working days agree', () => {
    const disagreements: string[] = [];
    let compared = 0;
    for (let n = dayNumber('2020-01-01'); n <= dayNumber('2026-12-31'); n++) {
      const date = dateOfDayNumber(n);
      const ours = calendar.isWorkingDay(date);
      const theirs = reference[date]!.work;
      compared++;
      if (ours !== theirs) disagreements.push(`${date}: ours ${ours}, chinese-days ${theirs}`);
    }
    expect(compared).toBe(2557);
    expect(disagreements).toEqual([]);
  });

  it('when chinese-days names a day a holiday, then ours is a holiday too, and the reverse', () => {
    const disagreements: string[] = [];
    for (let n = dayNumber('2020-01-01'); n <= dayNumber('2026-12-31'); n++) {
      const date = dateOfDayNumber(n);
      const ours = calendar.day(date).kind;
      const theirsHoliday = reference[date]!.holiday;
      if ((ours === 'holiday') !== theirsHoliday) disagreements.push(`${date}: ours ${ours}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('when a day is a holiday or a make-up working day, then its name contains the festival chinese-days gives for it', () => {
    // chinese-days names one festival per day (中秋 for 2025-10-06); ours name the whole block as the
    // notice does (国庆节、中秋节), so ours must contain theirs. Ordinary days have no name in either.
    const disagreements: string[] = [];
    for (let n = dayNumber('2020-01-01'); n <= dayNumber('2026-12-31'); n++) {
      const date = dateOfDayNumber(n);
      const day = calendar.day(date);
      const theirs = reference[date]!.festival;
      const named = day.kind === 'holiday' || day.kind === 'makeup_workday';
      if (named ? !theirs || !day.name?.includes(theirs) : day.name !== undefined || theirs !== null) {
        disagreements.push(`${date}: ours ${day.kind} ${day.name ?? '-'}, chinese-days ${theirs ?? '-'}`);
      }
      if (named && day.name!.endsWith('调休上班') !== (day.kind === 'makeup_workday')) disagreements.push(`${date}: ${day.name}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('cites a State Council notice for every year', () => {
    expect(OFFICIAL_SCHEDULES.map((s) => s.year)).toEqual([2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    for (const s of OFFICIAL_SCHEDULES) expect(s.notice).toMatch(new RegExp(`国务院办公厅关于${s.year}年部分节假日安排的通知`));
  });

  it.each([
    ['2024-02-09', true, 'workday'], // 除夕 2024 is a working day
    ['2024-02-04', true, 'makeup_workday'],
    ['2024-02-18', true, 'makeup_workday'],
    ['2024-02-10', false, 'holiday'],
    ['2020-02-01', false, 'holiday'], // make-up day cancelled by the 2020 extension
    ['2020-02-02', false, 'holiday'],
    ['2025-10-08', false, 'holiday'],
    ['2025-10-11', true, 'makeup_workday'],
    ['2026-01-04', true, 'makeup_workday'],
    ['2026-02-28', true, 'makeup_workday'],
    ['2026-11-21', false, 'weekend'],
    ['2026-11-23', true, 'workday'],
  ])('%s is working=%s, kind %s', (date, working, kind) => {
    const day = calendar.day(date);
    expect(day.workingDay).toBe(working);
    expect(day.kind).toBe(kind);
    expect(day.provisional).toBe(false);
  });
});
