import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeMessage } from '../../src/domain/notifications/messages.js';
import { callAs, seedDepartment, startTestApp, userWithToken, type TestApp } from '../support/app.js';

// Requests for disclosure through the API on real SQLite (SPEC §13): numbering, the clock as of any
// moment, events and their refusals, roles, the calendar recomputing stored due dates, and the sweep.

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ now: '2026-11-20T10:00:00+08:00' });
  await seedDepartment(t, 'fgw', '市发展改革委');
  await seedDepartment(t, 'jyj', '市教育局');
});
afterEach(() => t.close());

const REQUEST = {
  receivedAt: '2026-09-16',
  channel: 'online',
  applicantType: 'natural_person',
  applicantName: '张三',
  contact: '13800000000',
  description: '2025年本区老旧小区改造项目清单',
  departmentCode: 'fgw',
};

async function register(fields: Record<string, unknown> = {}) {
  const res = await t.call('POST', '/api/disclosure-requests', { ...REQUEST, ...fields });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const event = (id: number, body: Record<string, unknown>) => t.call('POST', `/api/disclosure-requests/${id}/events`, body);

describe('registering requests', () => {
  it('when requests are registered, then they are numbered per year of receipt, with the prefix in force', async () => {
    const first = await register();
    expect(first).toMatchObject({ number: '2026-0001', year: 2026, receivedAt: '2026-09-16', status: 'overdue', dueDate: '2026-10-20' });
    expect((await register({ receivedAt: '2026-11-02' })).number).toBe('2026-0002');
    expect((await register({ receivedAt: '2025-12-30' })).number).toBe('2025-0001');
    expect((await t.call('PUT', '/api/disclosure-settings', { numberPrefix: 'FGW-' })).body).toEqual({ numberPrefix: 'FGW-' });
    expect((await register({ receivedAt: '2026-11-19T16:00:00+08:00' })).number).toBe('FGW-2026-0003');
    expect((await t.call('GET', '/api/disclosure-settings')).body).toEqual({ numberPrefix: 'FGW-' });
    expect((await t.call('PUT', '/api/disclosure-settings', { numberPrefix: 'a b' })).status).toBe(400);
  });

  it('when the input is bad, then it is refused naming the field, and nothing is written', async () => {
    const bad = await t.call('POST', '/api/disclosure-requests', { ...REQUEST, receivedAt: '2026-02-30', channel: 'pigeon' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/receivedAt/);
    expect(bad.body.error.message).toMatch(/channel/);
    const future = await t.call('POST', '/api/disclosure-requests', { ...REQUEST, receivedAt: '2026-11-21' });
    expect(future).toMatchObject({ status: 422, body: { error: { message: expect.stringMatching(/^receivedAt: 收到申请日期不能晚于今天/) } } });
    expect((await t.call('POST', '/api/disclosure-requests', { ...REQUEST, departmentCode: 'nobody' })).status).toBe(422);
    expect((await t.call('GET', '/api/disclosure-requests')).body.items).toEqual([]);
  });

  it('when a request is changed, then its clock follows, and its year cannot change', async () => {
    const req = await register();
    const moved = await t.call('PATCH', `/api/disclosure-requests/${req.id}`, { receivedAt: '2026-09-30', applicantType: 'commercial' });
    // 09-30 + 20: 10-08, 09, Sat 10 (3), 12..16 (8), 19..23 (13), 26..30 (18), 11-02, 11-03 (20).
    expect(moved.body).toMatchObject({ receivedAt: '2026-09-30', applicantType: 'commercial', dueDate: '2026-11-03' });
    const year = await t.call('PATCH', `/api/disclosure-requests/${req.id}`, { receivedAt: '2025-12-31' });
    expect(year).toMatchObject({ status: 422, body: { error: { message: expect.stringMatching(/^receivedAt: /) } } });
    const audit = await t.call('GET', `/api/audit?entity=disclosure_request&entityId=${req.id}`);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['update', 'create']);
  });
});

describe('events and the clock', () => {
  it('when correction, consultation, extension and answer are recorded, then the clock is right as of every moment', async () => {
    const req = await register();
    expect((await event(req.id, { type: 'correction_requested', date: '2026-09-24' })).body).toMatchObject({ status: 'awaiting_correction', correctionLate: false });
    expect((await event(req.id, { type: 'corrected', date: '2026-09-29' })).body).toMatchObject({ clockStart: '2026-09-29' });
    await event(req.id, { type: 'consultation_started', date: '2026-10-13', party: 'third_party', note: '征求商业企业意见' });
    await event(req.id, { type: 'consultation_ended', date: '2026-10-20T17:30:00+08:00' });
    const extended = await event(req.id, { type: 'extended', date: '2026-11-04', days: 20, approvedBy: '王主任' });
    expect(extended).toMatchObject({ status: 201, body: { status: 'open', dueDate: '2026-12-07', workingDaysLeft: 11 } });

    const asOf = async (iso: string) => (await t.call('GET', `/api/disclosure-requests/${req.id}?asOf=${encodeURIComponent(iso)}`)).body;
    expect(await asOf('2026-09-20T12:00:00+08:00')).toMatchObject({ status: 'open', dueDate: '2026-10-20', workingDaysLeft: 17 });
    expect(await asOf('2026-09-25T12:00:00+08:00')).toMatchObject({ status: 'awaiting_correction', dueDate: null });
    expect(await asOf('2026-10-15T12:00:00+08:00')).toMatchObject({ status: 'in_consultation', dueDate: '2026-11-04', workingDaysLeft: 14 });
    // Ended at 17:30 on 10-20: at noon that day the consultation still ran.
    expect(await asOf('2026-10-20T12:00:00+08:00')).toMatchObject({ status: 'in_consultation' });
    expect(await asOf('2026-10-21T09:00:00+08:00')).toMatchObject({ status: 'open', dueDate: '2026-11-09', pausedWorkingDays: 5 });
    expect(await asOf('2026-11-03T09:00:00+08:00')).toMatchObject({ dueDate: '2026-11-09', extension: null });

    const answered = await event(req.id, { type: 'answered', date: '2026-11-20', outcome: 'withheld', reason: 'third_party_rights' });
    expect(answered.body).toMatchObject({ status: 'answered', outcome: 'withheld', reason: 'third_party_rights', answeredLate: false, dueDate: '2026-12-07' });
    const detail = (await t.call('GET', `/api/disclosure-requests/${req.id}`)).body;
    expect(detail.events.map((e: { type: string }) => e.type)).toEqual([
      'correction_requested', 'corrected', 'consultation_started', 'consultation_ended', 'extended', 'answered',
    ]);
    expect(detail.events[2]).toMatchObject({ party: 'third_party', note: '征求商业企业意见', recordedBy: 'admin-token', date: '2026-10-13' });
    expect(detail.events[3]).toMatchObject({ date: '2026-10-20', at: '2026-10-20T09:30:00.000Z' });
  });

  it('when an event does not fit, then 409 or 422 says why, and 400 names a missing or foreign field', async () => {
    const req = await register({ receivedAt: '2026-11-02' });
    expect((await event(req.id, { type: 'answered', date: '2026-11-21', outcome: 'disclosed' })).body.error.message).toMatch(/^date: 事件日期不能晚于当前时间/);
    expect((await event(req.id, { type: 'corrected', date: '2026-11-03' })).status).toBe(409);
    expect((await event(req.id, { type: 'extended', date: '2026-11-03', days: 10, approvedBy: '王主任' })).status).toBe(201);
    const twice = await event(req.id, { type: 'extended', date: '2026-11-04', days: 5, approvedBy: '王主任' });
    expect(twice).toMatchObject({ status: 409, body: { error: { code: 'event_not_allowed', message: expect.stringContaining('只能延长一次') } } });
    expect((await event(req.id, { type: 'withdrawn', date: '2026-11-02' })).body.error.message).toMatch(/不能早于上一事件“延长答复期限”/);

    const tooLong = await event(req.id, { type: 'extended', date: '2026-11-05', days: 21, approvedBy: '王主任' });
    expect(tooLong).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^days: /) } } });
    const noParty = await event(req.id, { type: 'consultation_started', date: '2026-11-05' });
    expect(noParty.body.error.message).toBe('party: 请选择征求意见对象：third_party（第三方）或 agency（其他行政机关）');
    const foreign = await event(req.id, { type: 'withdrawn', date: '2026-11-05', outcome: 'disclosed' });
    expect(foreign.body.error.message).toBe('outcome: “申请人撤回申请”不使用此字段');
    const wrongReason = await event(req.id, { type: 'answered', date: '2026-11-05', outcome: 'unable', reason: 'state_secret' });
    expect(wrongReason).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^reason: 理由 state_secret 不属于“无法提供”/) } } });
    const noReason = await event(req.id, { type: 'answered', date: '2026-11-05', outcome: 'not_processed' });
    expect(noReason.body.error.message).toMatch(/^reason: “不予处理”须说明理由/);
    const needless = await event(req.id, { type: 'answered', date: '2026-11-05', outcome: 'disclosed', reason: 'other' });
    expect(needless.body.error.message).toMatch(/^reason: “予以公开”不需要理由/);
    expect((await event(req.id, { type: 'answered', date: '2026-11-05', outcome: 'not_processed', reason: 'repeated' })).status).toBe(201);
    expect((await event(req.id, { type: 'withdrawn', date: '2026-11-06' })).body.error.message).toMatch(/^type: 申请已于 2026-11-05 答复/);
    expect((await event(req.id, { type: 'review', date: '2026-11-10', kind: 'reconsideration', result: 'pending' })).status).toBe(201);
    expect((await event(999, { type: 'withdrawn', date: '2026-11-06' })).status).toBe(404);
  });
});

describe('lists', () => {
  it('when listed with filters and asOf, then status, department and year narrow it, running ones soonest due first', async () => {
    const a = await register({ receivedAt: '2026-11-02' }); // due 11-30
    const b = await register({ receivedAt: '2026-10-09', departmentCode: 'jyj' }); // due 11-05
    const c = await register({ receivedAt: '2026-11-10' });
    await event(c.id, { type: 'answered', date: '2026-11-18', outcome: 'disclosed' });
    const d = await register({ receivedAt: '2025-12-01' });
    await event(d.id, { type: 'correction_requested', date: '2025-12-03' });
    const ids = async (query: string) => (await t.call('GET', `/api/disclosure-requests?${query}`)).body.items.map((r: { id: number }) => r.id);
    expect(await ids('')).toEqual([c.id, a.id, b.id, d.id]);
    expect(await ids('status=overdue')).toEqual([b.id]);
    expect(await ids('status=open')).toEqual([a.id]);
    expect(await ids('status=answered')).toEqual([c.id]);
    expect(await ids('status=awaiting_correction')).toEqual([d.id]);
    expect(await ids('departmentCode=jyj')).toEqual([b.id]);
    expect(await ids('year=2025')).toEqual([d.id]);
    expect(await ids(`status=open&asOf=${encodeURIComponent('2026-11-05T10:00:00+08:00')}`)).toEqual([b.id, a.id]);
    // As of 11-12, c (received 11-10) was open and not yet answered.
    expect(await ids(`status=open&asOf=${encodeURIComponent('2026-11-12T10:00:00+08:00')}`)).toEqual([a.id, c.id]);
    expect(await ids(`asOf=${encodeURIComponent('2026-10-31T10:00:00+08:00')}`)).toEqual([b.id, d.id]);
    expect(await ids('limit=2&offset=1')).toEqual([a.id, b.id]);
    expect((await t.call('GET', '/api/disclosure-requests?status=pending')).status).toBe(400);
  });
});

describe('roles', () => {
  it('when drafters, the press office and leaders call, then drafters handle their own departments and everyone reads', async () => {
    const drafter = await userWithToken(t, 'fgw01', 'drafter', ['fgw']);
    const press = await userWithToken(t, 'xwb01', 'press');
    const leader = await userWithToken(t, 'leader1', 'leader');
    const own = await callAs(t, { token: drafter.token }, 'POST', '/api/disclosure-requests', REQUEST);
    expect(own.status).toBe(201);
    expect((await callAs(t, { token: drafter.token }, 'POST', '/api/disclosure-requests', { ...REQUEST, departmentCode: 'jyj' })).status).toBe(403);
    const recorded = await callAs(t, { token: drafter.token }, 'POST', `/api/disclosure-requests/${own.body.id}/events`, { type: 'withdrawn', date: '2026-09-20' });
    expect(recorded.body.events[0].recordedBy).toBe('fgw01');
    const other = await register({ departmentCode: 'jyj' });
    expect((await callAs(t, { token: drafter.token }, 'POST', `/api/disclosure-requests/${other.id}/events`, { type: 'withdrawn', date: '2026-09-20' })).status).toBe(403);
    expect((await callAs(t, { token: drafter.token }, 'PATCH', `/api/disclosure-requests/${other.id}`, { contact: 'x' })).status).toBe(403);
    expect((await callAs(t, { token: press.token }, 'POST', '/api/disclosure-requests', REQUEST)).status).toBe(403);
    expect((await callAs(t, { token: press.token }, 'GET', `/api/disclosure-requests/${other.id}`)).status).toBe(200);
    expect((await callAs(t, { token: leader.token }, 'GET', '/api/disclosure-requests')).body.items).toHaveLength(2);
    expect((await callAs(t, { token: leader.token }, 'GET', '/api/reports/annual/2026')).status).toBe(200);
    expect((await callAs(t, { token: leader.token }, 'PUT', '/api/reports/annual/2026/inputs', { licensingDecisions: 1 })).status).toBe(403);
    expect((await callAs(t, { token: drafter.token }, 'PUT', '/api/disclosure-settings', { numberPrefix: 'X' })).status).toBe(403);
  });
});

describe('the calendar', () => {
  it('when a day is set by hand, then the stored due dates across it move, and come back with default', async () => {
    const req = await register({ receivedAt: '2026-11-02' });
    const stored = () => (t.db as any).orm.$client.prepare('SELECT due_date FROM disclosure_requests WHERE id = ?').get(req.id).due_date;
    expect(stored()).toBe('2026-11-30');
    expect((await t.call('PUT', '/api/calendar/days/2026-11-23', { kind: 'holiday', name: '临时调整' })).status).toBe(200);
    expect(stored()).toBe('2026-12-01');
    expect((await t.call('GET', `/api/disclosure-requests/${req.id}`)).body.dueDate).toBe('2026-12-01');
    await t.call('PUT', '/api/calendar/days/2026-11-23', { kind: 'default' });
    expect(stored()).toBe('2026-11-30');
  });
});

describe('the sweep', () => {
  it('when the sweep runs, then due-soon and overdue alerts are recorded once each, for the department, and delivered', async () => {
    const channel = await t.call('POST', '/api/channels', { name: '发改委群', kind: 'webhook', url: 'http://127.0.0.1:8/hook', departmentCodes: ['fgw'] });
    expect(channel.status).toBe(201);
    const soon = await register({ receivedAt: '2026-10-26' }); // due 11-23: 1 working day left on 11-20
    const late = await register({ receivedAt: '2026-10-09', departmentCode: 'jyj' }); // due 11-05
    const far = await register({ receivedAt: '2026-11-19' });
    const paused = await register({ receivedAt: '2026-10-09' });
    await event(paused.id, { type: 'consultation_started', date: '2026-10-12', party: 'agency' });

    expect((await t.call('POST', '/api/jobs/sweep', {})).body.alertsCreated).toBe(2);
    expect((await t.call('POST', '/api/jobs/sweep', {})).body.alertsCreated).toBe(0);
    const soonAlerts = (await t.call('GET', '/api/alerts?type=disclosure_due_soon')).body.items;
    expect(soonAlerts).toEqual([
      expect.objectContaining({
        disclosureRequestId: soon.id,
        departmentCode: 'fgw',
        subject: '依申请公开 2026-0001',
        deadline: '2026-11-23T16:00:00.000Z',
        message: '依申请公开 2026-0001「2025年本区老旧小区改造项目清单」应于 2026-11-23（含）前答复，还剩 1 个工作日',
      }),
    ]);
    const overdue = (await t.call('GET', '/api/alerts?type=disclosure_overdue')).body.items;
    expect(overdue).toEqual([expect.objectContaining({ disclosureRequestId: late.id, departmentCode: 'jyj', message: expect.stringContaining('现已逾期') })]);
    expect(far.status).toBe('open');

    // The outbox trigger reached the fgw channel with the fgw alert only.
    const deliveries = (await t.call('GET', `/api/deliveries?channelId=${channel.body.id}`)).body.items;
    expect(deliveries.map((d: { alertId: number }) => d.alertId)).toEqual([soonAlerts[0].id]);

    // Overdue later: one more alert, then none.
    t.setNow('2026-11-24T10:00:00+08:00');
    expect((await t.call('POST', '/api/jobs/sweep', {})).body.alertsCreated).toBe(1);
    expect((await t.call('POST', '/api/jobs/sweep', {})).body.alertsCreated).toBe(0);
  });

  it('when a message is composed for a disclosure alert, then it links the request and gives the day as ending at 24:00', () => {
    const message = composeMessage(
      {
        id: 1, type: 'disclosure_overdue', message: '依申请公开 2026-0001「…」应于 2026-11-06（含）前答复，现已逾期', subject: '依申请公开 2026-0001',
        departmentName: '市教育局', severity: null, deadlineAt: Date.parse('2026-11-06T16:00:00Z'), documentId: null, incidentId: null, feedId: null, disclosureRequestId: 7,
      },
      Date.parse('2026-11-07T04:00:00Z'),
      'https://zwgk.example.gov.cn',
    );
    expect(message.title).toBe('【依申请公开逾期】依申请公开 2026-0001');
    expect(message.link).toBe('https://zwgk.example.gov.cn/disclosure/7');
    expect(message.lines).toContain('时限：2026-11-06 24:00（北京时间）');
    expect(message.lines).toContain('责任部门：市教育局');
  });
});

describe('documents carry docType', () => {
  it('when a document is registered or changed with docType, then the view shows it', async () => {
    const doc = await t.call('POST', '/api/documents', { title: '某某管理办法', departmentCode: 'fgw', publishedAt: '2026-03-02', docType: 'regulation' });
    expect(doc.body.docType).toBe('regulation');
    expect((await t.call('PATCH', `/api/documents/${doc.body.id}`, { docType: 'normative' })).body.docType).toBe('normative');
    expect((await t.call('PATCH', `/api/documents/${doc.body.id}`, { docType: null })).body.docType).toBeNull();
    expect((await t.call('POST', '/api/documents', { title: '某某通知', departmentCode: 'fgw', publishedAt: '2026-03-02' })).body.docType).toBeNull();
    expect((await t.call('POST', '/api/documents', { title: 'x', departmentCode: 'fgw', publishedAt: '2026-03-02', docType: 'law' })).body.error.message).toMatch(/^docType: /);
  });
});
