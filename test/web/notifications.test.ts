import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn as apiSignIn, startTestApp } from '../support/app.js';
import { SHOTS, startBrowserApp, submit, type BrowserApp } from '../support/browser.js';
import { startPlatforms, type Platforms, type Robot } from '../support/platforms.js';

// The /notifications page in a real browser: channels with their health, the 添加通知渠道 form
// with its field errors, 发送测试消息 answered in place, the delivery log with 重新发送, and who
// sees what. The robots are fake DingTalk / WeCom / webhook endpoints on 127.0.0.1 that check
// signatures as the platforms do; the app clock stands at Friday 2026-11-20 10:00 Beijing time.

let app: BrowserApp;
let base: string;
let platforms: Platforms;
let dingtalk: Robot;
let webhook: Robot;

const DINGTALK_SECRET = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd';
const DINGTALK_TOKEN = 'dd0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab';
const channelId: Record<string, number> = {};

beforeAll(async () => {
  app = await startBrowserApp();
  base = app.base;
  platforms = await startPlatforms(() => app.t.now());
  dingtalk = platforms.robot('dingtalk', DINGTALK_TOKEN, { secret: DINGTALK_SECRET, keyword: '舆情' });
  webhook = platforms.robot('webhook', 'hook-0123456789abcdef');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await platforms?.close();
});

const channelRow = (page: Page, id: number) => page.locator(`#channels tbody tr[data-id="${id}"]`);
const deliveryRows = (page: Page) => page.locator('#delivery-log tbody tr');
const cell = (row: Locator, label: string) => row.locator(`td[data-label="${label}"]`);
const errorNextTo = (form: Locator, name: string) => form.locator(`label:has([name="${name}"]) .field-error`);
const text = async (l: Locator) => (await l.textContent())?.replace(/\s+/g, ' ').trim();
const noSidewaysScroll = (page: Page) => expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);

async function openForm(page: Page) {
  await page.locator('details.register:has(#channel-form) > summary').click();
  await expect(page.locator('#channel-form').isVisible()).resolves.toBe(true);
}

interface ApiChannel {
  id: number;
  name: string;
  kind: string;
  hasSecret: boolean;
  keyword: string | null;
  alertTypes: string[];
  departmentCodes: string[];
  minSeverity: string | null;
  escalation: boolean;
  mentionMobiles: string[];
  enabled: boolean;
  health: string;
}

async function apiChannels(): Promise<ApiChannel[]> {
  return (await app.t.call('GET', '/api/channels')).body.items;
}

async function apiDeliveries(): Promise<{ id: number; channelId: number; status: string; alertMessage: string; lastError: string | null }[]> {
  return (await app.t.call('GET', '/api/deliveries?limit=500')).body.items;
}

describe('channels', () => {
  it('when an admin adds a DingTalk channel through the form, then a bad address is refused next to its field, then the channel is listed with its filters', async () => {
    const page = await app.pageAs('admin1', '/notifications');
    await expect(page.locator('h1').textContent()).resolves.toBe('通知');
    await expect(page.locator('header a[aria-current="page"]').textContent()).resolves.toBe('通知');
    // No PUBLIC_URL in this service: links in messages are bare paths, and the page says so.
    await expect(text(page.locator('#public-url-notice'))).resolves.toContain('尚未设置 PUBLIC_URL');
    await expect(page.locator('#channels').count()).resolves.toBe(0);
    await expect(text(page.locator('.empty').first())).resolves.toBe('还没有通知渠道。');

    await openForm(page);
    const form = page.locator('#channel-form');
    await expect(form.locator('input[name="secret"]').getAttribute('type')).resolves.toBe('password');
    await form.locator('input[name="name"]').fill('新闻办值班群');
    await form.locator('select[name="kind"]').selectOption('dingtalk');
    await form.locator('input[name="url"]').fill('ftp://x');
    await form.locator('input[name="secret"]').fill(DINGTALK_SECRET);
    await form.locator('input[name="keyword"]').fill('舆情');
    await form.locator('input[name="alertTypes"][value="incident_opened"]').check();
    await form.locator('input[name="alertTypes"][value="commitment_missed"]').check();
    await form.locator('input[name="departmentCodes"][value="fgw"]').check();
    await form.locator('select[name="minSeverity"]').selectOption('large');
    await form.locator('input[name="escalation"]').check();
    await form.locator('input[name="mentionMobiles"]').fill('13800000001，13900000002');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(400);

    await expect(form.isVisible()).resolves.toBe(true);
    await expect(errorNextTo(form, 'url').textContent()).resolves.toBe('地址应以 http:// 或 https:// 开头（邮件渠道写 mailto:收件人）');
    await expect(form.locator('.field-error').count()).resolves.toBe(1);
    // What was typed stays, except the write-only secret, which is asked for again.
    await expect(form.locator('input[name="url"]').inputValue()).resolves.toBe('ftp://x');
    await expect(form.locator('input[name="name"]').inputValue()).resolves.toBe('新闻办值班群');
    const checked = await form.locator('input[name="alertTypes"]:checked').all();
    await expect(Promise.all(checked.map((c) => c.getAttribute('value')))).resolves.toEqual(['incident_opened', 'commitment_missed']);
    await expect(form.locator('input[name="departmentCodes"][value="fgw"]').isChecked()).resolves.toBe(true);
    await expect(form.locator('select[name="minSeverity"]').inputValue()).resolves.toBe('large');
    await expect(form.locator('input[name="escalation"]').isChecked()).resolves.toBe(true);
    await expect(form.locator('input[name="secret"]').inputValue()).resolves.toBe('');
    await expect(text(form.locator('.retype'))).resolves.toBe('密钥不会回填到页面上，请重新填写。');
    expect(await page.content()).not.toContain(DINGTALK_SECRET);
    await page.screenshot({ path: `${SHOTS}/notifications-form-errors.png`, fullPage: true });
    expect(await apiChannels()).toEqual([]);

    // A mobile that is not one: said next to the field, naming it.
    await form.locator('input[name="url"]').fill(dingtalk.url);
    await form.locator('input[name="secret"]').fill(DINGTALK_SECRET);
    await form.locator('input[name="mentionMobiles"]').fill('13800000001, 12345');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(400);
    await expect(errorNextTo(form, 'mentionMobiles').textContent()).resolves.toBe('手机号无效：12345（应为 11 位数字，以 1 开头）');
    await expect(form.locator('.field-error').count()).resolves.toBe(1);

    await form.locator('input[name="secret"]').fill(DINGTALK_SECRET);
    await form.locator('input[name="mentionMobiles"]').fill('13800000001，13900000002');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(303);

    const [created] = await apiChannels();
    expect(created).toMatchObject({
      name: '新闻办值班群',
      kind: 'dingtalk',
      hasSecret: true,
      keyword: '舆情',
      alertTypes: ['incident_opened', 'commitment_missed'],
      departmentCodes: ['fgw'],
      minSeverity: 'large',
      escalation: true,
      mentionMobiles: ['13800000001', '13900000002'],
      enabled: true,
      health: 'unused',
    });
    channelId.dingtalk = created!.id;
    expect(page.url()).toBe(`${base}/notifications#channel-${created!.id}`);
    const row = channelRow(page, created!.id);
    await expect(cell(row, '名称').innerText()).resolves.toBe('新闻办值班群\n钉钉群机器人\n已设置密钥关键词：舆情');
    await expect(cell(row, '名称').locator('.tag').allTextContents()).resolves.toEqual(['已设置密钥', '关键词：舆情']);
    await expect(text(cell(row, '名称').locator('.kind'))).resolves.toBe('钉钉群机器人');
    // The robot's token is its credential: only its ends are shown.
    const shownUrl = await text(cell(row, '地址'));
    expect(shownUrl).toContain('access_token=dd01…89ab');
    expect(shownUrl).not.toContain(DINGTALK_TOKEN);
    await expect(text(cell(row, '接收范围').locator('[data-scope="alertTypes"]'))).resolves.toBe('提醒：新舆情事件、回应超时');
    await expect(text(cell(row, '接收范围').locator('[data-scope="departments"]'))).resolves.toBe('部门：市发展改革委');
    await expect(text(cell(row, '接收范围').locator('[data-scope="minSeverity"]'))).resolves.toBe('级别：较大及以上');
    await expect(text(cell(row, '接收范围').locator('[data-scope="escalation"]'))).resolves.toBe('领导群超时、逾期提醒不论部门');
    await expect(text(cell(row, '接收范围').locator('[data-scope="mentionMobiles"]'))).resolves.toBe('@：13800000001、13900000002');
    await expect(text(cell(row, '状态').locator('.st'))).resolves.toBe('尚未使用');
    await expect(text(cell(row, '最近错误'))).resolves.toBe('—');
    await expect(text(cell(row, '待发送'))).resolves.toBe('0');
    await expect(text(cell(row, '失败'))).resolves.toBe('0');
    const audit = (await app.t.call('GET', `/api/audit?entity=channel&entityId=${created!.id}`)).body.items;
    expect(audit.map((a: { actor: string; action: string }) => `${a.actor} ${a.action}`)).toEqual(['admin1 create']);

    // 发送测试消息: signed, with the keyword, answered in place.
    await expect(submit(page, row.getByRole('button', { name: '向“新闻办值班群”发送测试消息' }))).resolves.toBe(200);
    const result = page.locator(`tr.test-row[data-test-for="${created!.id}"] #test-result`);
    await expect(result.getAttribute('data-ok')).resolves.toBe('true');
    await expect(text(result.locator('strong'))).resolves.toBe('成功');
    await expect(text(result.locator('.what'))).resolves.toBe('已发送，平台已确认收到（HTTP 200）。');
    await expect(text(result.locator('code.answer'))).resolves.toBe('平台应答：HTTP 200 {"errcode":0,"errmsg":"ok"}');
    expect(dingtalk.accepted).toHaveLength(1);
    expect(dingtalk.accepted[0]!.body.markdown.title).toBe('【测试消息】新闻办值班群');
    expect(dingtalk.accepted[0]!.body.markdown.text).toContain('舆情');
    await expect(text(cell(row, '状态').locator('.st'))).resolves.toBe('正常');
    await expect(text(cell(row, '状态').locator('.last-success'))).resolves.toBe('上次成功：2026-11-20 10:00');
    await page.screenshot({ path: `${SHOTS}/notifications-test-ok.png`, fullPage: true });

    // The address the post left in the bar leads back to the list.
    await page.goto(`${base}/notifications/channels/${created!.id}/test`);
    expect(page.url()).toBe(`${base}/notifications#channel-${created!.id}`);
    await page.context().close();
  });

  it('when a WeCom channel has an unknown key, then an alert’s delivery fails, the log says why in Chinese, the channel is 配置错误, and a test message shows the platform’s refusal', async () => {
    const page = await app.pageAs('admin1', '/notifications');
    await openForm(page);
    const form = page.locator('#channel-form');
    await form.locator('input[name="name"]').fill('企业微信值班群');
    await form.locator('select[name="kind"]').selectOption('wecom');
    await form.locator('input[name="url"]').fill(platforms.unknownUrl('wecom'));
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(303);
    const wecom = (await apiChannels()).find((c) => c.name === '企业微信值班群')!;
    channelId.wecom = wecom.id;
    expect(wecom).toMatchObject({ kind: 'wecom', hasSecret: false, alertTypes: [], departmentCodes: [], health: 'unused' });
    const row = channelRow(page, wecom.id);
    await expect(cell(row, '接收范围').locator('li').allTextContents()).resolves.toEqual(['提醒：全部', '部门：全部', '级别：不限']);

    // An incident opened by the press office raises incident_opened; the sender runs.
    const incident = await app.t.call('POST', '/api/incidents', { title: '某区化工厂发生爆炸', severity: 'major', departmentCode: 'fgw' });
    expect(incident.status).toBe(201);
    const report = await app.t.call('POST', '/api/jobs/deliver');
    expect(report.body).toEqual({ sent: 1, failed: 1, merged: 0 });
    expect(dingtalk.accepted).toHaveLength(2);

    await page.reload();
    await expect(text(cell(row, '状态').locator('.st'))).resolves.toBe('配置错误');
    await expect(cell(row, '状态').locator('.st').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color)).resolves.toBe('rgb(180, 35, 24)');
    await expect(text(cell(row, '状态'))).resolves.toContain('已暂停发送');
    await expect(text(cell(row, '最近错误').locator('.error-text'))).resolves.toMatch(/^企业微信返回错误码 93000：invalid webhook url.*（渠道配置有误：/);
    await expect(text(cell(row, '最近错误').locator('.muted'))).resolves.toBe('2026-11-20 10:00');
    await expect(text(cell(row, '失败'))).resolves.toBe('1');
    await expect(text(cell(channelRow(page, channelId.dingtalk!), '状态').locator('.st'))).resolves.toBe('正常');

    // The log, newest first: the failed delivery with its error in Chinese, and the one sent.
    const deliveries = await apiDeliveries();
    const dead = deliveries.find((d) => d.channelId === wecom.id)!;
    const sent = deliveries.find((d) => d.channelId === channelId.dingtalk)!;
    expect(dead.status).toBe('dead');
    const deadRow = page.locator(`#delivery-${dead.id}`);
    await expect(text(cell(deadRow, '时间'))).resolves.toBe('2026-11-20 10:00');
    await expect(text(cell(deadRow, '渠道'))).resolves.toBe('企业微信值班群');
    await expect(text(cell(deadRow, '提醒').locator('.alert-type'))).resolves.toBe('新舆情事件');
    await expect(text(cell(deadRow, '提醒').locator('.alert-message'))).resolves.toBe(dead.alertMessage);
    expect(dead.alertMessage).toContain('某区化工厂发生爆炸');
    await expect(text(cell(deadRow, '状态'))).resolves.toBe('失败');
    await expect(text(cell(deadRow, '尝试次数'))).resolves.toBe('1');
    await expect(text(cell(deadRow, '下次尝试'))).resolves.toBe('—');
    await expect(text(cell(deadRow, '最近错误').locator('.error-text'))).resolves.toMatch(/^企业微信返回错误码 93000：invalid webhook url/);
    await expect(cell(deadRow, '操作').getByRole('button', { name: '重新发送' }).count()).resolves.toBe(1);
    const sentRow = page.locator(`#delivery-${sent.id}`);
    await expect(cell(sentRow, '状态').innerText()).resolves.toBe('已发送\n2026-11-20 10:00');
    await expect(cell(sentRow, '操作').getByRole('button').count()).resolves.toBe(0);
    await expect(deliveryRows(page).evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id'))))).resolves.toEqual(
      deliveries.map((d) => d.id),
    );
    await page.screenshot({ path: `${SHOTS}/notifications-failed-delivery.png`, fullPage: true });

    // 发送测试消息 on the broken channel: the platform's refusal, in Chinese, with its answer.
    await expect(submit(page, row.getByRole('button', { name: '向“企业微信值班群”发送测试消息' }))).resolves.toBe(200);
    const result = page.locator(`tr.test-row[data-test-for="${wecom.id}"] #test-result`);
    await expect(result.getAttribute('data-ok')).resolves.toBe('false');
    await expect(text(result.locator('strong'))).resolves.toBe('失败');
    await expect(text(result.locator('.what'))).resolves.toMatch(/^企业微信返回错误码 93000：invalid webhook url, hint: \[1700000000_1_x\]（渠道配置有误：/);
    await expect(text(result.locator('code.answer'))).resolves.toContain('平台应答：HTTP 200 {"errcode":93000');
    await page.screenshot({ path: `${SHOTS}/notifications-test-failed.png`, fullPage: true });
    await page.context().close();
  });

  it('when the log is filtered to failed deliveries and one is sent again, then it waits, held while its channel is 配置错误', async () => {
    const page = await app.pageAs('xwb01', '/notifications');
    const filters = page.locator('#delivery-filters');
    await filters.locator('select[name="status"]').selectOption('dead');
    await filters.locator('select[name="channelId"]').selectOption(String(channelId.wecom));
    await expect(submit(page, filters.locator('button[type="submit"]'))).resolves.toBe(200);
    expect(page.url()).toBe(`${base}/notifications?status=dead&channelId=${channelId.wecom}#deliveries`);
    await expect(deliveryRows(page).count()).resolves.toBe(1);
    const dead = (await apiDeliveries()).find((d) => d.status === 'dead')!;

    await expect(submit(page, page.locator(`#delivery-${dead.id}`).getByRole('button', { name: '重新发送' }))).resolves.toBe(303);
    // Back to the same filtered list: the delivery is no longer dead, so it has left it.
    expect(page.url()).toBe(`${base}/notifications?status=dead&channelId=${channelId.wecom}#delivery-${dead.id}`);
    await expect(text(page.locator('#deliveries ~ .empty'))).resolves.toBe('没有符合条件的投递记录。');
    expect((await apiDeliveries()).find((d) => d.id === dead.id)!.status).toBe('pending');

    await page.goto(`${base}/notifications?status=pending#deliveries`);
    const row = page.locator(`#delivery-${dead.id}`);
    await expect(text(cell(row, '状态'))).resolves.toBe('待发送');
    await expect(cell(row, '下次尝试').innerText()).resolves.toBe('已到期，等待发送\n渠道配置错误，暂不发送');
    const audit = (await app.t.call('GET', `/api/audit?entity=delivery&entityId=${dead.id}`)).body.items;
    expect(audit.map((a: { actor: string; action: string }) => `${a.actor} ${a.action}`)).toEqual(['xwb01 retry']);

    // Filters the API would refuse: said next to the filter, with a 400.
    const res = await page.goto(`${base}/notifications?status=lost&channelId=999`);
    expect(res!.status()).toBe(400);
    await expect(text(page.locator('#delivery-filters label:has([name="status"]) .field-error'))).resolves.toBe('请从列表中选择状态');
    await expect(text(page.locator('#delivery-filters label:has([name="channelId"]) .field-error'))).resolves.toBe('请从列表中选择渠道（该渠道可能已删除）');
    await page.context().close();
  });

  it('when an admin adds a webhook without a secret, then the generated secret is shown once, and it is the one messages are signed with', async () => {
    const page = await app.pageAs('admin1', '/notifications');
    await openForm(page);
    const form = page.locator('#channel-form');
    await form.locator('input[name="name"]').fill('舆情系统对接');
    await form.locator('select[name="kind"]').selectOption('webhook');
    await form.locator('input[name="url"]').fill(webhook.url);
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(200);
    const shown = await text(page.locator('#new-secret code.secret'));
    expect(shown).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    await expect(text(page.locator('#new-secret'))).resolves.toContain('密钥只显示这一次');
    await page.screenshot({ path: `${SHOTS}/notifications-webhook-secret.png`, fullPage: true });
    const hook = (await apiChannels()).find((c) => c.name === '舆情系统对接')!;
    channelId.webhook = hook.id;
    expect(hook.hasSecret).toBe(true);

    // The receiver now checks signatures with the secret the page showed.
    webhook.secret = shown!;
    await page.goto(`${base}/notifications`);
    await expect(page.locator('#new-secret').count()).resolves.toBe(0);
    expect(await page.content()).not.toContain(shown!);
    await expect(submit(page, channelRow(page, hook.id).getByRole('button', { name: '发送测试消息' }))).resolves.toBe(200);
    await expect(text(page.locator('#test-result strong'))).resolves.toBe('成功');
    expect(webhook.accepted).toHaveLength(1);
    expect(webhook.accepted[0]!.body.type).toBe('test');
    await page.context().close();
  });

  it('when an admin disables, enables and deletes a channel, then the list follows', async () => {
    const page = await app.pageAs('admin1', '/notifications');
    const row = channelRow(page, channelId.webhook!);
    await expect(submit(page, row.getByRole('button', { name: '停用“舆情系统对接”' }))).resolves.toBe(303);
    await expect(text(cell(row, '状态').locator('.st'))).resolves.toBe('已停用');
    expect((await apiChannels()).find((c) => c.id === channelId.webhook)!.enabled).toBe(false);
    await expect(submit(page, row.getByRole('button', { name: '启用“舆情系统对接”' }))).resolves.toBe(303);
    await expect(text(cell(row, '状态').locator('.st'))).resolves.toBe('正常');

    // Deleting asks first.
    await expect(row.getByRole('button', { name: '确认删除“舆情系统对接”' }).isVisible()).resolves.toBe(false);
    await row.locator('details.confirm > summary').click();
    await expect(text(row.locator('details.confirm p'))).resolves.toBe('删除后，该渠道的投递记录一并删除，无法恢复。');
    await expect(submit(page, row.getByRole('button', { name: '确认删除“舆情系统对接”' }))).resolves.toBe(303);
    await expect(row.count()).resolves.toBe(0);
    expect((await apiChannels()).map((c) => c.name)).toEqual(['新闻办值班群', '企业微信值班群']);
    await page.context().close();
  });
});

describe('who sees what', () => {
  it('when the press office opens the page, then it can test channels and resend, but not add, disable or delete', async () => {
    const page = await app.pageAs('xwb01', '/notifications');
    await expect(page.locator('header nav a', { hasText: '通知' }).count()).resolves.toBe(1);
    await expect(page.locator('#channel-form').count()).resolves.toBe(0);
    await expect(page.locator('main').textContent()).resolves.not.toContain('添加通知渠道');
    const rows = await page.locator('#channels tbody tr[data-id]').count();
    expect(rows).toBe(2);
    await expect(page.getByRole('button', { name: '发送测试消息' }).count()).resolves.toBe(rows);
    await expect(page.getByRole('button', { name: /停用|启用|删除/ }).count()).resolves.toBe(0);
    await expect(page.locator('details.confirm').count()).resolves.toBe(0);
    // No 编辑 either: changing a channel is the admin's.
    await expect(page.locator('#channels details.edit, #channels tr.edit-row').count()).resolves.toBe(0);
    await expect(page.locator('#channels').getByText('编辑', { exact: true }).count()).resolves.toBe(0);
    await expect(page.locator('#channels form[action*="/edit"]').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: '重新发送' }).count()).resolves.toBe(1); // the pending one

    await expect(submit(page, channelRow(page, channelId.dingtalk!).getByRole('button', { name: '发送测试消息' }))).resolves.toBe(200);
    await expect(text(page.locator('#test-result strong'))).resolves.toBe('成功');
    await page.screenshot({ path: `${SHOTS}/notifications-press.png`, fullPage: true });

    // The admin's posts, sent by hand: refused like the API calls they stand for.
    const before = await apiChannels();
    for (const [path, form] of [
      ['/notifications/channels', { name: '越权渠道', kind: 'wecom', url: platforms.unknownUrl('wecom') }],
      [`/notifications/channels/${channelId.dingtalk}/enabled`, { enabled: 'false' }],
      [`/notifications/channels/${channelId.dingtalk}/edit`, { name: '越权改名', url: platforms.unknownUrl('dingtalk') }],
      [`/notifications/channels/${channelId.dingtalk}/delete`, {}],
    ] as const) {
      const res = await page.request.post(`${base}${path}`, { headers: { Origin: base }, form, maxRedirects: 0 });
      expect(res.status(), path).toBe(403);
      expect(await res.text(), path).toContain('无权访问');
    }
    // Without our Origin, even an allowed post is refused.
    const crossSite = await page.request.post(`${base}/notifications/channels/${channelId.dingtalk}/test`, {
      headers: { Origin: 'https://evil.example' },
      maxRedirects: 0,
    });
    expect(crossSite.status()).toBe(403);
    expect(await apiChannels()).toEqual(before);
    await page.context().close();
  });

  for (const username of ['fgw01', 'leader1']) {
    it(`when ${username} opens /notifications, then the 403 page, no 通知 in the menu, and its posts are refused`, async () => {
      const page = await app.pageAs(username, '/');
      await expect(page.locator('header nav a', { hasText: '通知' }).count()).resolves.toBe(0);
      const res = await page.goto(`${base}/notifications`);
      expect(res!.status()).toBe(403);
      await expect(page.locator('h1').textContent()).resolves.toBe('无权访问');
      await expect(text(page.locator('main .notice'))).resolves.toBe('当前角色无权查看通知渠道和投递记录。如需访问，请联系管理员。');
      const sentBefore = dingtalk.all.length;
      for (const path of [`/notifications/channels/${channelId.dingtalk}/test`, `/notifications/deliveries/1/retry`]) {
        const post = await page.request.post(`${base}${path}`, { headers: { Origin: base }, maxRedirects: 0 });
        expect(post.status(), path).toBe(403);
      }
      expect(dingtalk.all.length).toBe(sentBefore);
      await page.context().close();
    });
  }
});

describe('layout', () => {
  it('when seen on a 390 px phone, then the page, the form with its errors and a test result do not scroll sideways', async () => {
    const page = await app.pageAs('admin1', '/notifications', 390, 844);
    await expect(page.locator('#channels thead').isVisible()).resolves.toBe(false); // rows are stacked cards
    await expect(page.locator('#delivery-log thead').isVisible()).resolves.toBe(false);
    await expect(cell(channelRow(page, channelId.wecom!), '最近错误').isVisible()).resolves.toBe(true);
    await noSidewaysScroll(page);
    await page.screenshot({ path: `${SHOTS}/notifications-phone.png`, fullPage: true });

    await openForm(page);
    await page.locator('#channel-form input[name="url"]').fill('ftp://x');
    await expect(submit(page, page.locator('#channel-form button[type="submit"]'))).resolves.toBe(400);
    await expect(errorNextTo(page.locator('#channel-form'), 'name').textContent()).resolves.toBe('请填写渠道名称');
    await noSidewaysScroll(page);
    await page.screenshot({ path: `${SHOTS}/notifications-form-phone.png`, fullPage: true });

    await page.goto(`${base}/notifications`);
    await expect(submit(page, channelRow(page, channelId.wecom!).getByRole('button', { name: '发送测试消息' }))).resolves.toBe(200);
    await expect(page.locator('#test-result').isVisible()).resolves.toBe(true);
    await noSidewaysScroll(page);
    await page.screenshot({ path: `${SHOTS}/notifications-test-phone.png`, fullPage: true });
    await page.context().close();
  });
});

describe('editing a channel', () => {
  const WECOM_KEY = 'wecom-key-0123456789abcdef0123';
  const editForm = (page: Page, id: number) => page.locator(`#edit-form-${id}`);
  const openEdit = async (page: Page, id: number) => {
    await page.locator(`#edit-${id} > summary`).click();
    await expect(editForm(page, id).isVisible()).resolves.toBe(true);
  };

  it('when an admin opens 编辑, then the form holds the channel’s settings but never its address or secret, and saving one change keeps the rest', async () => {
    const page = await app.pageAs('admin1', '/notifications');
    const id = channelId.dingtalk!;
    await expect(text(page.locator(`#edit-${id} > summary`))).resolves.toBe('编辑');
    await expect(editForm(page, id).isVisible()).resolves.toBe(false);
    await openEdit(page, id);
    const form = editForm(page, id);
    await expect(form.locator('input[name="name"]').inputValue()).resolves.toBe('新闻办值班群');
    await expect(form.locator('input[name="url"]').inputValue()).resolves.toBe('');
    await expect(form.locator('input[name="url"]').getAttribute('placeholder')).resolves.toBe('留空表示不修改');
    const urlNote = (await text(form.locator('label:has([name="url"]) .muted')))!;
    expect(urlNote).toContain('access_token=dd01…89ab');
    expect(urlNote).toContain('留空表示不修改');
    await expect(form.locator('input[name="secret"]').getAttribute('type')).resolves.toBe('password');
    await expect(form.locator('input[name="secret"]').inputValue()).resolves.toBe('');
    await expect(text(form.locator('label:has([name="secret"]) .muted'))).resolves.toContain('当前：已设置（不显示）');
    await expect(form.locator('input[name="clearSecret"]').isChecked()).resolves.toBe(false);
    await expect(form.locator('input[name="keyword"]').inputValue()).resolves.toBe('舆情');
    const checked = await form.locator('input[name="alertTypes"]:checked').all();
    await expect(Promise.all(checked.map((c) => c.getAttribute('value')))).resolves.toEqual(['incident_opened', 'commitment_missed']);
    await expect(form.locator('input[name="departmentCodes"][value="fgw"]').isChecked()).resolves.toBe(true);
    await expect(form.locator('input[name="departmentCodes"][value="jyj"]').isChecked()).resolves.toBe(false);
    await expect(form.locator('select[name="minSeverity"]').inputValue()).resolves.toBe('large');
    await expect(form.locator('input[name="escalation"]').isChecked()).resolves.toBe(true);
    await expect(form.locator('input[name="mentionMobiles"]').inputValue()).resolves.toBe('13800000001, 13900000002');
    const html = await page.content();
    expect(html).not.toContain(DINGTALK_TOKEN);
    expect(html).not.toContain(DINGTALK_SECRET);
    await page.screenshot({ path: `${SHOTS}/notifications-edit.png`, fullPage: true });

    // A new secret and 清除密钥 at once: said next to the secret, nothing saved.
    await form.locator('input[name="secret"]').fill('SECanother0123456789');
    await form.locator('input[name="clearSecret"]').check();
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(400);
    await expect(text(errorNextTo(form, 'secret'))).resolves.toBe('填写了新密钥又勾选了“清除密钥”，请只选其一');
    await expect(form.locator('.field-error').count()).resolves.toBe(1);
    await expect(form.isVisible()).resolves.toBe(true);
    await expect(form.locator('input[name="secret"]').inputValue()).resolves.toBe('');

    // Nothing changed: said so, nothing written.
    await form.locator('input[name="clearSecret"]').uncheck();
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(400);
    await expect(text(form.locator('[role="alert"]'))).resolves.toBe('没有修改任何设置。');

    // Only the minimum severity: saved; the address, secret and keyword stay, and messages are still signed.
    await form.locator('select[name="minSeverity"]').selectOption('major');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(303);
    expect(page.url()).toBe(`${base}/notifications#channel-${id}`);
    const saved = (await apiChannels()).find((c) => c.id === id)!;
    expect(saved).toMatchObject({
      name: '新闻办值班群',
      hasSecret: true,
      keyword: '舆情',
      alertTypes: ['incident_opened', 'commitment_missed'],
      departmentCodes: ['fgw'],
      minSeverity: 'major',
      escalation: true,
      mentionMobiles: ['13800000001', '13900000002'],
    });
    await expect(text(cell(channelRow(page, id), '接收范围').locator('[data-scope="minSeverity"]'))).resolves.toBe('级别：重大及以上');
    const audit = (await app.t.call('GET', `/api/audit?entity=channel&entityId=${id}`)).body.items;
    expect(audit[0]).toMatchObject({ actor: 'admin1', action: 'update', before: { minSeverity: 'large' }, after: { minSeverity: 'major', hasSecret: true } });
    const before = dingtalk.accepted.length;
    await expect(submit(page, channelRow(page, id).getByRole('button', { name: '发送测试消息' }))).resolves.toBe(200);
    await expect(text(page.locator('#test-result strong'))).resolves.toBe('成功');
    expect(dingtalk.accepted.length).toBe(before + 1);
    await page.context().close();
  });

  it('when an admin fixes a WeCom channel marked 配置错误 by pasting a working robot URL, then the mark goes and the deliveries that waited are sent', async () => {
    const robot = platforms.robot('wecom', WECOM_KEY);
    const id = channelId.wecom!;
    // One more alert while the channel is misconfigured: its delivery waits with the one resent earlier.
    const incident = await app.t.call('POST', '/api/incidents', { title: '某学校食堂疑似食物中毒', severity: 'general', departmentCode: 'jyj' });
    expect(incident.status).toBe(201);
    await app.t.call('POST', '/api/jobs/deliver');
    const waiting = (await apiDeliveries()).filter((d) => d.channelId === id && d.status === 'pending');
    expect(waiting).toHaveLength(2);
    expect(robot.all).toHaveLength(0);

    const page = await app.pageAs('admin1', '/notifications');
    const row = channelRow(page, id);
    await expect(text(cell(row, '状态').locator('.st'))).resolves.toBe('配置错误');
    await openEdit(page, id);
    const form = editForm(page, id);
    // WeCom has no secret: the form does not ask for one.
    await expect(form.locator('input[name="secret"]').count()).resolves.toBe(0);

    // Bad values: each said next to its field; nothing saved, the mark stays.
    await form.locator('input[name="url"]').fill('ftp://x');
    await form.locator('input[name="mentionMobiles"]').fill('13800000001, 12345');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(400);
    expect(page.url()).toMatch(new RegExp(`/notifications/channels/${id}/edit#edit-${id}$`));
    await expect(form.isVisible()).resolves.toBe(true);
    await expect(text(errorNextTo(form, 'url'))).resolves.toBe('地址应以 http:// 或 https:// 开头（邮件渠道写 mailto:收件人）');
    await expect(text(errorNextTo(form, 'mentionMobiles'))).resolves.toBe('手机号无效：12345（应为 11 位数字，以 1 开头）');
    await expect(form.locator('.field-error').count()).resolves.toBe(2);
    await expect(form.locator('input[name="url"]').inputValue()).resolves.toBe('ftp://x');
    await expect(form.locator('input[name="url"]').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.screenshot({ path: `${SHOTS}/notifications-edit-errors.png`, fullPage: true });
    expect((await apiChannels()).find((c) => c.id === id)).toMatchObject({ health: 'misconfigured', mentionMobiles: [] });

    // Changing only whom to @ is no fix: saved, and the channel stays 配置错误.
    await form.locator('input[name="url"]').fill('');
    await form.locator('input[name="mentionMobiles"]').fill('13800000001');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(303);
    expect((await apiChannels()).find((c) => c.id === id)).toMatchObject({ health: 'misconfigured', mentionMobiles: ['13800000001'] });
    await expect(text(cell(row, '状态').locator('.st'))).resolves.toBe('配置错误');

    // The working robot's address: the mark goes.
    await openEdit(page, id);
    await form.locator('input[name="url"]').fill(robot.url);
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(303);
    expect(page.url()).toBe(`${base}/notifications#channel-${id}`);
    await expect(text(cell(row, '状态').locator('.st'))).resolves.not.toBe('配置错误');
    await expect(text(cell(row, '状态'))).resolves.not.toContain('已暂停发送');
    await expect(text(cell(row, '地址'))).resolves.toContain('key=weco…0123');
    expect((await apiChannels()).find((c) => c.id === id)!.health).not.toBe('misconfigured');
    const audit = (await app.t.call('GET', `/api/audit?entity=channel&entityId=${id}`)).body.items;
    expect(audit[0]).toMatchObject({ actor: 'admin1', action: 'update', after: { url: expect.stringContaining('key=weco…0123') } });
    expect(JSON.stringify(audit)).not.toContain(WECOM_KEY);

    // The deliveries that waited go out at the next run, and the log says 已发送.
    const report = await app.t.call('POST', '/api/jobs/deliver');
    expect(report.body).toEqual({ sent: 2, failed: 0, merged: 0 });
    // Two messages, each followed by the text that @-mentions the mobile set above.
    expect(robot.accepted.map((r) => r.body.msgtype)).toEqual(['markdown', 'text', 'markdown', 'text']);
    expect(robot.accepted[1]!.body.text.mentioned_mobile_list).toEqual(['13800000001']);
    await page.goto(`${base}/notifications?channelId=${id}#deliveries`);
    await expect(text(cell(row, '状态').locator('.st'))).resolves.toBe('正常');
    for (const d of waiting) {
      await expect(text(cell(page.locator(`#delivery-${d.id}`), '状态').locator('.st'))).resolves.toBe('已发送');
    }
    expect((await apiDeliveries()).filter((d) => d.channelId === id && d.status === 'pending')).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/notifications-edit-fixed.png`, fullPage: true });
    await page.context().close();
  });

  it('when an admin opens 编辑 on a 390 px phone, then the form does not scroll sideways', async () => {
    const page = await app.pageAs('admin1', '/notifications', 390, 844);
    await openEdit(page, channelId.dingtalk!);
    await noSidewaysScroll(page);
    await page.locator(`#edit-${channelId.dingtalk}`).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/notifications-edit-phone.png`, fullPage: true });
    await page.locator(`tr.edit-row[data-edit-for="${channelId.dingtalk}"]`).screenshot({ path: `${SHOTS}/notifications-edit-phone-form.png` });
    await page.context().close();
  });
});

// With PUBLIC_URL set, links in messages are absolute and the notice goes. The browser service
// runs without it, so this runs in-process: the same pages, a signed-in press account.
describe('PUBLIC_URL', () => {
  it('when PUBLIC_URL is set, then the page does not warn about bare paths', async () => {
    const t = await startTestApp({ config: { publicUrl: 'https://zwgk.example.gov.cn' } });
    try {
      const created = await t.call('POST', '/api/users', { username: 'xwb02', displayName: '新闻办', role: 'press', password: 'xwb02-secret-pass' });
      expect(created.status).toBe(201);
      const cookie = await apiSignIn(t, 'xwb02', 'xwb02-secret-pass');
      const res = await t.app.request('/notifications', { headers: { Cookie: cookie } });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('<h1>通知</h1>');
      expect(html).not.toContain('PUBLIC_URL');
    } finally {
      t.close();
    }
  });
});

it('has no page errors or console errors', () => {
  // Refused posts and pages (400/403) are the answers these tests asked for; Chromium logs each
  // 4xx main-document response as "Failed to load resource", so exactly those are left out.
  const failedResource = /^console: Failed to load resource: the server responded with a status of 4\d\d \([^)]*\)$/;
  expect(app.problems.filter((p) => !failedResource.test(p))).toEqual([]);
});
