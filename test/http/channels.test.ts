import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callAs, seedDepartment, startTestApp, userWithToken, type TestApp } from '../support/app.js';
import { startPlatforms, type Platforms } from '../support/platforms.js';

// /api/channels and /api/deliveries: input checking, roles, write-only secrets.

let platforms: Platforms;
let t: TestApp;
beforeAll(async () => {
  platforms = await startPlatforms(() => t.now());
});
afterAll(() => platforms.close());
beforeEach(async () => {
  t = await startTestApp();
  await seedDepartment(t, 'fgw', '市发展改革委');
});
afterEach(() => t.close());

const SECRET = 'SECd7a1b2c3d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd';
const TOKEN = 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789';

describe('channel input', () => {
  const valid = () => ({ name: '值班群', kind: 'dingtalk', url: platforms.robot('dingtalk', TOKEN).url });

  it.each([
    ['name', { name: '' }],
    ['name', { name: '长'.repeat(101) }],
    ['kind', { kind: 'sms' }],
    ['url', { url: 'ftp://example.com/hook' }],
    ['url', { url: '' }],
    ['secret', { kind: 'wecom', secret: 'anything' }],
    ['keyword', { keyword: '词'.repeat(51) }],
    ['alertTypes[0]', { alertTypes: ['everything'] }],
    ['alertTypes', { alertTypes: 'incident_opened' }],
    ['departmentCodes[0]', { departmentCodes: ['bad code!'] }],
    ['minSeverity', { minSeverity: 'huge' }],
    ['escalation', { escalation: 'yes' }],
    ['mentionMobiles[0]', { mentionMobiles: ['12345'] }],
    ['enabled', { enabled: 1 }],
    ['请求体', { colour: 'red' }],
  ])('when %s is wrong (%j), then 400 naming it, and nothing is written', async (field, change) => {
    const res = await t.call('POST', '/api/channels', { ...valid(), ...change });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
    expect((await t.call('GET', '/api/channels')).body.items).toEqual([]);
  });

  it('when a webhook secret is not whsec_<base64>, then 400; when given in that form, it is kept (and never shown)', async () => {
    const bad = await t.call('POST', '/api/channels', { name: 'w', kind: 'webhook', url: platforms.unknownUrl('webhook'), secret: 'plain-text' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^secret: .*whsec_/);
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const ok = await t.call('POST', '/api/channels', { name: 'w', kind: 'webhook', url: platforms.unknownUrl('webhook'), secret });
    expect(ok.status).toBe(201);
    expect(ok.body.secret).toBeUndefined();
    expect(ok.body.hasSecret).toBe(true);
  });

  it('when the department is unknown, 422; when the name is taken, 409', async () => {
    const unknown = await t.call('POST', '/api/channels', { ...valid(), departmentCodes: ['nobody'] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toMatch(/^departmentCodes: .*nobody/);
    expect((await t.call('POST', '/api/channels', valid())).status).toBe(201);
    const dup = await t.call('POST', '/api/channels', valid());
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toMatch(/^name: /);
  });

  it('when a channel URL points into the private network without ALLOW_PRIVATE_URLS, then 400 on url', async () => {
    const strict = await startTestApp({ allowPrivateFeeds: false });
    try {
      for (const url of ['http://127.0.0.1:9/hook', 'http://10.1.2.3/robot/send?access_token=x', 'http://169.254.169.254/latest']) {
        const res = await strict.call('POST', '/api/channels', { name: url, kind: 'webhook', url });
        expect(res.status, url).toBe(400);
        expect(res.body.error.message, url).toMatch(/^url: .*内网或本机地址/);
      }
    } finally {
      strict.close();
    }
  });

  it('PATCH: bad input is a 400, the kind cannot change, an unknown channel is a 404', async () => {
    const ch = (await t.call('POST', '/api/channels', valid())).body;
    expect((await t.call('PATCH', `/api/channels/${ch.id}`, {})).status).toBe(400);
    expect((await t.call('PATCH', `/api/channels/${ch.id}`, { kind: 'wecom' })).status).toBe(400);
    expect((await t.call('PATCH', `/api/channels/${ch.id}`, { mentionMobiles: ['1380000000x'] })).body.error.message).toMatch(/mentionMobiles/);
    expect((await t.call('PATCH', '/api/channels/999', { enabled: false })).status).toBe(404);
    expect((await t.call('PATCH', `/api/channels/${ch.id}`, { enabled: false, alertTypes: ['commitment_missed'] })).body).toMatchObject({
      enabled: false, alertTypes: ['commitment_missed'], health: 'disabled',
    });
  });

  it('the deliveries list checks its filters; retrying an unknown delivery is a 404', async () => {
    expect((await t.call('GET', '/api/deliveries?status=lost')).status).toBe(400);
    expect((await t.call('GET', '/api/deliveries?channelId=abc')).status).toBe(400);
    expect((await t.call('GET', '/api/deliveries?limit=0')).status).toBe(400);
    expect((await t.call('POST', '/api/deliveries/12345/retry')).status).toBe(404);
  });
});

describe('secrets are write-only', () => {
  it('when a channel with a secret and a tokened URL is created and changed, then no answer and no audit entry carries either', async () => {
    const robot = platforms.robot('dingtalk', TOKEN, { secret: SECRET });
    const created = await t.call('POST', '/api/channels', { name: '值班群', kind: 'dingtalk', url: robot.url, secret: SECRET });
    expect(created.body).toMatchObject({ hasSecret: true, url: expect.stringContaining('access_token=abcd…6789') });
    await t.call('PATCH', `/api/channels/${created.body.id}`, { secret: `${SECRET}X`, name: '值班群（新）' });
    const seen = JSON.stringify([
      created.body,
      (await t.call('GET', '/api/channels')).body,
      (await t.call('GET', `/api/channels/${created.body.id}`)).body,
      (await t.call('GET', '/api/audit?entity=channel')).body,
    ]);
    expect(seen).not.toContain(SECRET);
    expect(seen).not.toContain(TOKEN);
    const audit = (await t.call('GET', '/api/audit?entity=channel')).body.items;
    expect(audit.map((a: any) => a.action).sort()).toEqual(['create', 'update']);
  });
});

describe('roles', () => {
  it('admin writes; press reads, tests and resends; drafters and leaders see nothing of it', async () => {
    const robot = platforms.robot('dingtalk', `${TOKEN}-roles`);
    const ch = (await t.call('POST', '/api/channels', { name: '值班群', kind: 'dingtalk', url: robot.url })).body;
    const press = await userWithToken(t, 'xwb01', 'press');
    const drafter = await userWithToken(t, 'fgw01', 'drafter', ['fgw']);
    const leader = await userWithToken(t, 'leader1', 'leader');

    expect((await callAs(t, press, 'GET', '/api/channels')).status).toBe(200);
    expect((await callAs(t, press, 'GET', '/api/deliveries')).status).toBe(200);
    expect((await callAs(t, press, 'POST', `/api/channels/${ch.id}/test`)).body.ok).toBe(true);
    expect((await callAs(t, press, 'POST', '/api/jobs/deliver')).status).toBe(200);
    expect((await callAs(t, press, 'POST', '/api/channels', { name: 'x', kind: 'dingtalk', url: robot.url })).status).toBe(403);
    expect((await callAs(t, press, 'PATCH', `/api/channels/${ch.id}`, { enabled: false })).status).toBe(403);
    expect((await callAs(t, press, 'DELETE', `/api/channels/${ch.id}`)).status).toBe(403);
    for (const who of [drafter, leader]) {
      expect((await callAs(t, who, 'GET', '/api/channels')).status).toBe(403);
      expect((await callAs(t, who, 'GET', '/api/deliveries')).status).toBe(403);
      expect((await callAs(t, who, 'POST', `/api/channels/${ch.id}/test`)).status).toBe(403);
      // Everyone signed in has a calendar of their own.
      expect((await callAs(t, who, 'POST', '/api/me/calendar-feed')).status).toBe(200);
    }
  });
});

describe('test messages and deletion', () => {
  it('when a test message is sent, then the platform’s answer comes back; beyond 20 a minute, 429', async () => {
    const robot = platforms.robot('dingtalk', `${TOKEN}-test`, { secret: SECRET, keyword: '测试' });
    const ch = (await t.call('POST', '/api/channels', { name: '值班群', kind: 'dingtalk', url: robot.url, secret: SECRET, keyword: '测试' })).body;
    const res = await t.call('POST', `/api/channels/${ch.id}/test`);
    expect(res.body).toEqual({ ok: true, status: 200, response: expect.stringContaining('"errcode":0'), error: null });
    expect(robot.accepted[0]!.body.markdown.title).toBe('【测试消息】值班群');
    for (let i = 1; i < 20; i++) expect((await t.call('POST', `/api/channels/${ch.id}/test`)).status).toBe(200);
    const over = await t.call('POST', `/api/channels/${ch.id}/test`);
    expect(over.status).toBe(429);
    expect(over.body.error.message).toContain('20');
    t.advance(60_001);
    expect((await t.call('POST', `/api/channels/${ch.id}/test`)).status).toBe(200);
    expect((await t.call('POST', '/api/channels/999/test')).status).toBe(404);
  });

  it('when a test message fails, then ok is false with the reason in Chinese, and the channel shows it', async () => {
    const ch = (await t.call('POST', '/api/channels', { name: '企业微信', kind: 'wecom', url: platforms.unknownUrl('wecom') })).body;
    const res = await t.call('POST', `/api/channels/${ch.id}/test`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: false, status: 200, error: expect.stringMatching(/^企业微信返回错误码 93000：invalid webhook url/) });
    expect((await t.call('GET', `/api/channels/${ch.id}`)).body).toMatchObject({ health: 'misconfigured', lastError: res.body.error });
  });

  it('when the platform cannot be reached, then ok is false, no status, no answer, and the reason', async () => {
    // A port nothing listens on (taken from the system, then freed).
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const ch = (await t.call('POST', '/api/channels', { name: '无人接听', kind: 'webhook', url: `http://127.0.0.1:${port}/hook` })).body;
    const res = await t.call('POST', `/api/channels/${ch.id}/test`);
    expect(res.body).toEqual({ ok: false, status: null, response: '', error: expect.stringMatching(/^网络错误：/) });
  });

  it('when a channel URL is on a port fetch never connects to, then 400 on url at once, not a failure at every send', async () => {
    const res = await t.call('POST', '/api/channels', { name: '错误端口', kind: 'webhook', url: 'https://hooks.example.com:6000/notify' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^url: 端口 6000 是 fetch 一律拒绝连接的端口/);
    const feed = await t.call('POST', '/api/feeds', { name: '错误端口', url: 'https://news.example.com:6667/rss.xml' });
    expect(feed.status).toBe(400);
    expect(feed.body.error.message).toMatch(/^url: 端口 6667 /);
  });

  it('when a channel is deleted, then its deliveries go with it and later alerts do not reach it', async () => {
    const ch = (await t.call('POST', '/api/channels', { name: '值班群', kind: 'dingtalk', url: platforms.robot('dingtalk', `${TOKEN}-del`).url })).body;
    await t.call('POST', '/api/incidents', { title: '某事件', severity: 'general' });
    expect((await t.call('GET', '/api/deliveries')).body.items).toHaveLength(1);
    expect((await t.call('DELETE', `/api/channels/${ch.id}`)).status).toBe(204);
    expect((await t.call('GET', '/api/deliveries')).body.items).toEqual([]);
    await t.call('POST', '/api/incidents', { title: '另一事件', severity: 'general' });
    expect((await t.call('GET', '/api/deliveries')).body.items).toEqual([]);
    expect((await t.call('DELETE', `/api/channels/${ch.id}`)).status).toBe(404);
  });
});
