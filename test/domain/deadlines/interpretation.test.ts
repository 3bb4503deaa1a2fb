import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../../../src/domain/calendar/calendar.js';
import { OFFICIAL_SCHEDULES } from '../../../src/domain/calendar/official-schedules.js';
import {
  DEFAULT_INTERPRETATION_WORKING_DAYS,
  INTERPRETATION_STATUSES,
  interpretationDeadline,
  interpretationStatus,
} from '../../../src/domain/deadlines/interpretation.js';
import { parseInstant } from '../../../src/domain/time.js';

const calendar = WorkingDayCalendar.build(OFFICIAL_SCHEDULES);

function at(input: string): number {
  const ms = parseInstant(input);
  if (ms === null) throw new Error(`bad instant in test: ${input}`);
  return ms;
}

// Published Tuesday 2025-09-30; 10-01..10-08 are off, so 10-09, 10-10 and the make-up
// Saturday 10-11 are working days 1, 2 and 3.
const DUE = '2025-10-11';

function statusOf(interpretations: string[], asOf: string, requiresInterpretation = true) {
  return interpretationStatus(
    calendar,
    { requiresInterpretation, dueDate: DUE, interpretationTimes: interpretations.map(at) },
    at(asOf),
  );
}

describe('interpretationDeadline', () => {
  it('when published 2025-09-30 with the default 3 working days, then it is due on the make-up Saturday 2025-10-11', () => {
    expect(DEFAULT_INTERPRETATION_WORKING_DAYS).toBe(3);
    expect(interpretationDeadline(calendar, at('2025-09-30T10:00:00+08:00'), 3)).toEqual({ dueDate: DUE, provisional: false });
    expect(interpretationDeadline(calendar, at('2025-09-30'), 3)).toEqual({ dueDate: DUE, provisional: false });
  });

  it.each([
    // Thursday 20 November 2025 late evening elsewhere is already Friday 21 in Shanghai: due Wednesday 26.
    ['2025-11-20T16:30:00Z', '2025-11-26'],
    ['2025-11-20T11:30:00-05:00', '2025-11-26'],
    ['2025-11-21T00:00:00+08:00', '2025-11-26'],
    // One second earlier it is still Thursday in Shanghai: due Tuesday 25.
    ['2025-11-20T15:59:59Z', '2025-11-25'],
    ['2025-11-20T23:59:59+08:00', '2025-11-25'],
  ])('when published at %s, then the Shanghai date of publication counts and it is due %s', (publishedAt, due) => {
    expect(interpretationDeadline(calendar, at(publishedAt), 3)).toEqual({ dueDate: due, provisional: false });
  });

  it('when published around midnight in other zones before National Day, then the Shanghai date decides', () => {
    // 2025-09-30T23:30-05:00 is 10-01 12:30 in Shanghai (a holiday); n = 1 gives 10-09 either way, n = 0 shows the date.
    expect(interpretationDeadline(calendar, at('2025-09-30T23:30:00-05:00'), 0).dueDate).toBe('2025-10-01');
    expect(interpretationDeadline(calendar, at('2025-09-30T15:59:59Z'), 0).dueDate).toBe('2025-09-30');
    expect(interpretationDeadline(calendar, at('2025-09-30T16:00:00Z'), 0).dueDate).toBe('2025-10-01');
  });

  it('when the deadline runs into 2027 (no schedule yet), then it is provisional', () => {
    expect(interpretationDeadline(calendar, at('2026-12-30T10:00:00+08:00'), 3)).toEqual({ dueDate: '2027-01-04', provisional: true });
  });

  it('when N is configured to 5, then the fifth working day is due', () => {
    // 10-09, 10-10, 10-11, 10-13, 10-14.
    expect(interpretationDeadline(calendar, at('2025-09-30T10:00:00+08:00'), 5).dueDate).toBe('2025-10-14');
  });
});

describe('interpretationStatus', () => {
  it('when the statuses are listed, then they are the five of SPEC §3, those still needing attention first', () => {
    expect(INTERPRETATION_STATUSES).toEqual(['pending', 'overdue', 'on_time', 'late', 'exempt']);
  });

  it('when the document does not require an interpretation, then it is exempt whatever happened', () => {
    expect(statusOf([], '2025-12-01', false)).toEqual({ status: 'exempt', workingDaysLeft: null });
    expect(statusOf(['2025-10-20T10:00:00+08:00'], '2025-12-01', false)).toEqual({ status: 'exempt', workingDaysLeft: null });
  });

  it.each([
    ['2025-09-30T10:00:00+08:00', 3], // the moment of publication
    ['2025-10-05T12:00:00+08:00', 3], // inside the holiday
    ['2025-10-09T09:00:00+08:00', 2],
    ['2025-10-10T20:00:00-07:00', 0], // 10-11 11:00 in Shanghai, still 10-10 in Los Angeles
    ['2025-10-11T00:00:00+08:00', 0],
    ['2025-10-11T23:59:59+08:00', 0],
    ['2025-10-11T15:59:59.999Z', 0],
  ])('when there is no interpretation as of %s, then it is pending with %i working days left', (asOf, left) => {
    expect(statusOf([], asOf)).toEqual({ status: 'pending', workingDaysLeft: left });
  });

  it.each(['2025-10-12T00:00:00+08:00', '2025-10-11T16:00:00Z', '2025-10-13T09:00:00+08:00', '2026-01-01'])(
    'when there is no interpretation as of %s (after the due date in Shanghai), then it is overdue',
    (asOf) => {
      expect(statusOf([], asOf)).toEqual({ status: 'overdue', workingDaysLeft: null });
    },
  );

  it.each([
    ['on the due date at 23:59 Shanghai', '2025-10-11T23:59:00+08:00'],
    ['on the due date at 15:59Z (23:59 Shanghai)', '2025-10-11T15:59:00Z'],
    ['on the day of publication', '2025-09-30T18:00:00+08:00'],
    ['before the document itself', '2025-09-28T10:00:00+08:00'],
    ['during the holiday', '2025-10-03T10:00:00+08:00'],
  ])('when the interpretation is published %s, then it is on time', (_when, publishedAt) => {
    expect(statusOf([publishedAt], '2025-12-01T00:00:00+08:00')).toEqual({ status: 'on_time', workingDaysLeft: null });
  });

  it.each([
    ['at 00:00 Shanghai the day after the due date', '2025-10-12T00:00:00+08:00'],
    ['at 16:00Z on the due date (already the next day in Shanghai)', '2025-10-11T16:00:00Z'],
    ['weeks later', '2025-11-03T10:00:00+08:00'],
  ])('when the interpretation is published %s, then it is late', (_when, publishedAt) => {
    expect(statusOf([publishedAt], '2025-12-01T00:00:00+08:00')).toEqual({ status: 'late', workingDaysLeft: null });
  });

  it('when an on-time interpretation is published after asOf, then it does not count yet: pending before, on_time from its instant', () => {
    const interpretation = '2025-10-10T10:00:00+08:00';
    expect(statusOf([interpretation], '2025-10-09T09:00:00+08:00')).toEqual({ status: 'pending', workingDaysLeft: 2 });
    expect(statusOf([interpretation], '2025-10-10T09:59:59.999+08:00')).toEqual({ status: 'pending', workingDaysLeft: 1 });
    expect(statusOf([interpretation], '2025-10-10T10:00:00+08:00')).toEqual({ status: 'on_time', workingDaysLeft: null });
  });

  it('when a late interpretation is published after asOf, then the document is overdue before it and late from it', () => {
    const interpretation = '2025-10-13T10:00:00+08:00';
    expect(statusOf([interpretation], '2025-10-12T12:00:00+08:00')).toEqual({ status: 'overdue', workingDaysLeft: null });
    expect(statusOf([interpretation], '2025-10-13T09:00:00+08:00')).toEqual({ status: 'overdue', workingDaysLeft: null });
    expect(statusOf([interpretation], '2025-10-13T10:00:00+08:00')).toEqual({ status: 'late', workingDaysLeft: null });
  });

  it('when there are several interpretations, then the earliest one counted decides, whatever their order', () => {
    const onTime = '2025-10-10T10:00:00+08:00';
    const late = '2025-10-15T10:00:00+08:00';
    const later = '2025-10-20T10:00:00+08:00';
    expect(statusOf([late, onTime, later], '2025-12-01').status).toBe('on_time');
    expect(statusOf([later, late], '2025-12-01').status).toBe('late');
    // As of 10-16 only the late one is out: still late, the one of 10-20 changes nothing.
    expect(statusOf([later, late], '2025-10-16').status).toBe('late');
  });
});
