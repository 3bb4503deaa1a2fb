import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beijingText } from '../../../src/app/exports/beijing-text.js';
import { rowStatus } from '../../../src/app/exports/row-status.js';
import { WorkingDayCalendar } from '../../../src/domain/calendar/calendar.js';
import { OFFICIAL_SCHEDULES } from '../../../src/domain/calendar/official-schedules.js';
import { interpretationDeadline, interpretationStatus } from '../../../src/domain/deadlines/interpretation.js';
import { beijingMinute } from '../../../src/domain/notifications/messages.js';
import { shanghaiDate } from '../../../src/domain/time.js';

// The export's and the report's fast paths must say exactly what the domain functions say.

const calendar = WorkingDayCalendar.build(OFFICIAL_SCHEDULES);
const FROM = Date.parse('2019-06-01T00:00:00Z');
const TO = Date.parse('2027-06-01T00:00:00Z');
const instant = fc.integer({ min: FROM, max: TO });

describe('fast paths of exports and the report', () => {
  it('beijingText gives the same dates and minutes as shanghaiDate and beijingMinute', () => {
    const text = beijingText();
    fc.assert(
      fc.property(instant, (ms) => {
        expect(text.date(ms)).toBe(shanghaiDate(ms));
        expect(text.minute(ms)).toBe(beijingMinute(ms));
      }),
      { numRuns: 5000 },
    );
    // Midnight and the last millisecond of a Beijing day.
    expect(text.minute(Date.parse('2026-11-19T16:00:00Z'))).toBe('2026-11-20 00:00');
    expect(text.minute(Date.parse('2026-11-20T15:59:59.999Z'))).toBe('2026-11-20 23:59');
  });

  it('rowStatus gives the status and working days left that interpretationStatus gives for the row’s first interpretation', () => {
    const text = beijingText();
    fc.assert(
      fc.property(instant, fc.option(instant, { nil: null }), instant, fc.boolean(), (publishedAt, first, asOf, requires) => {
        const dueDate = interpretationDeadline(calendar, publishedAt, 3).dueDate;
        const expected = interpretationStatus(calendar, { requiresInterpretation: requires, dueDate, interpretationTimes: first === null ? [] : [first] }, asOf);
        expect(rowStatus(calendar, text, { at: asOf, date: shanghaiDate(asOf) }, { requires, dueDate, first })).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
  });
});
