import { describe, expect, it } from 'vitest';
import { allowedEventTypes, disclosureClock, eventProblem, storedDueDate, type ClockEvent } from '../../../src/domain/disclosure/clock.js';
import { at, calendar, ev } from './clock-fixtures.js';

// What may be recorded when (eventProblem, allowedEventTypes), what is stored (storedDueDate), and the
// clock's fields in each phase. Dates are counted by hand on the 2026 notice, as in clock.test.ts:
//   National Day: 09-25 (中秋) and 10-01..10-07 off; Sunday 09-20 and Saturday 10-10 are working days.
//   Spring Festival: 02-15..02-23 off; Saturdays 02-14 and 02-28 are working days.
// Received Wednesday 2026-09-16: due 2026-10-20 (20 working days), correction due by 2026-09-24 (7).


const RECEIVED = '2026-09-16';
const clock = (events: ClockEvent[], asOf: string, receivedDate = RECEIVED) => disclosureClock(calendar, { receivedDate, events }, at(asOf));
const check = (events: ClockEvent[], event: ClockEvent, now = '2026-11-20T10:00', receivedDate = RECEIVED) =>
  eventProblem(calendar, { receivedDate, events }, event, at(now));
const allowed = (events: ClockEvent[], now: string, receivedDate = RECEIVED) => allowedEventTypes(calendar, { receivedDate, events }, at(now));

const requested = () => ev('correction_requested', '2026-09-18');
const corrected = () => ev('corrected', '2026-09-22');
const started = (party: 'third_party' | 'agency' = 'third_party') => ev('consultation_started', '2026-09-21', { party });
const feeNotice = () => ev('fee_notice', '2026-09-18', { amount: 100 });

const AWAITING = '正在等待申请人补正（2026-09-18 告知补正）';
const CONSULTING = '征求意见尚未结束（2026-09-21 开始），请先登记“征求意见结束”';
const type409 = (message: string) => ({ status: 409, field: 'type', message });

describe('eventProblem: dates (422)', () => {
  it('accepts an event at the very moment of now, refuses one a millisecond later', () => {
    const now = at('2026-10-09T10:00');
    const event = { id: 1, type: 'withdrawn' as const, date: '2026-10-09', at: now };
    expect(eventProblem(calendar, { receivedDate: RECEIVED, events: [] }, event, now)).toBeNull();
    expect(eventProblem(calendar, { receivedDate: RECEIVED, events: [] }, { ...event, at: now + 1 }, now)).toEqual({
      status: 422,
      field: 'date',
      message: '事件日期不能晚于当前时间',
    });
  });

  it('accepts the day of receipt itself, refuses the day before', () => {
    expect(check([], ev('correction_requested', RECEIVED))).toBeNull();
    expect(check([], ev('withdrawn', '2026-09-15'))).toEqual({ status: 422, field: 'date', message: '不能早于收到申请之日（2026-09-16）' });
  });

  it('accepts an event on the same day as the last one, refuses one before it, naming it', () => {
    expect(check([requested()], ev('corrected', '2026-09-18'))).toBeNull();
    expect(check([requested()], ev('corrected', '2026-09-17'))).toEqual({
      status: 422,
      field: 'date',
      message: '不能早于上一事件“告知补正”的日期（2026-09-18）：事件须按发生先后登记',
    });
    // Only the last event counts, not the first.
    expect(check([requested(), ev('corrected', '2026-09-24')], ev('withdrawn', '2026-09-21'))).toMatchObject({
      status: 422,
      message: expect.stringContaining('“收到补正”的日期（2026-09-24）'),
    });
  });
});

describe('eventProblem: after the request ended only reviews (409)', () => {
  const answered = () => ev('answered', '2026-10-09', { outcome: 'disclosed' });
  it('names how it ended: answered, withdrawn, abandoned', () => {
    expect(check([answered()], ev('withdrawn', '2026-10-10'))).toEqual(type409('申请已于 2026-10-09 答复，此后只能登记行政复议、行政诉讼'));
    expect(check([ev('withdrawn', '2026-10-08')], ev('answered', '2026-10-10', { outcome: 'disclosed' }))).toEqual(
      type409('申请已于 2026-10-08 撤回，此后只能登记行政复议、行政诉讼'),
    );
    expect(check([requested(), ev('abandoned', '2026-10-30', { reason: 'no_correction' })], ev('corrected', '2026-11-02'))).toEqual(
      type409('申请已于 2026-10-30 终止（视为放弃），此后只能登记行政复议、行政诉讼'),
    );
  });

  it('accepts a review after withdrawal too', () => {
    expect(check([ev('withdrawn', '2026-10-08')], ev('review', '2026-10-10', { kind: 'litigation_direct', result: 'pending' }))).toBeNull();
  });
});

describe('eventProblem: the request to correct and the corrected request', () => {
  it('allows one correction notice, only while the request is being handled', () => {
    expect(check([], requested())).toBeNull();
    expect(check([requested()], ev('correction_requested', '2026-09-21'))).toEqual(
      type409('补正应一次性告知（条例第三十条），本申请已于 2026-09-18 告知补正'),
    );
    expect(check([started()], ev('correction_requested', '2026-09-22'))).toEqual(type409(`${CONSULTING}，不能告知补正`));
  });

  it('takes the corrected request only while waiting for it', () => {
    expect(check([requested()], corrected())).toBeNull();
    expect(check([requested(), corrected()], ev('corrected', '2026-09-23'))).toEqual(type409('已于 2026-09-22 收到补正'));
    expect(check([], ev('corrected', '2026-09-23'))).toEqual(type409('尚未告知补正，不能登记收到补正'));
  });
});

describe('eventProblem: consultation', () => {
  it('starts only while the request is being handled, ends only while one runs', () => {
    expect(check([], started())).toBeNull();
    expect(check([requested(), corrected()], ev('consultation_started', '2026-09-23', { party: 'agency' }))).toBeNull();
    expect(check([requested()], started())).toEqual(type409(`${AWAITING}，不能开始征求意见`));
    expect(check([started()], ev('consultation_started', '2026-09-22', { party: 'agency' }))).toEqual(type409(`${CONSULTING}，不能开始征求意见`));
    expect(check([started()], ev('consultation_ended', '2026-09-23'))).toBeNull();
    const ended = [started(), ev('consultation_ended', '2026-09-23')];
    expect(check(ended, ev('consultation_ended', '2026-09-24'))).toEqual(type409('没有进行中的征求意见，不能登记征求意见结束'));
    expect(check(ended, ev('consultation_started', '2026-09-24', { party: 'agency' }))).toBeNull();
  });
});

describe('eventProblem: the extension', () => {
  const extension = (date: string, days = 10) => ev('extended', date, { days, approvedBy: '王主任' });

  it('is refused a second time, naming the first', () => {
    expect(check([extension('2026-10-15')], extension('2026-10-16', 5))).toEqual(
      type409('答复期限只能延长一次（条例第三十三条），已于 2026-10-15 延长 10 个工作日'),
    );
  });

  it('may be decided on the due date itself, not the day after', () => {
    expect(check([], extension('2026-10-20'))).toBeNull();
    expect(check([], extension('2026-10-21'))).toEqual({ status: 422, field: 'date', message: '答复期限已于 2026-10-20 届满，延长须在期限届满前决定' });
  });

  it('counts the limit in force: from the corrected request and with the consultation days', () => {
    // Corrected Tuesday 09-29: due 11-02 (clock.test.ts). 10-21 is past the first limit, not this one.
    const restarted = [ev('correction_requested', '2026-09-24'), ev('corrected', '2026-09-29')];
    expect(check(restarted, extension('2026-10-21'))).toBeNull();
    expect(check(restarted, extension('2026-11-02'))).toBeNull();
    expect(check(restarted, extension('2026-11-03'))).toMatchObject({ status: 422, message: expect.stringContaining('2026-11-02') });
    // A consultation 09-21 → 09-23 (22, 23: 2 days) moves 10-20 to 10-22.
    const consulted = [started(), ev('consultation_ended', '2026-09-23')];
    expect(check(consulted, extension('2026-10-22'))).toBeNull();
    expect(check(consulted, extension('2026-10-23'))).toMatchObject({ status: 422, message: expect.stringContaining('2026-10-22') });
  });

  it('may be decided during a consultation, whatever the date; not while waiting for the correction', () => {
    expect(check([started()], extension('2026-11-20'))).toBeNull();
    expect(check([requested()], extension('2026-09-21'))).toEqual(type409(`${AWAITING}，答复期限尚未重新起算，不能延长`));
  });
});

describe('eventProblem: fees', () => {
  it('one notice at a time, only while the request is being handled; payment needs a notice', () => {
    expect(check([], feeNotice())).toBeNull();
    expect(check([feeNotice()], ev('fee_notice', '2026-09-21', { amount: 50 }))).toEqual(type409('已于 2026-09-18 发出收费通知，尚未缴费'));
    expect(check([feeNotice(), ev('fee_paid', '2026-09-21')], ev('fee_notice', '2026-09-22', { amount: 50 }))).toBeNull();
    expect(check([requested()], ev('fee_notice', '2026-09-21', { amount: 50 }))).toEqual(type409(`${AWAITING}，不能发出收费通知`));
    expect(check([started()], ev('fee_notice', '2026-09-22', { amount: 50 }))).toEqual(type409(`${CONSULTING}，不能发出收费通知`));
    expect(check([feeNotice()], ev('fee_paid', '2026-09-21'))).toBeNull();
    expect(check([], ev('fee_paid', '2026-09-21'))).toEqual(type409('没有待缴费的收费通知'));
    expect(check([feeNotice(), ev('fee_paid', '2026-09-21')], ev('fee_paid', '2026-09-22'))).toEqual(type409('没有待缴费的收费通知'));
  });
});

describe('eventProblem: the answer, withdrawal, abandonment and reviews', () => {
  const answer = (date: string) => ev('answered', date, { outcome: 'disclosed' });

  it('answers only while the request is being handled', () => {
    expect(check([], answer('2026-09-21'))).toBeNull();
    expect(check([requested(), corrected()], answer('2026-09-23'))).toBeNull();
    expect(check([requested()], answer('2026-09-21'))).toEqual(type409(`${AWAITING}：补正后再答复；申请人逾期不补正的，请登记“视为放弃申请”`));
    expect(check([started()], answer('2026-09-22'))).toEqual(type409(`${CONSULTING}，不能作出答复`));
    // Overdue is still open for the answer.
    expect(check([], answer('2026-11-20'))).toBeNull();
  });

  it('lets the applicant withdraw at any stage before the end', () => {
    expect(check([requested()], ev('withdrawn', '2026-09-21'))).toBeNull();
    expect(check([started()], ev('withdrawn', '2026-09-22'))).toBeNull();
  });

  it('abandons for no correction only while waiting for it, for an unpaid fee only with a notice outstanding', () => {
    const noCorrection = (date: string) => ev('abandoned', date, { reason: 'no_correction' });
    const feeUnpaid = (date: string) => ev('abandoned', date, { reason: 'fee_unpaid' });
    expect(check([requested()], noCorrection('2026-10-30'))).toBeNull();
    expect(check([], noCorrection('2026-10-30'))).toEqual({ status: 409, field: 'reason', message: '未告知补正，不能以“逾期不补正”终止' });
    expect(check([requested(), corrected()], noCorrection('2026-10-30'))).toEqual({ status: 409, field: 'reason', message: '申请人已于 2026-09-22 补正' });
    expect(check([feeNotice()], feeUnpaid('2026-10-30'))).toBeNull();
    expect(check([], feeUnpaid('2026-10-30'))).toEqual({ status: 409, field: 'reason', message: '没有未缴费的收费通知，不能以“逾期未缴费”终止' });
    expect(check([requested()], feeUnpaid('2026-10-30'))).toMatchObject({ status: 409, field: 'reason' });
    // Without a reason nothing is required.
    expect(check([], ev('abandoned', '2026-10-30'))).toBeNull();
  });

  it('takes a review at any stage', () => {
    const review = (date: string) => ev('review', date, { kind: 'reconsideration', result: 'pending' });
    expect(check([], review('2026-09-21'))).toBeNull();
    expect(check([requested()], review('2026-09-21'))).toBeNull();
    expect(check([started()], review('2026-09-22'))).toBeNull();
  });
});

describe('allowedEventTypes: what a page offers a form for', () => {
  it('while the request is being handled, and still when overdue', () => {
    const handling = ['correction_requested', 'consultation_started', 'extended', 'fee_notice', 'answered', 'withdrawn', 'review'];
    expect(allowed([], '2026-09-17T10:00')).toEqual(handling);
    // Overdue: an extension is a 422 (date), not out of turn, so the form is still offered.
    expect(allowed([], '2026-11-20T10:00')).toEqual(handling);
  });

  it('with a fee notice outstanding: payment and abandonment for the unpaid fee, no second notice', () => {
    expect(allowed([feeNotice()], '2026-09-21T10:00')).toEqual([
      'correction_requested',
      'consultation_started',
      'extended',
      'fee_paid',
      'answered',
      'withdrawn',
      'abandoned',
      'review',
    ]);
  });

  it('while waiting for the correction', () => {
    expect(allowed([requested()], '2026-09-21T10:00')).toEqual(['corrected', 'withdrawn', 'abandoned', 'review']);
  });

  it('during a consultation', () => {
    expect(allowed([started()], '2026-09-22T10:00')).toEqual(['consultation_ended', 'extended', 'withdrawn', 'review']);
  });

  it('after the answer, only reviews', () => {
    expect(allowed([ev('answered', '2026-10-09', { outcome: 'disclosed' })], '2026-10-12T10:00')).toEqual(['review']);
  });

  it('dates the probe event today in Shanghai, not in UTC', () => {
    // 23:30 UTC on 09-21 is 07:30 on 09-22 in Shanghai, the day of the correction notice. Dated 09-21
    // (UTC), every probe would be a 422 (before the last event) and everything would be offered.
    const events = [ev('correction_requested', '2026-09-22')];
    expect(allowedEventTypes(calendar, { receivedDate: RECEIVED, events }, Date.parse('2026-09-21T23:30:00Z'))).toEqual(['corrected', 'withdrawn', 'abandoned', 'review']);
  });
});

describe('storedDueDate: what the sweep and the list sort by', () => {
  it('the running due date while open or overdue, provisional when it reaches an unpublished year', () => {
    expect(storedDueDate(clock([], '2026-09-17T10:00'))).toEqual({ dueDate: '2026-10-20', provisional: false });
    expect(storedDueDate(clock([], '2026-10-21T10:00'))).toEqual({ dueDate: '2026-10-20', provisional: false });
    expect(storedDueDate(clock([], '2026-12-15T10:00', '2026-12-15'))).toEqual({ dueDate: expect.stringMatching(/^2027-01-/), provisional: true });
  });

  it('none while the clock stands still', () => {
    expect(storedDueDate(clock([requested()], '2026-09-21T10:00'))).toEqual({ dueDate: null, provisional: false });
    const consulting = clock([started()], '2026-09-23T10:00');
    expect(consulting.dueDate).toBe('2026-10-22');
    expect(storedDueDate(consulting)).toEqual({ dueDate: null, provisional: false });
    // A consultation reaching into an unpublished year: the state says provisional, nothing is stored.
    const late = clock([ev('consultation_started', '2026-12-15', { party: 'agency' })], '2026-12-16T10:00', '2026-12-15');
    expect(late.provisional).toBe(true);
    expect(storedDueDate(late)).toEqual({ dueDate: null, provisional: false });
  });

  it('the due date in force at the answer or at closing', () => {
    expect(storedDueDate(clock([ev('answered', '2026-10-09', { outcome: 'disclosed' })], '2026-10-12T10:00'))).toEqual({ dueDate: '2026-10-20', provisional: false });
    expect(storedDueDate(clock([ev('withdrawn', '2026-12-16')], '2026-12-16T10:00', '2026-12-15'))).toEqual({ dueDate: expect.stringMatching(/^2027-01-/), provisional: true });
    expect(storedDueDate(clock([requested(), ev('abandoned', '2026-10-30', { reason: 'no_correction' })], '2026-10-30T10:00'))).toEqual({ dueDate: null, provisional: false });
  });
});

describe('the clock, field by field, in each phase', () => {
  it('counts an event recorded at the very moment asked about', () => {
    const withdrawn = ev('withdrawn', '2026-10-09'); // at 00:00 Shanghai
    expect(disclosureClock(calendar, { receivedDate: RECEIVED, events: [withdrawn] }, withdrawn.at)).toMatchObject({ status: 'closed', closedOn: '2026-10-09' });
    expect(disclosureClock(calendar, { receivedDate: RECEIVED, events: [withdrawn] }, withdrawn.at - 1)).toMatchObject({ status: 'open', closedOn: null });
  });

  it('without a correction: not late, nothing requested or corrected, no fee, nothing closed', () => {
    expect(clock([], '2026-09-17T10:00')).toEqual({
      status: 'open',
      dueDate: '2026-10-20',
      workingDaysLeft: 19,
      workingDaysOverdue: null,
      provisional: false,
      clockStart: RECEIVED,
      pausedWorkingDays: 0,
      correctionDueBy: '2026-09-24',
      correctionRequestedOn: null,
      correctionLate: false,
      correctedOn: null,
      consultation: null,
      extension: null,
      feeOutstanding: false,
      closedBy: null,
      closedOn: null,
      outcome: null,
      reason: null,
      answeredLate: null,
    });
  });

  it('while waiting for the correction: no due date, not provisional even near an unpublished year', () => {
    const state = clock([ev('correction_requested', '2026-12-16')], '2026-12-17T10:00', '2026-12-15');
    expect(state).toMatchObject({ status: 'awaiting_correction', dueDate: null, workingDaysLeft: null, workingDaysOverdue: null, provisional: false });
  });

  it('an extension without days or approver adds nothing and records an empty approver', () => {
    expect(clock([ev('extended', '2026-10-09')], '2026-10-09T10:00')).toMatchObject({ dueDate: '2026-10-20', extension: { date: '2026-10-09', days: 0, approvedBy: '' } });
  });

  it('withdrawn during a consultation: the due date in force counts the consultation up to the withdrawal', () => {
    // Consultation from Monday 09-21; withdrawn Wednesday 09-23: 22, 23 = 2 days, 10-20 + 2 = 10-22.
    const state = clock([started('agency'), ev('withdrawn', '2026-09-23')], '2026-09-24T10:00');
    expect(state).toMatchObject({ status: 'closed', closedBy: 'withdrawn', dueDate: '2026-10-22', answeredLate: null, consultation: { startedOn: '2026-09-21', party: 'agency' } });
    expect(storedDueDate(state)).toEqual({ dueDate: '2026-10-22', provisional: false });
  });

  it('an answer on the due date itself is on time, the day after is late', () => {
    expect(clock([ev('answered', '2026-10-20', { outcome: 'disclosed' })], '2026-10-21T10:00')).toMatchObject({ status: 'answered', answeredLate: false, dueDate: '2026-10-20' });
    expect(clock([ev('answered', '2026-10-21', { outcome: 'disclosed' })], '2026-10-21T10:00')).toMatchObject({ status: 'answered', answeredLate: true });
  });

  it('withdrawn or abandoned: answeredLate stays null, with or without a due date', () => {
    expect(clock([ev('withdrawn', '2026-11-20')], '2026-11-20T10:00')).toMatchObject({ status: 'closed', dueDate: '2026-10-20', answeredLate: null, reason: null, outcome: null });
    expect(clock([ev('abandoned', '2026-11-20', { reason: 'fee_unpaid' })], '2026-11-20T10:00')).toMatchObject({ closedBy: 'abandoned', reason: 'fee_unpaid', answeredLate: null });
  });

  it('a consultation started after the limit ran out: no working days left, and none on the day it reaches the due date', () => {
    // Due 10-20. Started Thursday 10-22; as of Friday 10-23 one day (10-23) is added: due 10-21, already past.
    const late = clock([ev('consultation_started', '2026-10-22', { party: 'third_party' })], '2026-10-23T10:00');
    expect(late).toMatchObject({ status: 'in_consultation', dueDate: '2026-10-21', workingDaysLeft: null, workingDaysOverdue: null, pausedWorkingDays: 1 });
    // Started on the due date 10-20; as of 10-21 one day is added: due 10-21, today: 0 left.
    const onTheDay = clock([ev('consultation_started', '2026-10-20', { party: 'third_party' })], '2026-10-21T10:00');
    expect(onTheDay).toMatchObject({ status: 'in_consultation', dueDate: '2026-10-21', workingDaysLeft: 0 });
  });
});

describe('the clock replays what it is given, even out of turn', () => {
  // eventProblem keeps these from being recorded; the clock still reads them without failing.
  it('nothing after the answer moves the clock: only reviews follow it', () => {
    const answered = ev('answered', '2026-10-09', { outcome: 'disclosed' });
    const after = [ev('review', '2026-10-12', { kind: 'reconsideration', result: 'pending' }), ev('withdrawn', '2026-10-13'), ev('corrected', '2026-10-14')];
    expect(clock([answered, ...after], '2026-10-15T10:00')).toMatchObject({ status: 'answered', closedBy: 'answered', closedOn: '2026-10-09', clockStart: RECEIVED, dueDate: '2026-10-20' });
  });

  it('nothing after a withdrawal reopens it', () => {
    const events = [ev('withdrawn', '2026-10-09'), ev('answered', '2026-10-12', { outcome: 'disclosed' }), ev('consultation_started', '2026-10-13', { party: 'agency' })];
    expect(clock(events, '2026-10-15T10:00')).toMatchObject({ status: 'closed', closedBy: 'withdrawn', closedOn: '2026-10-09', consultation: null, answeredLate: null });
  });

  it('a corrected request without a notice restarts the clock and records no correction', () => {
    // From Tuesday 09-29: due 11-02 (clock.test.ts).
    expect(clock([ev('corrected', '2026-09-29')], '2026-09-29T10:00')).toMatchObject({ status: 'open', clockStart: '2026-09-29', dueDate: '2026-11-02', correctedOn: null, correctionRequestedOn: null });
  });

  it('a consultation that ends without having started adds nothing', () => {
    expect(clock([ev('consultation_ended', '2026-09-23')], '2026-09-24T10:00')).toMatchObject({ status: 'open', dueDate: '2026-10-20', pausedWorkingDays: 0 });
  });

  it('a consultation that "ends" before it started adds nothing, never takes days away', () => {
    const events = [ev('consultation_started', '2026-09-23', { party: 'agency' }), ev('consultation_ended', '2026-09-22')];
    expect(clock(events, '2026-09-24T10:00')).toMatchObject({ status: 'open', dueDate: '2026-10-20', pausedWorkingDays: 0 });
  });

  it('closed while waiting for the correction: no due date, even with a consultation left open before it', () => {
    const events = [started('agency'), ev('correction_requested', '2026-09-22'), ev('withdrawn', '2026-09-23')];
    expect(clock(events, '2026-09-24T10:00')).toMatchObject({ status: 'closed', closedBy: 'withdrawn', dueDate: null, provisional: false });
  });

  it('an answer while waiting for the correction has no due date and so is not late', () => {
    const events = [requested(), ev('answered', '2026-10-09', { outcome: 'disclosed' })];
    expect(clock(events, '2026-10-12T10:00')).toMatchObject({ status: 'answered', dueDate: null, answeredLate: null, provisional: false });
  });
});

describe('eventProblem: a withdrawal is never refused for a reason it carries', () => {
  it('unlike abandonment', () => {
    expect(check([], ev('withdrawn', '2026-10-09', { reason: 'fee_unpaid' }))).toBeNull();
    expect(check([], ev('withdrawn', '2026-10-09', { reason: 'no_correction' }))).toBeNull();
  });
});
