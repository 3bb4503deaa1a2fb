import { WorkingDayCalendar } from '../../../src/domain/calendar/calendar.js';
import { OFFICIAL_SCHEDULES } from '../../../src/domain/calendar/official-schedules.js';
import type { ClockEvent } from '../../../src/domain/disclosure/clock.js';
import { parseInstant } from '../../../src/domain/time.js';

// What the disclosure clock's tests share: the official calendar, instants in Beijing time, and
// events with ids of their own.

export const calendar = WorkingDayCalendar.build(OFFICIAL_SCHEDULES);

/** An instant: a date (00:00 Beijing time), or a date and time without a zone read as Beijing time. */
export const at = (input: string) => {
  const ms = parseInstant(input.length === 10 ? input : input.replace(/$(?<!Z|[+-]\d\d:\d\d)/, '+08:00'));
  if (ms === null) throw new Error(`bad instant: ${input}`);
  return ms;
};

let nextId = 1;
/** A recorded event of `type` on `date`, with a fresh id. */
export function ev(type: ClockEvent['type'], date: string, extra: Partial<ClockEvent> = {}): ClockEvent {
  return { id: nextId++, type, date, at: at(date), ...extra };
}
