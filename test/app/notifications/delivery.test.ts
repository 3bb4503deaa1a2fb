import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/app/create-context.js';
import { seedDepartment, startTestApp, type TestApp } from '../../support/app.js';
import { startPlatforms, type Platforms } from '../../support/platforms.js';

// The outbox end to end: alerts recorded by the service, deliveries written with them, the
// sender talking to fake platforms on 127.0.0.1 that check signatures as the real ones do.

const PUBLIC_URL = 'https://zwgk.example.gov.cn';
const MINUTE = 60_000;

let platforms: Platforms;
let t: TestApp;
beforeAll(async () => {
  platforms = await startPlatforms(() => t.now());
});
afterAll(() => platforms.close());

beforeEach(async () => {
  t = await startTestApp({
    now: '2026-11-20T10:00:00+08:00',
    config: { publicUrl: PUBLIC_URL, delivery: { ...DEFAULT_CONFIG.delivery, timeoutMs: 400, concurrency: 4 } },
  });
  await seedDepartment(t, 'yjj', '市应急管理局');
  await seedDepartment(t, 'fgw', '市发展改革委');
});
afterEach(() => t.close());

let robotNo = 0;
const token = (prefix: string) => `${prefix}-${++robotNo}-${'x'.repeat(24)}`;

async function channel(body: Record<string, unknown>) {
  const res = await t.call('POST', '/api/channels', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function openIncident(title = '某区化工厂发生爆炸', severity = 'major', departmentCode: string | null = 'yjj') {
  const res = await t.call('POST', '/api/incidents', { title, severity, ...(departmentCode ? { departmentCode } : {}) });
  expect(res.status).toBe(201);
  return res.body;
}

const deliver = async () => (await t.call('POST', '/api/jobs/deliver')).body as { sent: number; failed: number; merged: number };
const deliveriesOf = async (channelId: number) => (await t.call('GET', `/api/deliveries?channelId=${channelId}&limit=500`)).body.items as any[];

describe('each platform', () => {
  it('DingTalk: a signed markdown message with the keyword and @mobiles, delivered once', async () => {
    const secret = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd';
    const robot = platforms.robot('dingtalk', token('dd'), { secret, keyword: '舆情' });
    const ch = await channel({ name: '新闻办值班群', kind: 'dingtalk', url: robot.url, secret, keyword: '舆情', mentionMobiles: ['13800000001'] });
    const incident = await openIncident();

    expect(await deliver()).toEqual({ sent: 1, failed: 0, merged: 0 });
    expect(robot.accepted).toHaveLength(1);
    const body = robot.accepted[0]!.body;
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.title).toBe('【新舆情事件·重大】某区化工厂发生爆炸');
    expect(body.markdown.text).toContain('责任部门：市应急管理局');
    expect(body.markdown.text).toContain('时限：2026-11-20 15:00（北京时间）'); // 5 h from 10:00
    expect(body.markdown.text).toContain('状态：剩余 5 小时');
    expect(body.markdown.text).toContain(`[查看详情](${PUBLIC_URL}/incidents/${incident.id})`);
    expect(body.markdown.text).toContain('@13800000001');
    expect(body.at).toEqual({ atMobiles: ['13800000001'], isAtAll: false });

    const [d] = await deliveriesOf(ch.id);
    expect(d).toMatchObject({ status: 'sent', attempts: 1, alertType: 'incident_opened', lastError: null, sentAt: '2026-11-20T02:00:00.000Z' });
    expect(d.response).toContain('"errcode":0');
    // Delivered once: another run sends nothing.
    expect(await deliver()).toEqual({ sent: 0, failed: 0, merged: 0 });
    expect(robot.all).toHaveLength(1);
  });

  it('WeCom: markdown, then a text message that mentions by mobile; a long digest is cut to 4096 bytes', async () => {
    const robot = platforms.robot('wecom', token('wx'));
    await channel({ name: '企业微信群', kind: 'wecom', url: robot.url, mentionMobiles: ['13900000002'] });
    await openIncident();
    expect((await deliver()).sent).toBe(1);
    expect(robot.accepted.map((r) => r.body.msgtype)).toEqual(['markdown', 'text']);
    expect(robot.accepted[0]!.body.markdown.content).toContain('> 责任部门：市应急管理局');
    expect(robot.accepted[1]!.body.text).toEqual({ content: '请及时处理：【新舆情事件·重大】某区化工厂发生爆炸', mentioned_mobile_list: ['13900000002'] });

    // Each message with mentions takes two requests, so a minute holds 10: 9 singles, then a
    // digest of the other 4 long titles (≈ 6 kB before cutting).
    t.advance(MINUTE + 1);
    for (let i = 0; i < 13; i++) await openIncident(`${i}${'长'.repeat(490)}`);
    expect(await deliver()).toEqual({ sent: 9, failed: 0, merged: 4 });
    expect(robot.accepted).toHaveLength(2 + 20);
    const digest = robot.accepted.filter((r) => r.body.msgtype === 'markdown').at(-1)!.body.markdown.content as string;
    expect(digest.startsWith('**【提醒汇总】共 4 条**')).toBe(true);
    expect(Buffer.byteLength(digest)).toBeLessThanOrEqual(4096);
    expect(digest.endsWith('…')).toBe(true);
  });

  it('Feishu: a signed post in the body; the older {StatusCode: 0} answer counts as success too', async () => {
    const secret = 'feishu-signing-secret-000111';
    const robot = platforms.robot('feishu', token('fs'), { secret, keyword: '提醒', legacy: true });
    const ch = await channel({ name: '飞书群', kind: 'feishu', url: robot.url, secret, keyword: '提醒' });
    await openIncident();
    expect((await deliver()).sent).toBe(1);
    const body = robot.accepted[0]!.body;
    expect(body.msg_type).toBe('post');
    expect(body.content.post.zh_cn.title).toBe('【新舆情事件·重大】某区化工厂发生爆炸');
    expect(JSON.stringify(body.content.post.zh_cn.content)).toContain('提醒');
    expect(body.content.post.zh_cn.content.at(-1)).toEqual([{ tag: 'a', text: '查看详情', href: expect.stringMatching(/\/incidents\/\d+$/) }]);
    expect((await deliveriesOf(ch.id))[0].status).toBe('sent');
  });

  it('webhook: Standard Webhooks signature with a generated whsec_ secret shown once, {type, alert, links}', async () => {
    const created = await channel({ name: '业务系统', kind: 'webhook', url: platforms.unknownUrl('webhook') });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(created.hasSecret).toBe(true);
    const robot = platforms.robot('webhook', token('wh'), { secret: created.secret });
    await t.call('PATCH', `/api/channels/${created.id}`, { url: robot.url });
    expect(JSON.stringify((await t.call('GET', `/api/channels/${created.id}`)).body)).not.toContain(created.secret);

    await openIncident();
    expect((await deliver()).sent).toBe(1);
    const [r] = robot.accepted;
    const [d] = await deliveriesOf(created.id);
    expect(r!.headers['webhook-id']).toBe(String(d.id));
    expect(r!.body).toMatchObject({
      type: 'incident_opened',
      alert: { type: 'incident_opened', departmentCode: 'yjj', departmentName: '市应急管理局', severity: 'major', deadline: '2026-11-20T07:00:00.000Z' },
      links: { page: expect.stringMatching(/^https:\/\/zwgk\.example\.gov\.cn\/incidents\/\d+$/) },
    });
  });
});

describe('failures and retries', () => {
  it('when the platform answers 200 with an error code, then it is not success: retried after 1 minute, then sent', async () => {
    const robot = platforms.robot('dingtalk', token('dd'));
    const ch = await channel({ name: '钉钉', kind: 'dingtalk', url: robot.url });
    robot.next.push({ code: 40035, message: '缺少参数 json' });
    await openIncident();
    expect(await deliver()).toEqual({ sent: 0, failed: 1, merged: 0 });
    let [d] = await deliveriesOf(ch.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: '2026-11-20T02:01:00.000Z' });
    expect(d.lastError).toContain('钉钉返回错误码 40035');
    expect((await t.call('GET', `/api/channels/${ch.id}`)).body.health).toBe('failing');

    expect((await deliver()).sent).toBe(0); // not due yet
    t.advance(MINUTE);
    expect((await deliver()).sent).toBe(1);
    [d] = await deliveriesOf(ch.id);
    expect(d).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(robot.accepted).toHaveLength(1);
    expect((await t.call('GET', `/api/channels/${ch.id}`)).body.health).toBe('ok');
  });

  it('when the platform keeps failing (HTTP 500), then it is retried at 1 min, 5 min, 30 min, 2 h, 6 h and then dead', async () => {
    const robot = platforms.robot('wecom', token('wx'), { behaviour: { http: 500 } });
    const ch = await channel({ name: '企业微信', kind: 'wecom', url: robot.url });
    await openIncident();
    const waits = [1, 5, 30, 120, 360].map((m) => m * MINUTE);
    await deliver();
    for (const wait of waits) {
      const [d] = await deliveriesOf(ch.id);
      expect(d.status).toBe('pending');
      expect(Date.parse(d.nextAttemptAt) - t.now()).toBe(wait);
      t.advance(wait - 1);
      await deliver();
      expect(robot.all).toHaveLength(waits.indexOf(wait) + 1); // not a moment early
      t.advance(1);
      await deliver();
    }
    const [d] = await deliveriesOf(ch.id);
    expect(d).toMatchObject({ status: 'dead', attempts: 6, nextAttemptAt: null });
    expect(d.lastError).toContain('HTTP 500');
    expect(robot.all).toHaveLength(6);
  });

  it('when the platform hangs, then the send times out and is retried; the channel run stops there', async () => {
    const robot = platforms.robot('feishu', token('fs'), { behaviour: 'hang' });
    const ch = await channel({ name: '飞书', kind: 'feishu', url: robot.url });
    await openIncident('事件甲');
    await openIncident('事件乙');
    expect(await deliver()).toEqual({ sent: 0, failed: 1, merged: 0 });
    const list = await deliveriesOf(ch.id);
    expect(list.map((d) => [d.status, d.attempts])).toEqual([['pending', 0], ['pending', 1]]);
    expect(list[1].lastError).toMatch(/超时/);
    robot.behaviour = 'ok';
    t.advance(MINUTE);
    expect((await deliver()).sent).toBe(2);
  });

  it.each([
    ['DingTalk with a wrong secret (310000)', 'dingtalk', { secret: 'SECright' }, { secret: 'SECwrong' }],
    ['DingTalk without its keyword (310000)', 'dingtalk', { keyword: '监测' }, {}],
    ['WeCom with an unknown key (93000)', 'wecom', null, {}],
    ['Feishu with a wrong secret (19021)', 'feishu', { secret: 'right' }, { secret: 'wrong' }],
    ['a webhook that is gone (404)', 'webhook', null, {}],
  ] as const)('when the channel is misconfigured — %s — then the delivery is dead at once and the channel marked; others wait for the fix', async (_name, kind, robotOptions, channelOptions) => {
    const robot = robotOptions ? platforms.robot(kind, token(kind), robotOptions) : null;
    const url = robot ? robot.url : platforms.unknownUrl(kind);
    const ch = await channel({ name: `渠道-${kind}`, kind, url, ...channelOptions, ...(kind === 'webhook' ? { secret: null } : {}) });
    await openIncident('事件甲');
    await openIncident('事件乙');
    expect(await deliver()).toEqual({ sent: 0, failed: 1, merged: 0 });
    const list = await deliveriesOf(ch.id);
    expect(list.map((d) => d.status)).toEqual(['pending', 'dead']);
    expect(list[1].lastError).toMatch(/配置有误|地址无效/);
    const view = (await t.call('GET', `/api/channels/${ch.id}`)).body;
    expect(view).toMatchObject({ health: 'misconfigured', pending: 1, dead: 1 });
    // Nothing is retried while the channel is wrong, however long we wait.
    t.advance(60 * MINUTE);
    expect(await deliver()).toEqual({ sent: 0, failed: 0, merged: 0 });

    // The fix: a working robot; the waiting delivery goes, the dead one is resent by hand.
    const fixed = platforms.robot(kind, token(kind));
    expect((await t.call('PATCH', `/api/channels/${ch.id}`, { url: fixed.url, ...(kind === 'dingtalk' || kind === 'feishu' ? { secret: null, keyword: null } : {}) })).status).toBe(200);
    expect((await deliver()).sent).toBe(1);
    expect((await t.call('POST', `/api/deliveries/${list[1].id}/retry`)).body).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await deliver()).sent).toBe(1);
    expect(fixed.accepted).toHaveLength(2);
    expect((await t.call('POST', `/api/deliveries/${list[1].id}/retry`)).status).toBe(409);
  });

  it('when DingTalk says "send too fast" (130101), then the channel pauses 10 minutes and the attempt is not counted', async () => {
    const robot = platforms.robot('dingtalk', token('dd'));
    const ch = await channel({ name: '钉钉', kind: 'dingtalk', url: robot.url });
    robot.next.push({ code: 130101, message: 'send too fast, exceed 20 times per minute' });
    await openIncident();
    await deliver();
    const [d] = await deliveriesOf(ch.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: '2026-11-20T02:10:00.000Z' });
    expect((await t.call('GET', `/api/channels/${ch.id}`)).body).toMatchObject({ health: 'paused', pausedUntil: '2026-11-20T02:10:00.000Z' });
    t.advance(9 * MINUTE);
    expect((await deliver()).sent).toBe(0);
    t.advance(MINUTE);
    expect((await deliver()).sent).toBe(1);
  });
});

describe('at most 20 messages a minute per channel', () => {
  it('when 45 alerts are due at once, then 19 go singly and one digest carries the other 26: 20 messages, nothing lost', async () => {
    const robot = platforms.robot('dingtalk', token('dd'));
    const ch = await channel({ name: '钉钉', kind: 'dingtalk', url: robot.url });
    for (let i = 0; i < 45; i++) await openIncident(`事件${i}`, 'general');
    expect(await deliver()).toEqual({ sent: 19, failed: 0, merged: 26 });
    expect(robot.accepted).toHaveLength(20);
    const digest = robot.accepted[19]!.body.markdown;
    expect(digest.title).toBe('【提醒汇总】共 26 条');
    expect(digest.text).toContain('另有 16 条提醒，请登录平台查看');
    const list = await deliveriesOf(ch.id);
    expect(list.filter((d) => d.status === 'sent')).toHaveLength(19);
    const merged = list.filter((d) => d.status === 'merged');
    expect(merged).toHaveLength(26);
    expect(new Set(merged.map((d) => d.digestId)).size).toBe(1);

    // More alerts in the same minute wait for the next one; nothing is dropped.
    for (let i = 0; i < 3; i++) await openIncident(`后续${i}`, 'general');
    expect(await deliver()).toEqual({ sent: 0, failed: 0, merged: 0 });
    t.advance(MINUTE + 1);
    expect(await deliver()).toEqual({ sent: 3, failed: 0, merged: 0 });
    expect(robot.accepted).toHaveLength(23);
  });
});

describe('who gets what: filters and escalation', () => {
  it('filters by alert type, department and minimum severity; escalation channels get missed and overdue alerts of every department', async () => {
    const all = await channel({ name: '新闻办（全部）', kind: 'webhook', url: platforms.robot('webhook', token('a')).url });
    const yjjMajor = await channel({
      name: '应急局（重大以上）', kind: 'webhook', url: platforms.robot('webhook', token('b')).url, departmentCodes: ['yjj'], minSeverity: 'major',
    });
    const missedOnly = await channel({ name: '只收超时', kind: 'webhook', url: platforms.robot('webhook', token('c')).url, alertTypes: ['commitment_missed'] });
    // Filters that alone would let nothing of this through: escalation overrides them for missed and overdue.
    const leaders = await channel({
      name: '领导群', kind: 'webhook', url: platforms.robot('webhook', token('d')).url, departmentCodes: ['fgw'], alertTypes: ['feed_failing'], escalation: true,
    });
    const disabled = await channel({ name: '停用的', kind: 'webhook', url: platforms.robot('webhook', token('e')).url, enabled: false });

    await openIncident('应急局重大事件', 'major', 'yjj');
    await openIncident('应急局一般事件', 'general', 'yjj');
    await openIncident('发改委重大事件', 'major', 'fgw');
    // Both major incidents miss their 5-hour release by 15:00:01.
    await t.call('POST', '/api/jobs/sweep', { asOf: '2026-11-20T15:00:01+08:00' });

    const got = async (id: number) => (await deliveriesOf(id)).map((d) => `${/「(.+?)」/.exec(d.alertMessage)![1]}:${d.alertType}`).sort();
    expect(await got(all.id)).toEqual([
      '发改委重大事件:commitment_missed', '发改委重大事件:incident_opened', '应急局一般事件:incident_opened',
      '应急局重大事件:commitment_missed', '应急局重大事件:incident_opened',
    ].sort());
    expect(await got(yjjMajor.id)).toEqual(['应急局重大事件:commitment_missed', '应急局重大事件:incident_opened'].sort());
    expect(await got(missedOnly.id)).toEqual(['发改委重大事件:commitment_missed', '应急局重大事件:commitment_missed'].sort());
    expect(await got(leaders.id)).toEqual(['发改委重大事件:commitment_missed', '应急局重大事件:commitment_missed'].sort());
    expect(await got(disabled.id)).toEqual([]);
  });

  it('escalation also carries overdue interpretations; a department filter matches the document’s department', async () => {
    const fgw = await channel({ name: '发改委群', kind: 'webhook', url: platforms.robot('webhook', token('f')).url, departmentCodes: ['fgw'] });
    const yjj = await channel({ name: '应急局群', kind: 'webhook', url: platforms.robot('webhook', token('g')).url, departmentCodes: ['yjj'] });
    const leaders = await channel({ name: '领导群', kind: 'webhook', url: platforms.robot('webhook', token('h')).url, departmentCodes: ['yjj'], escalation: true });
    await t.call('POST', '/api/documents', { title: '某文件', departmentCode: 'fgw', publishedAt: '2026-11-16T10:00:00+08:00' }); // due Thu 11-19
    await t.call('POST', '/api/jobs/sweep', { asOf: '2026-11-19T09:30:00+08:00' }); // due today
    await t.call('POST', '/api/jobs/sweep', { asOf: '2026-11-20T09:30:00+08:00' }); // overdue
    const types = async (id: number) => (await deliveriesOf(id)).map((d) => d.alertType).sort();
    expect(await types(fgw.id)).toEqual(['interpretation_due_soon', 'interpretation_overdue']);
    expect(await types(yjj.id)).toEqual([]);
    expect(await types(leaders.id)).toEqual(['interpretation_overdue']);
  });
});

describe('shutting down', () => {
  it('when the service begins to shut down during a backlog, then the message being sent is recorded and no further one is claimed: the rest wait, pending, and go after', async () => {
    const robot = platforms.robot('webhook', token('wh'));
    const ch = await channel({ name: '业务系统', kind: 'webhook', url: robot.url });
    for (const title of ['甲厂爆炸', '乙厂火灾', '丙厂泄漏']) await openIncident(title);
    // Shutting down begins while the first message is on its way.
    t.ctx.stopping = () => robot.all.length > 0;
    expect(await deliver()).toEqual({ sent: 1, failed: 0, merged: 0 });
    expect(robot.accepted).toHaveLength(1);
    expect((await deliveriesOf(ch.id)).map((d) => d.status).sort()).toEqual(['pending', 'pending', 'sent']);

    t.ctx.stopping = undefined;
    expect(await deliver()).toEqual({ sent: 2, failed: 0, merged: 0 });
    expect(robot.accepted).toHaveLength(3);
  });
});
