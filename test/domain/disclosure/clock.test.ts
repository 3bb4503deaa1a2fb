import { describe, expect, it } from 'vitest';
import { disclosureClock, eventProblem, type ClockEvent } from '../../../src/domain/disclosure/clock.js';
import { at, calendar, ev } from './clock-fixtures.js';

// The statutory clock (条例 arts. 30–34) against dates counted by hand on the 2026 notice:
//   National Day: 09-25 (中秋) and 10-01..10-07 off; Sunday 09-20 and Saturday 10-10 are working days.
//   Spring Festival: 02-15..02-23 off; Saturdays 02-14 and 02-28 are working days. Qingming 04-04..04-06.
// The day of receipt is not counted (addWorkingDays). A count that only skips weekends is wrong on
// every one of them, and is given beside each to show it.


const clock = (receivedDate: string, events: ClockEvent[], asOf: string) => disclosureClock(calendar, { receivedDate, events }, at(asOf));

describe('the 20 working days after receipt (art. 33)', () => {
  // Received Wednesday 2026-09-16. Working days: 17, 18, Sun 20 (make-up), 21–24 (7); 25 is 中秋;
  // 28, 29, 30 (10); 10-01..10-07 off; 10-08, 10-09, Sat 10-10 (make-up) (13); 10-12..10-16 (18);
  // 10-19, 10-20 (20). Weekends only would give 10-14.
  it('crosses the Mid-Autumn day and the National Day holiday with both make-up days', () => {
    const state = clock('2026-09-16', [], '2026-09-16T10:00');
    expect(state).toMatchObject({ status: 'open', dueDate: '2026-10-20', workingDaysLeft: 20, clockStart: '2026-09-16', provisional: false });
    expect(state.correctionDueBy).toBe('2026-09-24');
  });

  it('counts the working days left as of any day: a make-up Sunday counts, the holiday does not', () => {
    expect(clock('2026-09-16', [], '2026-09-19T12:00').workingDaysLeft).toBe(18); // Saturday: 17 and 18 spent
    expect(clock('2026-09-16', [], '2026-09-20T12:00').workingDaysLeft).toBe(17); // the make-up Sunday spent too
    expect(clock('2026-09-16', [], '2026-10-07T12:00').workingDaysLeft).toBe(10); // last holiday day: 10 left
    expect(clock('2026-09-16', [], '2026-10-10T12:00').workingDaysLeft).toBe(7); // make-up Saturday
    expect(clock('2026-09-16', [], '2026-10-20T23:59')).toMatchObject({ status: 'open', workingDaysLeft: 0 });
  });

  it('is overdue from the day after the due date, by working days', () => {
    expect(clock('2026-09-16', [], '2026-10-21T00:00')).toMatchObject({ status: 'overdue', workingDaysLeft: null, workingDaysOverdue: 1 });
    expect(clock('2026-09-16', [], '2026-10-26T09:00')).toMatchObject({ status: 'overdue', workingDaysOverdue: 4 });
  });

  // Received Monday 2026-02-09: 10–13 (4), make-up Saturday 02-14 (5), 02-15..02-23 off, 24–27 (9),
  // make-up Saturday 02-28 (10), 03-02..03-06 (15), 03-09..03-13 (20). Weekends only: 03-09.
  it('crosses the Spring Festival with its two make-up Saturdays', () => {
    expect(clock('2026-02-09', [], '2026-02-09T15:00')).toMatchObject({ dueDate: '2026-03-13', workingDaysLeft: 20, correctionDueBy: '2026-02-25' });
    expect(clock('2026-02-09', [], '2026-02-23T12:00').workingDaysLeft).toBe(15);
  });

  it('says provisional when the due date reaches a year without a published schedule', () => {
    expect(clock('2026-12-15', [], '2026-12-15T10:00')).toMatchObject({ provisional: true });
    expect(clock('2026-11-02', [], '2026-11-02T10:00')).toMatchObject({ provisional: false });
  });
});

describe('a request to correct (补正, art. 30)', () => {
  it('is on time up to the 7th working day after receipt and late after it', () => {
    const onTime = clock('2026-09-16', [ev('correction_requested', '2026-09-24')], '2026-09-25T10:00');
    expect(onTime).toMatchObject({ status: 'awaiting_correction', correctionLate: false, correctionRequestedOn: '2026-09-24', dueDate: null, workingDaysLeft: null });
    // 09-25 is 中秋: the 8th working day is Monday 09-28.
    expect(clock('2026-09-16', [ev('correction_requested', '2026-09-28')], '2026-09-28T10:00').correctionLate).toBe(true);
    // Spring Festival: the 7th working day after 02-09 is 02-25 (make-up 02-14 counted, 02-15..02-23 not).
    expect(clock('2026-02-09', [ev('correction_requested', '2026-02-25')], '2026-02-25T10:00').correctionLate).toBe(false);
    expect(clock('2026-02-09', [ev('correction_requested', '2026-02-26')], '2026-02-26T10:00').correctionLate).toBe(true);
  });

  it('stops the clock while waiting, then runs the full 20 days again from the corrected request', () => {
    const events = [ev('correction_requested', '2026-09-24'), ev('corrected', '2026-09-29')];
    // From Tuesday 09-29: 09-30 (1); 10-08, 10-09, Sat 10-10 (4); 10-12..16 (9); 19..23 (14); 26..30 (19); 11-02 (20).
    expect(clock('2026-09-16', events, '2026-09-29T09:00')).toMatchObject({ status: 'open', clockStart: '2026-09-29', dueDate: '2026-11-02', workingDaysLeft: 20, correctedOn: '2026-09-29' });
    // A month waiting for the correction never makes it overdue.
    expect(clock('2026-09-16', events.slice(0, 1), '2026-10-30T10:00')).toMatchObject({ status: 'awaiting_correction', dueDate: null });
  });
});

describe('consultation (arts. 32, 34): its working days do not count', () => {
  const corrected = () => [ev('correction_requested', '2026-09-24'), ev('corrected', '2026-09-29')];

  it('adds the working days strictly after the start up to and including the end', () => {
    // 10-13 → 10-20: 14, 15, 16, 19, 20 = 5 days: 11-02 + 5 = 11-09.
    const events = [...corrected(), ev('consultation_started', '2026-10-13', { party: 'third_party' }), ev('consultation_ended', '2026-10-20')];
    expect(clock('2026-09-16', events, '2026-10-21T10:00')).toMatchObject({ status: 'open', dueDate: '2026-11-09', pausedWorkingDays: 5, workingDaysLeft: 13 });
  });

  it('freezes the working days left while it runs and never turns overdue', () => {
    const events = [...corrected(), ev('consultation_started', '2026-10-13', { party: 'agency' })];
    const during = clock('2026-09-16', events, '2026-10-15T10:00');
    // 2 days of consultation so far (14, 15): due as if it ended today 11-04, 14 left as on 10-13.
    expect(during).toMatchObject({ status: 'in_consultation', dueDate: '2026-11-04', workingDaysLeft: 14, pausedWorkingDays: 2, consultation: { startedOn: '2026-10-13', party: 'agency' } });
    expect(clock('2026-09-16', events, '2026-10-13T10:00').workingDaysLeft).toBe(14);
    expect(clock('2026-09-16', events, '2026-12-31T10:00').status).toBe('in_consultation');
  });

  it('counts only the working days of a consultation across the Spring Festival', () => {
    // 02-13 (Fri) → 02-25: Sat 02-14 (make-up), 02-24, 02-25 = 3 of 12 calendar days; 03-13 + 3 = 03-18.
    const events = [ev('consultation_started', '2026-02-13', { party: 'third_party' }), ev('consultation_ended', '2026-02-25')];
    expect(clock('2026-02-09', events, '2026-02-26T10:00')).toMatchObject({ dueDate: '2026-03-18', pausedWorkingDays: 3 });
  });

  it('adds nothing for a consultation that starts and ends on one day', () => {
    const events = [ev('consultation_started', '2026-10-12', { party: 'agency' }), ev('consultation_ended', '2026-10-12')];
    expect(clock('2026-09-16', events, '2026-10-13T10:00')).toMatchObject({ dueDate: '2026-10-20', pausedWorkingDays: 0 });
  });
});

describe('the one extension (art. 33)', () => {
  it('adds its working days to the limit, across Qingming', () => {
    // 02-09 + 40: 03-13 (20), 03-16..20 (25), 23..27 (30), 30, 31, 04-01..03 (35), 04-04..06 off, 04-07..10 (39), 04-13 (40).
    const events = [ev('extended', '2026-03-10', { days: 20, approvedBy: '王主任' })];
    expect(clock('2026-02-09', events, '2026-03-10T10:00')).toMatchObject({ dueDate: '2026-04-13', extension: { date: '2026-03-10', days: 20, approvedBy: '王主任' } });
    expect(clock('2026-02-09', events, '2026-03-09T10:00').dueDate).toBe('2026-03-13');
  });
});

describe('correction, then consultation, then extension, then the answer: as of any moment', () => {
  const events = [
    ev('correction_requested', '2026-09-24'),
    ev('corrected', '2026-09-29'),
    ev('consultation_started', '2026-10-13', { party: 'third_party' }),
    ev('consultation_ended', '2026-10-20'),
    // 11-09 + 20: 11-10..13 (4), 16..20 (9), 23..27 (14), 11-30, 12-01..04 (19), 12-07 (20).
    ev('extended', '2026-11-04', { days: 20, approvedBy: '王主任' }),
    ev('answered', '2026-11-20', { outcome: 'partly_disclosed' }),
  ];
  const cases: [string, Record<string, unknown>][] = [
    ['2026-09-16T09:00', { status: 'open', dueDate: '2026-10-20', workingDaysLeft: 20 }],
    ['2026-09-23T17:00', { status: 'open', dueDate: '2026-10-20', workingDaysLeft: 14 }],
    ['2026-09-24T09:00', { status: 'awaiting_correction', dueDate: null, correctionLate: false }],
    ['2026-09-28T17:00', { status: 'awaiting_correction', dueDate: null }],
    ['2026-09-29T09:00', { status: 'open', clockStart: '2026-09-29', dueDate: '2026-11-02', workingDaysLeft: 20 }],
    ['2026-10-12T17:00', { status: 'open', dueDate: '2026-11-02', workingDaysLeft: 15 }],
    ['2026-10-13T09:00', { status: 'in_consultation', dueDate: '2026-11-02', workingDaysLeft: 14 }],
    ['2026-10-19T17:00', { status: 'in_consultation', dueDate: '2026-11-06', workingDaysLeft: 14, pausedWorkingDays: 4 }],
    ['2026-10-20T09:00', { status: 'open', dueDate: '2026-11-09', workingDaysLeft: 14, pausedWorkingDays: 5 }],
    ['2026-11-03T17:00', { status: 'open', dueDate: '2026-11-09', workingDaysLeft: 4, extension: null }],
    ['2026-11-04T09:00', { status: 'open', dueDate: '2026-12-07', workingDaysLeft: 23 }],
    ['2026-11-19T17:00', { status: 'open', dueDate: '2026-12-07', workingDaysLeft: 12 }],
    ['2026-11-20T09:00', { status: 'answered', dueDate: '2026-12-07', workingDaysLeft: null, outcome: 'partly_disclosed', answeredLate: false, closedOn: '2026-11-20' }],
    ['2027-03-01T09:00', { status: 'answered', dueDate: '2026-12-07' }],
  ];
  it.each(cases)('as of %s', (asOf, expected) => {
    expect(clock('2026-09-16', events, asOf)).toMatchObject(expected);
  });

  it('without the extension the same answer is late', () => {
    const noExtension = events.filter((e) => e.type !== 'extended');
    expect(clock('2026-09-16', noExtension, '2026-11-10T09:00')).toMatchObject({ status: 'overdue', dueDate: '2026-11-09', workingDaysOverdue: 1 });
    expect(clock('2026-09-16', noExtension, '2026-11-21T09:00')).toMatchObject({ status: 'answered', answeredLate: true });
  });
});

describe('withdrawn and abandoned close the request', () => {
  it('closes with the due date in force, or none while awaiting the correction', () => {
    expect(clock('2026-09-16', [ev('withdrawn', '2026-10-09')], '2026-10-09T12:00')).toMatchObject({ status: 'closed', closedBy: 'withdrawn', dueDate: '2026-10-20' });
    const abandoned = [ev('correction_requested', '2026-09-18'), ev('abandoned', '2026-10-30', { reason: 'no_correction' })];
    expect(clock('2026-09-16', abandoned, '2026-10-30T12:00')).toMatchObject({ status: 'closed', closedBy: 'abandoned', reason: 'no_correction', dueDate: null });
    expect(clock('2026-09-16', abandoned, '2026-10-29T12:00').status).toBe('awaiting_correction');
  });

  it('ignores a fee notice for the clock (whether it pauses is not settled: SPEC leaves it running)', () => {
    const events = [ev('fee_notice', '2026-09-18', { amount: 200 }), ev('fee_paid', '2026-09-22')];
    expect(clock('2026-09-16', events, '2026-09-21T10:00')).toMatchObject({ dueDate: '2026-10-20', feeOutstanding: true });
    expect(clock('2026-09-16', events, '2026-09-23T10:00')).toMatchObject({ dueDate: '2026-10-20', feeOutstanding: false });
  });
});

describe('which events may be recorded, and when', () => {
  const now = at('2026-11-20T10:00');
  const check = (events: ClockEvent[], event: ClockEvent, receivedDate = '2026-09-16') => eventProblem(calendar, { receivedDate, events }, event, now);

  it('refuses dates after now, before receipt, or before the last event (422 on date)', () => {
    expect(check([], ev('answered', '2026-11-21', { outcome: 'disclosed' }))).toMatchObject({ status: 422, field: 'date', message: expect.stringContaining('不能晚于当前时间') });
    expect(check([], ev('withdrawn', '2026-09-15'))).toMatchObject({ status: 422, field: 'date', message: expect.stringContaining('2026-09-16') });
    expect(check([ev('consultation_started', '2026-10-13', { party: 'agency' })], ev('consultation_ended', '2026-10-12'))).toMatchObject({
      status: 422,
      field: 'date',
      message: expect.stringContaining('开始征求意见'),
    });
    expect(check([], ev('withdrawn', '2026-11-20'))).toBeNull();
  });

  it('allows one extension, decided before the limit runs out', () => {
    const extended = ev('extended', '2026-10-15', { days: 10, approvedBy: '王主任' });
    expect(check([], extended)).toBeNull();
    expect(check([extended], ev('extended', '2026-10-16', { days: 5, approvedBy: '李处长' }))).toMatchObject({ status: 409, message: expect.stringContaining('只能延长一次') });
    expect(check([], ev('extended', '2026-10-21', { days: 10, approvedBy: '王主任' }))).toMatchObject({ status: 422, field: 'date', message: expect.stringContaining('2026-10-20') });
  });

  it('follows the order of the statute: one correction notice, consultations that end, answers outside a consultation', () => {
    const requested = ev('correction_requested', '2026-09-18');
    expect(check([], ev('corrected', '2026-09-18'))).toMatchObject({ status: 409, message: expect.stringContaining('尚未告知补正') });
    expect(check([requested, ev('corrected', '2026-09-20')], ev('correction_requested', '2026-09-21'))).toMatchObject({ status: 409, message: expect.stringContaining('一次性告知') });
    expect(check([requested], ev('answered', '2026-09-21', { outcome: 'disclosed' }))).toMatchObject({ status: 409, message: expect.stringContaining('视为放弃') });
    expect(check([], ev('consultation_ended', '2026-09-21'))).toMatchObject({ status: 409, message: expect.stringContaining('没有进行中的征求意见') });
    const started = ev('consultation_started', '2026-09-21', { party: 'third_party' });
    expect(check([started], ev('answered', '2026-09-22', { outcome: 'disclosed' }))).toMatchObject({ status: 409, message: expect.stringContaining('征求意见结束') });
    expect(check([started], ev('consultation_started', '2026-09-22', { party: 'agency' }))).toMatchObject({ status: 409 });
  });

  it('accepts only reviews after the answer; fees and abandonment need their preconditions', () => {
    const answered = ev('answered', '2026-10-09', { outcome: 'withheld', reason: 'state_secret' });
    expect(check([answered], ev('withdrawn', '2026-10-10'))).toMatchObject({ status: 409, field: 'type', message: expect.stringContaining('2026-10-09 答复') });
    expect(check([answered], ev('review', '2026-10-20', { kind: 'reconsideration', result: 'pending' }))).toBeNull();
    expect(check([], ev('fee_paid', '2026-09-20'))).toMatchObject({ status: 409, message: expect.stringContaining('没有待缴费') });
    expect(check([], ev('abandoned', '2026-09-20', { reason: 'no_correction' }))).toMatchObject({ status: 409, field: 'reason' });
    expect(check([ev('fee_notice', '2026-09-18', { amount: 100 })], ev('abandoned', '2026-10-20', { reason: 'fee_unpaid' }))).toBeNull();
  });
});
