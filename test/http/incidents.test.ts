import { and, eq } from 'drizzle-orm';
import { auditLog } from '../../src/db/schema.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDepartment, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ now: '2026-11-20T10:00:00+08:00' });
  await seedDepartment(t, 'yjj', '市应急管理局');
});
afterEach(() => t.close());

const START = '2026-11-20T08:00:00+08:00';
const at = (iso: string) => `?asOf=${encodeURIComponent(iso)}`;
const byKind = (incident: { commitments: { kind: string }[] }) =>
  Object.fromEntries(incident.commitments.map((c) => [c.kind, c])) as Record<string, any>;

async function openIncident(severity: string, extra: Record<string, unknown> = {}) {
  const res = await t.call('POST', '/api/incidents', { title: '某区化工厂火灾', severity, startedAt: START, departmentCode: 'yjj', ...extra });
  expect(res.status).toBe(201);
  return res.body;
}

describe('response commitments', () => {
  it.each([
    ['especially_major', { authoritative_release: '2026-11-20T05:00:00.000Z', press_conference: '2026-11-21T00:00:00.000Z' }],
    ['major', { authoritative_release: '2026-11-20T05:00:00.000Z', press_conference: '2026-11-21T00:00:00.000Z' }],
    ['large', { response: '2026-11-22T00:00:00.000Z' }],
    ['general', { response: '2026-11-22T00:00:00.000Z' }],
  ])('when a %s incident opens, then its commitments run from startedAt', async (severity, due) => {
    const incident = await openIncident(severity);
    expect(incident.startedAt).toBe('2026-11-20T00:00:00.000Z');
    expect(Object.fromEntries(incident.commitments.map((c: any) => [c.kind, c.dueAt]))).toEqual(due);
    for (const c of incident.commitments) {
      expect(c.status).toBe('open');
      expect(c.policyVersion).toBe(1);
    }
  });

  it('when asked as of successive moments, then a commitment counts down, then is missed', async () => {
    const incident = await openIncident('major');
    const status = async (iso: string) => byKind((await t.call('GET', `/api/incidents/${incident.id}${at(iso)}`)).body).authoritative_release;
    expect(await status('2026-11-20T08:00:00+08:00')).toMatchObject({ status: 'open', remainingSeconds: 5 * 3600 });
    expect(await status('2026-11-20T12:59:59+08:00')).toMatchObject({ status: 'open', remainingSeconds: 1 });
    expect(await status('2026-11-20T13:00:00+08:00')).toMatchObject({ status: 'open', remainingSeconds: 0 });
    expect(await status('2026-11-20T13:00:01+08:00')).toMatchObject({ status: 'missed', remainingSeconds: null });
  });

  it('when fulfilled in time or after the deadline, then met or late', async () => {
    const incident = await openIncident('major');
    const { authoritative_release: release, press_conference: conference } = byKind(incident);
    const met = await t.call('POST', `/api/commitments/${release.id}/fulfil`, {
      at: '2026-11-20T09:30:00+08:00', url: 'https://www.example.gov.cn/xw/1.html', note: '官方微博发布情况通报',
    });
    expect(met.status).toBe(200);
    expect(met.body).toMatchObject({ status: 'met', fulfilledAt: '2026-11-20T01:30:00.000Z', url: 'https://www.example.gov.cn/xw/1.html', note: '官方微博发布情况通报' });
    expect((await t.call('POST', `/api/commitments/${release.id}/fulfil`, {})).status).toBe(409);

    t.setNow('2026-11-21T09:00:00+08:00');
    const late = await t.call('POST', `/api/commitments/${conference.id}/fulfil`);
    expect(late.body).toMatchObject({ status: 'late', fulfilledAt: '2026-11-21T01:00:00.000Z' });
    // As of a moment before the fulfilment, it had not happened yet.
    const before = byKind((await t.call('GET', `/api/incidents/${incident.id}${at('2026-11-20T09:00:00+08:00')}`)).body);
    expect(before.authoritative_release.status).toBe('open');
  });

  it('when a fulfilment time is impossible, then 422 and nothing is recorded', async () => {
    const incident = await openIncident('general');
    const id = incident.commitments[0].id;
    expect((await t.call('POST', `/api/commitments/${id}/fulfil`, { at: '2026-11-21T00:00:00+08:00' })).status).toBe(422);
    expect((await t.call('POST', `/api/commitments/${id}/fulfil`, { at: '2026-11-19T00:00:00+08:00' })).status).toBe(422);
    expect((await t.call('POST', `/api/commitments/${id}/fulfil`, { at: 'soon' })).status).toBe(400);
    expect((await t.call('POST', '/api/commitments/9999/fulfil', {})).status).toBe(404);
    expect(byKind((await t.call('GET', `/api/incidents/${incident.id}`)).body).response.fulfilledAt).toBeNull();
  });

  it('when the severity is raised, then the stricter commitments are added from the same start; lowered, they are cancelled', async () => {
    const incident = await openIncident('general');
    const raised = await t.call('PATCH', `/api/incidents/${incident.id}`, { severity: 'major' });
    expect(raised.status).toBe(200);
    const k = byKind(raised.body);
    expect(k.authoritative_release).toMatchObject({ dueAt: '2026-11-20T05:00:00.000Z', status: 'open' });
    expect(k.press_conference).toMatchObject({ dueAt: '2026-11-21T00:00:00.000Z', status: 'open' });
    expect(k.response).toMatchObject({ status: 'cancelled' });

    await t.call('POST', `/api/commitments/${k.authoritative_release.id}/fulfil`, { at: '2026-11-20T09:00:00+08:00' });
    const lowered = byKind((await t.call('PATCH', `/api/incidents/${incident.id}`, { severity: 'large' })).body);
    expect(lowered.authoritative_release.status).toBe('met'); // fulfilled: kept
    expect(lowered.press_conference.status).toBe('cancelled');
    expect(lowered.response).toMatchObject({ status: 'open', dueAt: '2026-11-22T00:00:00.000Z' });
    expect(Object.keys(lowered)).toHaveLength(3);
  });

  it('when the incident is dismissed, then its commitments are cancelled and leave the timers', async () => {
    const incident = await openIncident('especially_major');
    expect((await t.call('GET', '/api/timers')).body.items).toHaveLength(2);
    const dismissed = await t.call('PATCH', `/api/incidents/${incident.id}`, { status: 'dismissed' });
    expect(dismissed.body.commitments.map((c: any) => c.status)).toEqual(['cancelled', 'cancelled']);
    expect((await t.call('GET', '/api/timers')).body.items).toEqual([]);
    expect((await t.call('POST', `/api/commitments/${incident.commitments[0].id}/fulfil`)).status).toBe(422);
  });

  it('when startedAt is corrected, then every due time moves with it', async () => {
    const incident = await openIncident('major');
    const moved = await t.call('PATCH', `/api/incidents/${incident.id}`, { startedAt: '2026-11-20T07:00:00+08:00' });
    expect(byKind(moved.body).authoritative_release.dueAt).toBe('2026-11-20T04:00:00.000Z');
  });

  it('when the start is in the future (a mistyped date), then 422 naming startedAt and nothing is written or moved', async () => {
    const count = async () => (await t.call('GET', '/api/incidents?limit=200')).body.items.length;
    const before = await count();
    const future = await t.call('POST', '/api/incidents', { title: '网传某地起火', severity: 'major', startedAt: '2026-12-25T10:00:00+08:00' });
    expect(future.status).toBe(422);
    expect(future.body.error).toEqual({ code: 'in_future', message: 'startedAt: 事件开始时间不能晚于当前时间' });
    expect(await count()).toBe(before);
    // Within a minute of now: clocks of two machines may differ that much.
    expect((await t.call('POST', '/api/incidents', { title: '刚刚发生', severity: 'general', startedAt: '2026-11-20T10:00:59+08:00' })).status).toBe(201);
    const incident = await openIncident('major');
    const moved = await t.call('PATCH', `/api/incidents/${incident.id}`, { startedAt: '2027-11-20T07:00:00+08:00' });
    expect(moved.status).toBe(422);
    expect((await t.call('GET', `/api/incidents/${incident.id}`)).body.startedAt).toBe(incident.startedAt);
  });

  it('when the policy changes, then new incidents follow it and existing commitments keep their version', async () => {
    const before = await openIncident('large');
    const policy = await t.call('GET', '/api/response-policy');
    expect(policy.body).toMatchObject({ version: 1 });
    expect(policy.body.rules.major).toEqual([{ kind: 'authoritative_release', hours: 5 }, { kind: 'press_conference', hours: 24 }]);
    const rules = { ...policy.body.rules, large: [{ kind: 'response', hours: 24 }] };
    const put = await t.call('PUT', '/api/response-policy', { rules });
    expect(put.body).toMatchObject({ version: 2, rules });
    const after = await openIncident('large');
    expect(byKind(after).response).toMatchObject({ dueAt: '2026-11-21T00:00:00.000Z', policyVersion: 2 });
    expect(byKind((await t.call('GET', `/api/incidents/${before.id}`)).body).response).toMatchObject({
      dueAt: '2026-11-22T00:00:00.000Z', policyVersion: 1,
    });
    const bad = await t.call('PUT', '/api/response-policy', { rules: { ...rules, general: [{ kind: 'response', hours: -1 }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^rules\.general\[0\]\.hours: /);
    expect((await t.call('PUT', '/api/response-policy', { rules: { major: [] } })).status).toBe(400);
  });

  it('when asked as of a past moment, then the timers, the board and an incident show the clocks as they ran then', async () => {
    // 08:00 a major incident starts; 09:30 its release is published; a general incident of 10:30 is
    // dismissed at 11:00 as a false alarm; 12:00 a third, later raised to major, is recorded as starting at 11:30.
    const major = await openIncident('major', { title: '重大事件' });
    const release = byKind(major).authoritative_release;
    t.setNow('2026-11-20T10:30:00+08:00');
    expect((await t.call('POST', `/api/commitments/${release.id}/fulfil`, { at: '2026-11-20T09:30:00+08:00' })).status).toBe(200);
    const falseAlarm = await openIncident('general', { title: '误报', startedAt: '2026-11-20T10:30:00+08:00' });
    t.setNow('2026-11-20T11:00:00+08:00');
    expect((await t.call('PATCH', `/api/incidents/${falseAlarm.id}`, { status: 'dismissed' })).status).toBe(200);
    t.setNow('2026-11-20T12:00:00+08:00');
    const later = await openIncident('general', { title: '后发事件', startedAt: '2026-11-20T11:30:00+08:00' });
    t.setNow('2026-11-20T13:00:00+08:00');
    expect((await t.call('PATCH', `/api/incidents/${later.id}`, { severity: 'major' })).status).toBe(200);

    const timers = async (iso: string) =>
      (await t.call('GET', `/api/timers${at(iso)}`)).body.items.map((x: any) => `${x.incidentTitle} ${x.kind} ${x.status} ${x.remainingSeconds}`);
    // Now: the release is done, the false alarm dismissed, the later one raised (its 48-hour response cancelled).
    expect(await timers('2026-11-20T13:00:00+08:00')).toEqual([
      '后发事件 authoritative_release open 12600',
      '重大事件 press_conference open 68400',
      '后发事件 press_conference open 81000',
    ]);
    // 09:00: the release was still to do, the false alarm not yet recorded nor the later incident begun.
    expect(await timers('2026-11-20T09:00:00+08:00')).toEqual(['重大事件 authoritative_release open 14400', '重大事件 press_conference open 82800']);
    // 10:45: the false alarm was running; 11:45 it had been dismissed, and the later incident had
    // begun as general (its 48-hour response, cancelled only at 13:00, was running).
    expect(await timers('2026-11-20T10:45:00+08:00')).toEqual(['重大事件 press_conference open 76500', '误报 response open 171900']);
    expect(await timers('2026-11-20T11:45:00+08:00')).toEqual(['重大事件 press_conference open 72900', '后发事件 response open 171900']);

    const board = (await t.call('GET', `/api/dashboard${at('2026-11-20T10:45:00+08:00')}`)).body;
    expect(board.counts).toMatchObject({ openIncidents: 2, runningCommitments: 2, missedCommitments: 0 });
    expect(board.timers.map((x: any) => x.kind)).toEqual(['press_conference', 'response']);
    expect((await t.call('GET', '/api/dashboard')).body.counts).toMatchObject({ openIncidents: 2, runningCommitments: 3 });

    // The incidents themselves, as of then.
    const falseAlarmThen = byKind((await t.call('GET', `/api/incidents/${falseAlarm.id}${at('2026-11-20T10:45:00+08:00')}`)).body);
    expect(falseAlarmThen.response).toMatchObject({ status: 'open', remainingSeconds: 171900 });
    expect(byKind((await t.call('GET', `/api/incidents/${falseAlarm.id}`)).body).response.status).toBe('cancelled');
    const listed = async (iso: string) => (await t.call('GET', `/api/incidents${at(iso)}`)).body.items.map((i: any) => i.title);
    expect(await listed('2026-11-20T09:00:00+08:00')).toEqual(['重大事件']);
    expect(await listed('2026-11-20T13:00:00+08:00')).toEqual(['后发事件', '误报', '重大事件']);
    const laterThen = (await t.call('GET', `/api/incidents/${later.id}${at('2026-11-20T12:30:00+08:00')}`)).body;
    expect(laterThen.commitments.map((c: any) => `${c.kind} ${c.status}`)).toEqual(['response open']);
  });

  it('lists timers soonest first across incidents', async () => {
    const a = await openIncident('general', { title: '一般事件' });
    const b = await openIncident('major', { title: '重大事件' });
    const timers = (await t.call('GET', `/api/timers${at('2026-11-20T10:00:00+08:00')}`)).body.items;
    expect(timers.map((x: any) => [x.incidentId, x.kind, x.remainingSeconds])).toEqual([
      [b.id, 'authoritative_release', 3 * 3600],
      [b.id, 'press_conference', 22 * 3600],
      [a.id, 'response', 46 * 3600],
    ]);
    expect(timers[0]).toMatchObject({ incidentTitle: '重大事件', severity: 'major', departmentCode: 'yjj', label: '发布权威信息' });
  });

  it('when two incidents are merged, then the target takes the stricter severity and the source is closed', async () => {
    const target = await openIncident('general', { title: '网传某小区燃气泄漏' });
    const source = await openIncident('major', { title: '某小区燃气爆炸' });
    const merged = await t.call('POST', `/api/incidents/${target.id}/merge`, { sourceId: source.id });
    expect(merged.status).toBe(200);
    expect(merged.body.severity).toBe('major');
    expect(Object.keys(byKind(merged.body)).sort()).toEqual(['authoritative_release', 'press_conference', 'response']);
    const closed = (await t.call('GET', `/api/incidents/${source.id}`)).body;
    expect(closed).toMatchObject({ status: 'closed', mergedIntoId: target.id });
    expect(closed.commitments.every((c: any) => c.status === 'cancelled')).toBe(true);
    expect((await t.call('POST', `/api/incidents/${target.id}/merge`, { sourceId: source.id })).status).toBe(409);
    expect((await t.call('POST', `/api/incidents/${target.id}/merge`, { sourceId: target.id })).status).toBe(422);
  });

  it('when one incident is merged into two others at once, then one merge goes through and the other answers 409, changing nothing', async () => {
    const a = await openIncident('general', { title: '网传某小区燃气泄漏' });
    const b = await openIncident('general', { title: '某小区居民反映燃气味' });
    const source = await openIncident('major', { title: '某小区燃气爆炸' });
    const [first, second] = await Promise.all([
      t.call('POST', `/api/incidents/${a.id}/merge`, { sourceId: source.id }),
      t.call('POST', `/api/incidents/${b.id}/merge`, { sourceId: source.id }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const [won, lost] = first.status === 200 ? [a, b] : [b, a];
    expect((first.status === 409 ? first : second).body.error.message).toContain('刚刚已被并入其他事件');
    expect((await t.call('GET', `/api/incidents/${source.id}`)).body.mergedIntoId).toBe(won.id);
    const loser = (await t.call('GET', `/api/incidents/${lost.id}`)).body;
    // The refused merge left the other target as it was: its severity, its one clock.
    expect(loser.severity).toBe('general');
    expect(Object.keys(byKind(loser))).toEqual(['response']);
    const winner = (await t.call('GET', `/api/incidents/${won.id}`)).body;
    expect(winner.severity).toBe('major');
    expect(Object.keys(byKind(winner)).sort()).toEqual(['authoritative_release', 'press_conference', 'response']);
  });

  it('when one commitment is fulfilled twice at once, then one fulfilment is recorded and the other refused (409), with one audit entry', async () => {
    const incident = await openIncident('major');
    const { authoritative_release: release } = byKind(incident);
    const fulfil = () => t.call('POST', `/api/commitments/${release.id}/fulfil`, { note: '已在政府网站发布' });
    const answers = await Promise.all([fulfil(), fulfil()]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const entries = await t.db.orm
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'commitment'), eq(auditLog.entityId, String(release.id))));
    expect(entries).toEqual([{ action: 'fulfil' }]);
  });

  it.each([
    ['severity unknown', { title: 'x', severity: 'huge' }, 'severity'],
    ['title missing', { severity: 'major' }, 'title'],
    ['startedAt malformed', { title: 'x', severity: 'major', startedAt: 'now' }, 'startedAt'],
  ])('when %s, then 400 names %s and nothing is written', async (_c, body, field) => {
    const res = await t.call('POST', '/api/incidents', body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
    expect((await t.call('GET', '/api/incidents')).body.items).toEqual([]);
  });
});

describe('commitment alerts', () => {
  it('when 80 % of the time has elapsed, then due_soon once; past due, missed once', async () => {
    const incident = await openIncident('major'); // release due 13:00, conference due next day 08:00
    const sweep = async (iso: string) => (await t.call('POST', '/api/jobs/sweep', { asOf: iso })).body.alertsCreated;
    expect(await sweep('2026-11-20T11:59:00+08:00')).toBe(0);
    expect(await sweep('2026-11-20T12:00:00+08:00')).toBe(1); // 4 h of 5 h
    expect(await sweep('2026-11-20T12:30:00+08:00')).toBe(0);
    expect(await sweep('2026-11-20T13:00:01+08:00')).toBe(1); // release missed
    expect(await sweep('2026-11-20T14:00:00+08:00')).toBe(0);
    const types = (await t.call('GET', '/api/alerts')).body.items.map((a: any) => [a.type, a.commitmentId]);
    const { authoritative_release: release } = byKind(incident);
    expect(types).toEqual([
      ['commitment_missed', release.id],
      ['commitment_due_soon', release.id],
      ['incident_opened', undefined],
    ]);
    const [missed] = (await t.call('GET', '/api/alerts?type=commitment_missed')).body.items;
    expect(missed).toMatchObject({ incidentId: incident.id });
    expect(missed.message).toContain('某区化工厂火灾');
    expect(missed.message).toContain('2026-11-20 13:00');
  });

  it('when a commitment is fulfilled or the incident dismissed, then no alert follows', async () => {
    const incident = await openIncident('general');
    await t.call('POST', `/api/commitments/${incident.commitments[0].id}/fulfil`);
    const other = await openIncident('major');
    await t.call('PATCH', `/api/incidents/${other.id}`, { status: 'dismissed' });
    expect((await t.call('POST', '/api/jobs/sweep', { asOf: '2026-11-25' })).body.alertsCreated).toBe(0);
  });
});
