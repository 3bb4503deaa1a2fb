import { dayNumber, weekdayOfDayNumber, yearOf } from '../time.js';
import { isSupportedDate, type ScheduleDay, type YearSchedule } from './calendar.js';

/** One year in the holiday-cn JSON format, as most Chinese calendar tools publish it. */
export interface HolidayCnYear {
  year: number;
  papers?: string[];
  days: { name: string; date: string; isOffDay: boolean }[];
}

export interface ImportProblem {
  path: string;
  message: string;
}

/**
 * Turns a holiday-cn year into a schedule, or lists what is wrong with it. A block may start in
 * the last days of the previous year (the 2023 notice's New Year block starts on 2022-12-31), so
 * dates in December of the year before are accepted; anything else outside the year is refused.
 */
export function scheduleFromHolidayCn(input: HolidayCnYear): YearSchedule | ImportProblem[] {
  const problems: ImportProblem[] = [];
  if (input.days.length === 0) {
    problems.push({
      path: 'days',
      message: '节假日列表为空：空列表表示“尚未公布”，不能当作“全年无节假日”导入',
    });
  }
  const seen = new Set<string>();
  const days: ScheduleDay[] = [];
  input.days.forEach((d, i) => {
    const path = `days[${i}].date`;
    if (!isSupportedDate(d.date)) {
      problems.push({ path, message: `日期 ${d.date} 无效，应为 YYYY-MM-DD` });
      return;
    }
    const y = yearOf(d.date);
    if (!(y === input.year || (y === input.year - 1 && d.date.slice(5, 7) === '12'))) {
      problems.push({ path, message: `日期 ${d.date} 不属于 ${input.year} 年` });
      return;
    }
    if (seen.has(d.date)) {
      problems.push({ path, message: `日期 ${d.date} 重复出现` });
      return;
    }
    seen.add(d.date);
    const weekday = weekdayOfDayNumber(dayNumber(d.date));
    if (!d.isOffDay && weekday !== 0 && weekday !== 6) {
      problems.push({ path, message: `${d.date} 本就是工作日，不能标为调休上班` });
      return;
    }
    const name = d.name.trim();
    days.push({
      date: d.date,
      kind: d.isOffDay ? 'holiday' : 'makeup_workday',
      name: d.isOffDay ? name : name.endsWith('调休上班') ? name : `${name}调休上班`,
    });
  });
  if (problems.length > 0) return problems;
  const papers = (input.papers ?? []).filter((p) => p.trim() !== '');
  return {
    year: input.year,
    notice: papers.length > 0 ? papers.join('；') : `${input.year} 年节假日安排（导入）`,
    days: days.sort((a, b) => (a.date < b.date ? -1 : 1)),
  };
}
