import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DRAFT_DUE_DATE, DRAFT_PUBLISHED_AT } from '../../src/app/documents.js';
import { auditLog, documents } from '../../src/db/schema.js';
import { callAs, registerDocument, seedDepartment, startTestApp, userWithToken, type TestApp } from '../support/app.js';

// SPEC §12 (issue 12): documents registered before publication, their interpretation plan, 审签,
// publication, what the plan promised and no interpretation delivered, and the leader-missing
// alert. The clock is pinned at Friday 2026-11-20 10:00 Beijing time.

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
  await seedDepartment(t, 'fgw', '市发展改革委');
  await seedDepartment(t, 'jyj', '市教育局');
});
afterEach(() => t.close());

const PLAN = { forms: ['text', 'graphic', 'text'], channels: ['gov_website', 'wechat'], leaderLed: true, responsibleName: ' 办公室 张三 ' };

async function draft(fields: Record<string, unknown> = {}) {
  const res = await t.call('POST', '/api/documents', { title: '关于促进民营经济发展的若干措施', departmentCode: 'fgw', importance: 'major', ...fields });
  if (res.status !== 201) throw new Error(`draft failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

const get = async (id: number, asOf?: string) => (await t.call('GET', `/api/documents/${id}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`)).body;
const alertsOf = async (type: string) => (await t.call('GET', `/api/alerts?type=${type}&limit=500`)).body.items;
const sweep = async (asOf?: string) => (await t.call('POST', '/api/jobs/sweep', asOf ? { asOf } : {})).body.alertsCreated;

describe('draft → plan → sign-off → publish → gaps → alert', () => {
  it('when registered without publishedAt, then it is drafting: no publication, no due date, no status of §3', async () => {
    const doc = await draft({ plan: PLAN });
    expect(doc).toMatchObject({
      status: 'drafting',
      publishedAt: null,
      publishedDate: null,
      interpretationDueDate: null,
      provisional: false,
      workingDaysLeft: null,
      // Duplicates dropped, text trimmed, every field present.
      plan: { forms: ['text', 'graphic'], channels: ['gov_website', 'wechat'], leaderLed: true, responsibleName: '办公室 张三', responsibleUserId: null, note: null },
      signedOffAt: null,
      signedOffBy: null,
      planAtSignOff: null,
      planGaps: null,
      leaderLedMissing: false,
    });
    // What is stored in the NOT NULL columns cannot pass for a real publication or deadline.
    const [row] = await t.db.orm.select().from(documents).where(eq(documents.id, doc.id));
    expect(row).toMatchObject({ drafting: true, publishedAt: DRAFT_PUBLISHED_AT, interpretationDueDate: DRAFT_DUE_DATE });
    // A draft without a plan is as valid; publishedAt null means the same as leaving it out.
    expect((await t.call('POST', '/api/documents', { title: '无方案草稿', departmentCode: 'fgw', publishedAt: null })).body).toMatchObject({ status: 'drafting', plan: null });
  });

  it('when the plan changes before sign-off it is kept; after sign-off a PATCH of the plan is refused with 409', async () => {
    const doc = await draft({ plan: PLAN });
    const changed = await t.call('PATCH', `/api/documents/${doc.id}`, { plan: { forms: ['text', 'press_conference'], channels: ['gov_website', 'wechat'], note: '随文发布' } });
    expect(changed.status).toBe(200);
    expect(changed.body.plan).toEqual({ forms: ['text', 'press_conference'], channels: ['gov_website', 'wechat'], leaderLed: false, responsibleName: null, responsibleUserId: null, note: '随文发布' });

    const signed = await t.call('POST', `/api/documents/${doc.id}/sign-off`, { at: '2026-11-01T09:00:00+08:00', note: '同意' });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ status: 'drafting', signedOffAt: '2026-11-01T01:00:00.000Z', signedOffBy: 'admin-token', planAtSignOff: true, signOffNote: '同意' });

    const refused = await t.call('PATCH', `/api/documents/${doc.id}`, { plan: { forms: ['video'] } });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'plan_signed_off' });
    expect(refused.body.error.message).toMatch(/^plan: 解读方案已于 2026-11-01 09:00（北京时间）由 admin-token 审签，审签后不能再修改$/);
    expect((await t.call('PATCH', `/api/documents/${doc.id}`, { plan: null })).status).toBe(409);
    expect((await get(doc.id)).plan.forms).toEqual(['text', 'press_conference']);
    // The rest of the document can still change; a second sign-off is a 409.
    expect((await t.call('PATCH', `/api/documents/${doc.id}`, { docNumber: '沪发改规〔2026〕9号' })).status).toBe(200);
    const again = await t.call('POST', `/api/documents/${doc.id}/sign-off`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_signed_off');

    // 审签 is audited with the plan as it was signed.
    const audit = (await t.call('GET', `/api/audit?entity=document&entityId=${doc.id}`)).body.items;
    const entry = audit.find((a: { action: string }) => a.action === 'sign_off');
    expect(entry).toMatchObject({ actor: 'admin-token', before: { signedOffAt: null, planAtSignOff: null }, after: { signedOffBy: 'admin-token', planAtSignOff: true, signOffNote: '同意' } });
    expect(entry.after.interpretationPlan.forms).toEqual(['text', 'press_conference']);
  });

  it('when signed off without a plan, then planAtSignOff is false, and a plan can no longer be added', async () => {
    const doc = await draft();
    const signed = await t.call('POST', `/api/documents/${doc.id}/sign-off`, {});
    expect(signed.body).toMatchObject({ planAtSignOff: false, signedOffAt: '2026-11-20T02:00:00.000Z', signOffNote: null });
    expect((await t.call('PATCH', `/api/documents/${doc.id}`, { plan: { forms: ['text'] } })).status).toBe(409);
  });

  it('when published, then the §3 clock starts; after the due date the plan’s undelivered forms and channels are gaps', async () => {
    const doc = await draft({ plan: { ...PLAN, forms: ['text', 'press_conference'] } });
    await t.call('POST', `/api/documents/${doc.id}/sign-off`, { at: '2026-11-01T09:00:00+08:00' });
    const published = await t.call('PATCH', `/api/documents/${doc.id}`, { publishedAt: '2026-11-02T10:00:00+08:00' });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ publishedAt: '2026-11-02T02:00:00.000Z', publishedDate: '2026-11-02', interpretationDueDate: '2026-11-05', status: 'overdue', planAtSignOff: true });

    // Before the due date has ended: no gaps yet, but a major document already lacks its leader.
    expect(await get(doc.id, '2026-11-04T09:00:00+08:00')).toMatchObject({ status: 'pending', workingDaysLeft: 1, planGaps: null, leaderLedMissing: true });
    expect((await get(doc.id)).planGaps).toEqual({ forms: ['text', 'press_conference'], channels: ['gov_website', 'wechat'], leaderLed: true });

    const text = await t.call('POST', '/api/interpretations', { title: '政策问答', form: 'text', publishedAt: '2026-11-04T16:00:00+08:00', documentIds: [doc.id], channels: ['gov_website', 'gov_website'] });
    expect(text.status).toBe(201);
    expect(text.body).toMatchObject({ channels: ['gov_website'], leaderLed: false });
    const afterText = await get(doc.id);
    expect(afterText).toMatchObject({ status: 'on_time', planGaps: { forms: ['press_conference'], channels: ['wechat'], leaderLed: true }, leaderLedMissing: true });
    expect(afterText.interpretations[0]).toMatchObject({ form: 'text', channels: ['gov_website'], leaderLed: false });

    // A press conference is leader-led by its form; it closes every gap from the day it happened.
    await t.call('POST', '/api/interpretations', { title: '新闻发布会', form: 'press_conference', publishedAt: '2026-11-10T15:00:00+08:00', documentIds: [doc.id], channels: ['wechat'] });
    expect(await get(doc.id)).toMatchObject({ planGaps: { forms: [], channels: [], leaderLed: false }, leaderLedMissing: false });
    expect(await get(doc.id, '2026-11-09T12:00:00+08:00')).toMatchObject({ planGaps: { forms: ['press_conference'], channels: ['wechat'], leaderLed: true }, leaderLedMissing: true });
  });

  it('when a major document’s due date passes without a leader-led interpretation, then the sweep alerts once, for its department', async () => {
    const channel = await t.call('POST', '/api/channels', { name: '发改委群', kind: 'webhook', url: 'https://hooks.example.gov.cn/fgw', alertTypes: ['interpretation_leader_missing'], departmentCodes: ['fgw'] });
    expect(channel.status).toBe(201);
    const major = await draft({ plan: PLAN });
    await t.call('PATCH', `/api/documents/${major.id}`, { publishedAt: '2026-11-02T10:00:00+08:00' });
    await t.call('POST', '/api/interpretations', { title: '政策问答', form: 'qa', publishedAt: '2026-11-03', documentIds: [major.id] });
    const led = await registerDocument(t, { title: '已有主要负责人解读', importance: 'major', publishedAt: '2026-11-02T10:00:00+08:00' });
    await t.call('POST', '/api/interpretations', { title: '局长署名文章', form: 'text', leaderLed: true, publishedAt: '2026-11-03', documentIds: [led.id] });
    await registerDocument(t, { title: '普通文件', publishedAt: '2026-11-02T10:00:00+08:00' });
    await registerDocument(t, { title: '重大但免于解读', importance: 'major', requiresInterpretation: false, exemptReason: '内部事项', publishedAt: '2026-11-02T10:00:00+08:00' });
    await draft({ title: '重大草稿' });

    // Not before the due date has ended …
    await sweep('2026-11-05T23:00:00+08:00');
    expect(await alertsOf('interpretation_leader_missing')).toEqual([]);
    // … then once, whatever the number of sweeps (the first also records 普通文件's interpretation_overdue).
    expect(await sweep()).toBe(2);
    expect(await sweep()).toBe(0);
    const alerts = await alertsOf('interpretation_leader_missing');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      documentId: major.id,
      departmentCode: 'fgw',
      subject: '关于促进民营经济发展的若干措施',
      deadline: '2026-11-05T16:00:00.000Z',
      message: '《关于促进民营经济发展的若干措施》为重大政策文件，解读期限（2026-11-05）已过，尚无主要负责人解读（新闻发布会、在线访谈或署名文章）',
    });
    // The notification channels of the department get it (the outbox row is written with the alert).
    const deliveries = (await t.call('GET', `/api/deliveries?alertId=${alerts[0].id}`)).body.items;
    expect(deliveries.map((d: { channelId: number }) => d.channelId)).toEqual([channel.body.id]);
  });

  it('when a major document’s due date ended long before the sweep, then it is not alerted (no flood after an upgrade), unless swept as of then', async () => {
    const old = await registerDocument(t, { title: '年初的重大文件', importance: 'major', publishedAt: '2026-01-05T10:00:00+08:00' });
    expect(await sweep()).toBe(1); // its interpretation_overdue, as before
    expect(await alertsOf('interpretation_leader_missing')).toEqual([]);
    await sweep('2026-01-20T10:00:00+08:00');
    expect((await alertsOf('interpretation_leader_missing')).map((a: { documentId: number }) => a.documentId)).toEqual([old.id]);
  });
});

describe('who may do what', () => {
  it('when drafters act, then only for their departments; signing off also needs canSignOff, which an admin sets', async () => {
    const own = await userWithToken(t, 'fgw01', 'drafter', ['fgw']);
    const other = await t.call('POST', '/api/users', { username: 'jyj01', displayName: '教育局审签人', role: 'drafter', departmentCodes: ['jyj'], password: 'jyj01-password-123', canSignOff: true });
    expect(other.body.canSignOff).toBe(true);
    const otherToken = (await userWithToken(t, 'jyj02', 'drafter', ['jyj'])).token;
    await t.call('PATCH', `/api/users/${(await t.call('GET', '/api/users')).body.items.find((u: { username: string }) => u.username === 'jyj02').id}`, { canSignOff: true });

    const created = await callAs(t, { token: own.token }, 'POST', '/api/documents', { title: '发改委草稿', departmentCode: 'fgw', plan: { forms: ['qa'] } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await callAs(t, { token: own.token }, 'PATCH', `/api/documents/${id}`, { plan: { forms: ['qa', 'video'] } })).status).toBe(200);

    // Another department's drafter: 403 for everything, canSignOff or not.
    const foreign = [
      await callAs(t, { token: otherToken }, 'POST', '/api/documents', { title: '越权草稿', departmentCode: 'fgw' }),
      await callAs(t, { token: otherToken }, 'PATCH', `/api/documents/${id}`, { plan: { forms: ['text'] } }),
      await callAs(t, { token: otherToken }, 'PATCH', `/api/documents/${id}`, { publishedAt: '2026-11-19' }),
      await callAs(t, { token: otherToken }, 'POST', `/api/documents/${id}/sign-off`, {}),
    ];
    expect(foreign.map((r) => r.status)).toEqual([403, 403, 403, 403]);

    // The department's own drafter without canSignOff: 403 that says why.
    const refused = await callAs(t, { token: own.token }, 'POST', `/api/documents/${id}/sign-off`, {});
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('没有审签权限');
    expect((await get(id)).signedOffAt).toBeNull();

    // An admin grants it: the same token signs off at once.
    const granted = await t.call('PATCH', `/api/users/${own.user.id}`, { canSignOff: true });
    expect(granted.body).toMatchObject({ canSignOff: true, role: 'drafter' });
    const signed = await callAs(t, { token: own.token }, 'POST', `/api/documents/${id}/sign-off`, { note: '部门审签' });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ signedOffBy: 'fgw01', planAtSignOff: true });
    // The grant is audited like any change of a user.
    const userAudit = (await t.call('GET', `/api/audit?entity=user&entityId=${own.user.id}`)).body.items;
    expect(userAudit[0]).toMatchObject({ action: 'update', before: { canSignOff: false }, after: { canSignOff: true } });
  });

  it('when a leader signs off, then it is recorded; a leader still changes nothing else, and the press office signs nothing', async () => {
    const leader = await userWithToken(t, 'leader1', 'leader');
    const press = await userWithToken(t, 'press1', 'press');
    const doc = await draft({ plan: PLAN });
    expect((await callAs(t, { token: press.token }, 'POST', `/api/documents/${doc.id}/sign-off`, {})).status).toBe(403);
    expect((await callAs(t, { token: leader.token }, 'PATCH', `/api/documents/${doc.id}`, { publishedAt: '2026-11-19' })).status).toBe(403);
    const signed = await callAs(t, { token: leader.token }, 'POST', `/api/documents/${doc.id}/sign-off`, {});
    expect(signed.status).toBe(200);
    expect(signed.body.signedOffBy).toBe('leader1');
  });

  it('when the sign-off time is in the future, or the document does not exist, then 422 / 404', async () => {
    const doc = await draft();
    const future = await t.call('POST', `/api/documents/${doc.id}/sign-off`, { at: '2026-11-21' });
    expect(future.status).toBe(422);
    expect(future.body.error.message).toMatch(/^at: /);
    expect((await t.call('POST', '/api/documents/999/sign-off', {})).status).toBe(404);
  });
});

describe('bad input of every new field: 400 naming it, nothing written', () => {
  const base = { title: '关于促进民营经济发展的若干措施', departmentCode: 'fgw' };
  it.each([
    ['plan not an object', { plan: 'text' }, 'plan'],
    ['plan.forms missing', { plan: { channels: ['wechat'] } }, 'plan.forms'],
    ['plan.forms empty', { plan: { forms: [] } }, 'plan.forms'],
    ['plan.forms unknown', { plan: { forms: ['poster'] } }, 'plan.forms[0]'],
    ['plan.channels unknown', { plan: { forms: ['text'], channels: ['tiktok'] } }, 'plan.channels[0]'],
    ['plan.channels not a list', { plan: { forms: ['text'], channels: 'wechat' } }, 'plan.channels'],
    ['plan.leaderLed not boolean', { plan: { forms: ['text'], leaderLed: 'yes' } }, 'plan.leaderLed'],
    ['plan.responsibleUserId not an id', { plan: { forms: ['text'], responsibleUserId: -1 } }, 'plan.responsibleUserId'],
    ['plan.responsibleName too long', { plan: { forms: ['text'], responsibleName: '张'.repeat(51) } }, 'plan.responsibleName'],
    ['plan.note too long', { plan: { forms: ['text'], note: '注'.repeat(1001) } }, 'plan.note'],
    ['plan with an unknown field', { plan: { forms: ['text'], budget: 1 } }, 'plan'],
  ])('when %s', async (_case, fields, field) => {
    for (const [method, path, body] of [
      ['POST', '/api/documents', { ...base, ...fields }],
      ['PATCH', `/api/documents/${(await draft()).id}`, fields],
    ] as const) {
      const res = await t.call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body.error.message).toMatch(new RegExp(`(^|；)${field.replace(/[.[\]]/g, '\\$&')}: `));
    }
    expect((await t.call('GET', '/api/documents?status=drafting')).body.items.every((d: { plan: unknown }) => d.plan === null)).toBe(true);
  });

  it('when the responsible user does not exist, then 422 names plan.responsibleUserId', async () => {
    const res = await t.call('POST', '/api/documents', { ...base, plan: { forms: ['text'], responsibleUserId: 999 } });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/^plan\.responsibleUserId: /);
  });

  it.each([
    ['at', { at: '昨天' }],
    ['at', { at: '2026-11-20T10:00:00' }],
    ['note', { note: '意'.repeat(1001) }],
    ['note', { note: 3 }],
    ['', { signer: 'me' }],
  ])('when sign-off %s is wrong', async (field, body) => {
    const doc = await draft();
    const res = await t.call('POST', `/api/documents/${doc.id}/sign-off`, body);
    expect(res.status).toBe(400);
    if (field) expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
    expect((await get(doc.id)).signedOffAt).toBeNull();
  });

  it.each([
    ['channels[0]', { channels: ['tiktok'] }],
    ['channels', { channels: 'wechat' }],
    ['leaderLed', { leaderLed: 'yes' }],
  ])('when an interpretation’s %s is wrong', async (field, fields) => {
    const doc = await registerDocument(t);
    const res = await t.call('POST', '/api/interpretations', { title: '解读', form: 'text', publishedAt: '2025-10-01', documentIds: [doc.id], ...fields });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}: `));
    expect((await get(doc.id)).interpretations).toEqual([]);
  });

  it('when canSignOff is not a boolean, then 400 names it on POST and PATCH /api/users', async () => {
    const created = await t.call('POST', '/api/users', { username: 'fgw09', displayName: '起草人', role: 'drafter', departmentCodes: ['fgw'], password: 'fgw09-password-123', canSignOff: 'yes' });
    expect(created.status).toBe(400);
    expect(created.body.error.message).toMatch(/^canSignOff: /);
    const { user } = await userWithToken(t, 'fgw08', 'drafter', ['fgw']);
    const patched = await t.call('PATCH', `/api/users/${user.id}`, { canSignOff: 1 });
    expect(patched.status).toBe(400);
    expect(patched.body.error.message).toMatch(/^canSignOff: /);
    expect(user.canSignOff).toBe(false);
  });

  it('when an interpretation names a draft, then 422: nothing interprets a document before its publication', async () => {
    const doc = await draft();
    const res = await t.call('POST', '/api/interpretations', { title: '解读', form: 'text', publishedAt: '2026-11-19', documentIds: [doc.id] });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('document_drafting');
    const existing = await t.call('POST', '/api/interpretations', { title: '解读', form: 'text', publishedAt: '2025-10-01', documentIds: [(await registerDocument(t)).id] });
    expect((await t.call('POST', `/api/interpretations/${existing.body.id}/documents`, { documentId: doc.id })).status).toBe(422);
  });
});

describe('signing off twice at once', () => {
  it('when a document is signed off twice at the same moment, then one sign-off is recorded and the other refused (409), with one audit entry', async () => {
    const doc = await draft({ plan: { forms: ['text'], channels: ['gov_website'] } });
    const sign = (note: string) => t.call('POST', `/api/documents/${doc.id}/sign-off`, { note });
    const answers = await Promise.all([sign('同意'), sign('同意发布')]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const entries = await t.db.orm
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'document'), eq(auditLog.entityId, String(doc.id)), eq(auditLog.action, 'sign_off')));
    expect(entries).toHaveLength(1);
    const after = await get(doc.id);
    expect(after.signOffNote).toBe(answers[0]!.status === 200 ? '同意' : '同意发布');
    expect(after.planAtSignOff).toBe(true);
  });
});
