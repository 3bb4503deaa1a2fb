import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDocument, TOKEN } from '../support/app.js';
import { SHOTS, startBrowserApp, submit, type BrowserApp } from '../support/browser.js';

// Administration on the web (SPEC §15) in a real browser, from a fresh service with no account:
// /setup makes the first admin; the admin registers departments and makes a drafter on
// /admin/users; the drafter sees only their department's forms; disabled, their open page's next
// action is refused; a new version of the response policy applies to a new incident, not an old
// one; a wall-screen link shows the board in large type, refreshes itself, and once revoked is a
// 404. Each page at 390 px. The app clock stands at Friday 2026-11-20 10:00 Beijing time.

let app: BrowserApp;
let base: string;
/** The first admin's page, signed in through /setup. */
let admin: Page;
/** The same admin on a phone, for the 390 px screenshots. */
let phone: Page;

const ADMIN = { username: 'admin', displayName: '系统管理员', password: 'Zhengwu-Gongkai-2026' };
const DRAFTER = { username: 'fgw01', displayName: '发改委起草人', password: 'Fgw-Drafter-2026x' };

beforeAll(async () => {
  app = await startBrowserApp(undefined, { bare: true });
  base = app.base;
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const text = async (l: Locator) => (await l.textContent())?.replace(/\s+/g, ' ').trim();
const errorIn = (form: Locator, name: string) => form.locator(`[data-field="${name}"]`);
const noSidewaysScroll = async (page: Page) => expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
const failedResource = /^console: Failed to load resource: the server responded with a status of 4\d\d \([^)]*\)$/;

async function signInAs(page: Page, username: string, password: string, path = '/'): Promise<void> {
  await page.goto(`${base}${path}`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await submit(page, page.locator('form[action="/login"] button[type="submit"]'));
}

/** Opens a page at 390 px on the phone, checks nothing scrolls sideways, and screenshots it. */
async function onPhone(path: string, shot: string): Promise<void> {
  await phone.goto(`${base}${path}`);
  await noSidewaysScroll(phone);
  await phone.screenshot({ path: `${SHOTS}/${shot}-390.png`, fullPage: true });
}

describe('first run', () => {
  it('when a fresh service is opened at /setup, then a wrong token is refused next to the field', async () => {
    const page = await app.newPage();
    await page.goto(`${base}/setup`);
    await expect(text(page.locator('h1'))).resolves.toBe('首次设置');
    await expect(page.locator('header nav').count()).resolves.toBe(0);
    const form = page.locator('#token-form');
    await form.locator('input[name="token"]').fill('not-the-admin-token');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(403);
    await expect(text(errorIn(page.locator('#token-form'), 'token'))).resolves.toBe('管理员令牌不正确');
    await expect(page.locator('input[name="username"]').count()).resolves.toBe(0);
    await page.screenshot({ path: `${SHOTS}/setup-token.png`, fullPage: true });
    await page.context().close();

    const small = await app.newPage(390, 844);
    await small.goto(`${base}/setup`);
    await noSidewaysScroll(small);
    await small.screenshot({ path: `${SHOTS}/setup-token-390.png`, fullPage: true });
    await small.goto(`${base}/setup?token=${TOKEN}`);
    await noSidewaysScroll(small);
    await small.screenshot({ path: `${SHOTS}/setup-admin-390.png`, fullPage: true });
    await small.context().close();
  });

  it('when the link with the token is opened, then the token leaves the address bar, and the first admin is made, signed in and sent to /admin/users', async () => {
    admin = await app.newPage();
    await admin.goto(`${base}/setup?token=${TOKEN}`);
    expect(admin.url()).toBe(`${base}/setup`);
    const form = admin.locator('#admin-form');
    // A common password and a repeat that differs: said next to each field.
    await form.locator('input[name="username"]').fill(ADMIN.username);
    await form.locator('input[name="displayName"]').fill(ADMIN.displayName);
    await form.locator('input[name="password"]').fill('admin@123456');
    await form.locator('input[name="passwordRepeat"]').fill('admin@1234567');
    await expect(submit(admin, form.locator('button[type="submit"]'))).resolves.toBe(400);
    const again = admin.locator('#admin-form');
    await expect(text(errorIn(again, 'password'))).resolves.toMatch(/^密码过于常见，容易被猜到/);
    await expect(text(errorIn(again, 'passwordRepeat'))).resolves.toBe('两次输入的密码不一致');
    await expect(again.locator('input[name="username"]').inputValue()).resolves.toBe('admin');
    await expect(again.locator('input[name="password"]').inputValue()).resolves.toBe('');
    await admin.screenshot({ path: `${SHOTS}/setup-admin-error.png`, fullPage: true });

    await again.locator('input[name="password"]').fill(ADMIN.password);
    await again.locator('input[name="passwordRepeat"]').fill(ADMIN.password);
    await expect(submit(admin, again.locator('button[type="submit"]'))).resolves.toBe(303);
    expect(admin.url()).toBe(`${base}/admin/users?welcome=1`);
    await expect(text(admin.locator('#welcome'))).resolves.toMatch(/^管理员账户已创建，您已登录/);
    await expect(text(admin.locator('header a[aria-current="page"]'))).resolves.toBe('管理');
    await expect(text(admin.locator('header .me-link'))).resolves.toBe('admin（管理员）');
    await admin.screenshot({ path: `${SHOTS}/admin-users-welcome.png`, fullPage: true });

    // The door is closed now.
    const closed = await app.newPage();
    const res = await closed.goto(`${base}/setup?token=${TOKEN}`);
    expect(res!.status()).toBe(404);
    await expect(text(closed.locator('h1'))).resolves.toBe('未找到');
    await closed.context().close();

    phone = await app.newPage(390, 844);
    await signInAs(phone, ADMIN.username, ADMIN.password, '/admin');
  });
});

describe('departments and users', () => {
  it('when the admin registers departments on /admin/departments, then mistakes are said next to the fields, names are listed, and a rename keeps the code', async () => {
    await admin.goto(`${base}/admin`);
    // The overview names the response time limits of all four severities.
    const limits = await text(admin.locator('a.card[href="/admin/policy"] p'));
    for (const label of ['特别重大', '重大', '较大', '一般']) expect(limits).toContain(`${label} `);
    expect(limits).toMatch(/^现行第 1 版：特别重大 .+；重大 .+；较大 .+；一般 .+。$/);
    await Promise.all([admin.waitForURL(`${base}/admin/departments`), admin.locator('.tabs a', { hasText: '部门' }).click()]);
    const form = () => admin.locator('#department-form');
    await expect(submit(admin, form().locator('button[type="submit"]'))).resolves.toBe(400);
    await expect(text(errorIn(form(), 'name'))).resolves.toBe('请填写部门名称');
    await expect(text(errorIn(form(), 'code'))).resolves.toBe('请填写部门代码');
    for (const [name, code] of [['市发展改革委', 'fgw'], ['市教育局', 'jyj'], ['市应急管理局', 'yjj']] as const) {
      await form().locator('input[name="name"]').fill(name);
      await form().locator('input[name="code"]').fill(code);
      await expect(submit(admin, form().locator('button[type="submit"]'))).resolves.toBe(303);
      await expect(text(admin.locator('#done'))).resolves.toBe(`已登记部门 ${name}。`);
    }
    await form().locator('input[name="name"]').fill('重复的部门');
    await form().locator('input[name="code"]').fill('fgw');
    await expect(submit(admin, form().locator('button[type="submit"]'))).resolves.toBe(409);
    await expect(text(errorIn(form(), 'code'))).resolves.toBe('部门代码 fgw 已存在');

    const row = admin.locator('#department-jyj');
    await row.locator('summary').click();
    await row.locator('input[name="name"]').fill('市教育委员会');
    await expect(submit(admin, row.locator('button[type="submit"]'))).resolves.toBe(303);
    await expect(text(admin.locator('#department-jyj td[data-label="名称"]'))).resolves.toBe('市教育委员会');
    await expect(text(admin.locator('#done'))).resolves.toBe('部门名称已改为 市教育委员会。');
    await admin.screenshot({ path: `${SHOTS}/admin-departments.png`, fullPage: true });
    await onPhone('/admin/departments', 'admin-departments');
  });

  it('when the admin creates a drafter on /admin/users, then mistakes are said next to the fields, and the list shows department names', async () => {
    await admin.goto(`${base}/admin/users`);
    const form = () => admin.locator('#user-form');
    await form().locator('input[name="username"]').fill(DRAFTER.username);
    await form().locator('input[name="displayName"]').fill(DRAFTER.displayName);
    await form().locator('select[name="role"]').selectOption('drafter');
    await form().locator('input[name="password"]').fill('qwertyuiop123');
    await expect(submit(admin, form().locator('button[type="submit"]'))).resolves.toBe(400);
    await expect(text(errorIn(form(), 'password'))).resolves.toMatch(/^密码过于常见/);
    // The password is asked for again; the rest is kept.
    await expect(form().locator('input[name="username"]').inputValue()).resolves.toBe(DRAFTER.username);
    await form().locator('input[name="password"]').fill(DRAFTER.password);
    await expect(submit(admin, form().locator('button[type="submit"]'))).resolves.toBe(400);
    await expect(text(errorIn(form(), 'departmentCodes'))).resolves.toBe('起草部门账户至少要指定一个部门');
    await expect(text(form().locator('fieldset.choices label').first())).resolves.toBe('市发展改革委（fgw）');

    await form().locator('input[name="departmentCodes"][value="fgw"]').check();
    await form().locator('input[name="password"]').fill(DRAFTER.password);
    await expect(submit(admin, form().locator('button[type="submit"]'))).resolves.toBe(303);
    await expect(text(admin.locator('#done'))).resolves.toBe('已创建用户 fgw01（起草部门）。');
    const row = admin.locator('#user-list tr[data-username="fgw01"]');
    await expect(text(row.locator('td[data-label="部门"]'))).resolves.toBe('市发展改革委');
    await expect(text(row.locator('td[data-label="角色"]'))).resolves.toBe('起草部门');
    await expect(text(row.locator('td[data-label="状态"]'))).resolves.toBe('正常');

    // A press officer too, then the leader, changed to 领导 afterwards through 编辑.
    await form().locator('input[name="username"]').fill('leader1');
    await form().locator('input[name="displayName"]').fill('分管领导');
    await form().locator('select[name="role"]').selectOption('press');
    await form().locator('input[name="password"]').fill('Fenguan-Lingdao-88');
    await expect(submit(admin, form().locator('button[type="submit"]'))).resolves.toBe(303);
    const leader = admin.locator('#user-list tr[data-username="leader1"]');
    await leader.locator('summary', { hasText: '编辑' }).click();
    await leader.locator('select[name="role"]').selectOption('leader');
    await admin.screenshot({ path: `${SHOTS}/admin-users-edit.png`, fullPage: true });
    await expect(submit(admin, leader.locator('form[action*="/edit"] button[type="submit"]'))).resolves.toBe(303);
    await expect(text(admin.locator('#user-list tr[data-username="leader1"] td[data-label="角色"]'))).resolves.toBe('领导');
    await expect(text(admin.locator('#done'))).resolves.toBe('已保存用户 leader1 的修改。');
    // The admin's own row offers no 停用.
    await expect(admin.locator('#user-list tr[data-username="admin"] details.confirm').count()).resolves.toBe(0);

    const audit = (await app.t.call('GET', '/api/audit?entity=user')).body.items as { actor: string; action: string }[];
    expect(audit.map((a) => `${a.actor} ${a.action}`)).toEqual(['admin update', 'admin create', 'admin create', 'admin-token create']);
    await admin.screenshot({ path: `${SHOTS}/admin-users.png`, fullPage: true });
    await onPhone('/admin/users', 'admin-users');
    await phone.locator('#user-list tr[data-username="fgw01"] summary', { hasText: '编辑' }).click();
    await noSidewaysScroll(phone);
    await phone.screenshot({ path: `${SHOTS}/admin-users-edit-390.png`, fullPage: true });
  });

  it('when a leader or a drafter opens /admin, then the 403 page, and the header offers no 管理', async () => {
    const leader = await app.newPage();
    await signInAs(leader, 'leader1', 'Fenguan-Lingdao-88');
    await expect(leader.locator('header nav a', { hasText: '管理' }).count()).resolves.toBe(0);
    for (const path of ['/admin', '/admin/users', '/admin/departments', '/admin/policy']) {
      const res = await leader.goto(`${base}${path}`);
      expect(res!.status(), path).toBe(403);
      await expect(text(leader.locator('h1'))).resolves.toBe('无权访问');
    }
    await leader.context().close();
  });
});

describe('the drafter', () => {
  let drafter: Page;
  let own: number;
  let other: number;

  it('when the drafter signs in, then the forms offer only their own department', async () => {
    own = (await registerDocument(app.t, { docNumber: '沪发改规〔2026〕9号', title: '关于支持民营企业参与重大项目建设的实施意见', publishedAt: '2026-11-18T10:00:00+08:00' })).id;
    other = (await registerDocument(app.t, { title: '关于做好寒假期间学生安全工作的通知', departmentCode: 'jyj', publishedAt: '2026-11-18T10:00:00+08:00' })).id;
    drafter = await app.newPage();
    await signInAs(drafter, DRAFTER.username, DRAFTER.password, '/documents');
    expect(drafter.url()).toBe(`${base}/documents`);
    await expect(drafter.locator('header nav a', { hasText: '管理' }).count()).resolves.toBe(0);
    const options = await drafter.locator('#register-form select[name="departmentCode"] option').allTextContents();
    expect(options).toEqual(['市发展改革委']);

    await drafter.goto(`${base}/documents/${other}`);
    await expect(drafter.locator('#add-interpretation').count()).resolves.toBe(0);
    await expect(drafter.getByText('此文件属于其他部门').count()).resolves.toBe(1);
    await drafter.goto(`${base}/documents/${own}`);
    await expect(drafter.locator('#add-interpretation').count()).resolves.toBe(1);
    await drafter.goto(`${base}/documents`);
  });

  it('when the admin disables the drafter, then the drafter’s open page’s next action is refused and nothing is written', async () => {
    // The drafter is filling in the register form …
    await drafter.locator('details.register summary').click();
    await drafter.locator('#register-form input[name="title"]').fill('关于进一步降低企业用电成本的通知');
    await drafter.locator('#register-form input[name="publishedAt"]').fill('2026-11-19T10:00');

    // … when the admin disables the account.
    await admin.goto(`${base}/admin/users`);
    const row = admin.locator('#user-list tr[data-username="fgw01"]');
    await row.locator('details.confirm summary').click();
    await expect(submit(admin, row.locator('details.confirm button[type="submit"]'))).resolves.toBe(303);
    await expect(text(admin.locator('#done'))).resolves.toBe('已停用用户 fgw01：其登录、个人令牌和日历订阅已立即失效。');
    await expect(text(admin.locator('#user-list tr[data-username="fgw01"] td[data-label="状态"]'))).resolves.toBe('已停用');

    await submit(drafter, drafter.locator('#register-form button[type="submit"]'));
    expect(drafter.url()).toBe(`${base}/login?next=%2Fdocuments`);
    const titles = (await app.t.call('GET', '/api/documents')).body.items.map((d: { title: string }) => d.title);
    expect(titles).not.toContain('关于进一步降低企业用电成本的通知');
    // Signing in again is refused too.
    await drafter.fill('input[name="username"]', DRAFTER.username);
    await drafter.fill('input[name="password"]', DRAFTER.password);
    await submit(drafter, drafter.locator('form[action="/login"] button[type="submit"]'));
    await expect(text(drafter.locator('[role="alert"]'))).resolves.toBe('该账户已停用');
    await drafter.context().close();

    // 启用 brings the account back.
    await expect(submit(admin, admin.locator('#user-list tr[data-username="fgw01"] button', { hasText: '启用' }))).resolves.toBe(303);
    await expect(text(admin.locator('#user-list tr[data-username="fgw01"] td[data-label="状态"]'))).resolves.toBe('正常');
  });
});

describe('the response policy', () => {
  it('when the admin saves a new version, then a new incident gets the new durations and an old one keeps its own', async () => {
    const old = await app.t.call('POST', '/api/incidents', { title: '某区化工厂火灾', severity: 'major', departmentCode: 'yjj', startedAt: '2026-11-20T09:00:00+08:00' });
    expect(old.status).toBe(201);

    await admin.goto(`${base}/admin/policy`);
    await expect(admin.locator('#policy-versions tbody tr').count()).resolves.toBe(1);
    const field = (name: string) => admin.locator(`#policy-form input[name="${name}"]`);
    await expect(field('hours.major.authoritative_release').inputValue()).resolves.toBe('5');
    await expect(field('hours.major.press_conference').inputValue()).resolves.toBe('24');
    await expect(field('hours.general.authoritative_release').inputValue()).resolves.toBe('');

    // Saving nothing new, then a wrong number: both said, no version written.
    await expect(submit(admin, admin.locator('#policy-form button[type="submit"]'))).resolves.toBe(400);
    await expect(text(admin.locator('#policy-form [role="alert"]'))).resolves.toBe('没有修改任何时限，未生成新版本。');
    await field('hours.major.authoritative_release').fill('三小时');
    await expect(submit(admin, admin.locator('#policy-form button[type="submit"]'))).resolves.toBe(400);
    await expect(text(errorIn(admin.locator('#policy-form'), 'hours.major.authoritative_release'))).resolves.toBe(
      '请填写 0 到 8760 之间的小时数（可含两位小数），不适用则留空',
    );
    await expect(field('hours.major.authoritative_release').inputValue()).resolves.toBe('三小时');

    await field('hours.major.authoritative_release').fill('3');
    await field('hours.major.press_conference').fill('12');
    await expect(submit(admin, admin.locator('#policy-form button[type="submit"]'))).resolves.toBe(303);
    await expect(text(admin.locator('#saved'))).resolves.toBe('已保存为第 2 版：此后新产生的回应承诺按新时限计时，已有承诺不变。');
    const latest = admin.locator('#policy-versions tbody tr').first();
    await expect(text(latest.locator('td[data-label="版本"]'))).resolves.toBe('第 2 版现行');
    await expect(text(latest.locator('td[data-label="修改人"]'))).resolves.toBe('admin');
    await expect(text(latest.locator('td[data-label="重大"]'))).resolves.toBe('发布权威信息 3 小时、召开新闻发布会 12 小时');
    await admin.screenshot({ path: `${SHOTS}/admin-policy.png`, fullPage: true });
    await onPhone('/admin/policy', 'admin-policy');

    const fresh = await app.t.call('POST', '/api/incidents', { title: '某路段路面塌陷', severity: 'major', departmentCode: 'yjj', startedAt: '2026-11-20T09:30:00+08:00' });
    const dues = async (id: number) => {
      await admin.goto(`${base}/incidents/${id}`);
      return (await admin.locator('.commitments li').allTextContents()).map((s) => /时限 (\d{4}-\d{2}-\d{2} \d{2}:\d{2})/.exec(s)?.[1]);
    };
    expect(await dues(fresh.body.id)).toEqual(['2026-11-20 12:30', '2026-11-20 21:30']);
    expect(await dues(old.body.id)).toEqual(['2026-11-20 14:00', '2026-11-21 09:00']);
  });
});

describe('wall-screen links', () => {
  let url: string;
  let screen: Page;

  it('when the admin makes a link on /admin, then its address is shown once', async () => {
    await admin.goto(`${base}/admin`);
    const form = () => admin.locator('#display-link-form');
    await expect(submit(admin, form().locator('button[type="submit"]'))).resolves.toBe(400);
    await expect(text(errorIn(form(), 'name'))).resolves.toBe('请填写名称，如 值班室大屏');
    await form().locator('input[name="name"]').fill('值班室大屏');
    await expect(submit(admin, form().locator('button[type="submit"]'))).resolves.toBe(200);
    url = (await text(admin.locator('#new-display-link code.secret')))!;
    expect(url).toMatch(new RegExp(`^${base}/display/[A-Za-z0-9_-]{43}$`));
    await admin.screenshot({ path: `${SHOTS}/admin-home.png`, fullPage: true });
    await admin.goto(`${base}/admin`);
    expect(await admin.content()).not.toContain(url.split('/display/')[1]);
    await expect(text(admin.locator('#display-link-list tbody tr td[data-label="大屏最近载入"]'))).resolves.toBe('尚未打开');
    await onPhone('/admin', 'admin-home');
  });

  it('when a wall screen opens it, then the board fills the screen in large type, with no navigation, and the clocks tick', async () => {
    await registerDocument(app.t, { docNumber: '沪发改规〔2026〕5号', title: '关于促进民营经济发展的若干措施', publishedAt: '2026-11-02T10:00:00+08:00' });
    screen = await app.newPage(1920, 1080);
    await screen.clock.install({ time: app.t.now() });
    await screen.goto(url);
    await expect(text(screen.locator('h1'))).resolves.toBe('政策解读与舆情回应 · 值班看板');
    await expect(screen.locator('header nav, nav, form, a[href]').count()).resolves.toBe(0);
    await expect(text(screen.locator('#timers .timer').first().locator('.title'))).resolves.toBe('某路段路面塌陷');
    await expect(text(screen.locator('#timers'))).resolves.toContain('市应急管理局');
    await expect(text(screen.locator('#overdue-documents'))).resolves.toContain('关于促进民营经济发展的若干措施');
    const size = async (selector: string) => Number.parseFloat(await screen.locator(selector).first().evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(el).fontSize));
    expect(await size('.timer .countdown')).toBeGreaterThanOrEqual(48);
    expect(await size('h1')).toBeGreaterThanOrEqual(36);
    expect(await size('body')).toBeGreaterThanOrEqual(22);
    // Everything fits the screen: nothing scrolls either way.
    expect(await screen.evaluate('[document.documentElement.scrollWidth, document.documentElement.scrollHeight]')).toEqual([1920, 1080]);

    // The screen's clock, stopped 5 s after the server's 10:00:00, then run on by 2 s.
    const countdown = screen.locator('#timers .timer').first().locator('.countdown');
    await screen.clock.pauseAt(app.t.now() + 5000);
    await expect(text(countdown)).resolves.toBe('02:29:55');
    // (The page measures the clocks' offset when it loads: the load's own time may show as a second.)
    await expect(text(screen.locator('#clock'))).resolves.toMatch(/^10:00:0[45]$/);
    await screen.clock.runFor(2000);
    await expect(text(countdown)).resolves.toBe('02:29:53');
    await screen.screenshot({ path: `${SHOTS}/display-1920.png` });

    const small = await app.newPage(390, 844);
    await small.goto(url);
    await noSidewaysScroll(small);
    await small.screenshot({ path: `${SHOTS}/display-390.png`, fullPage: true });
    await small.context().close();

    await admin.goto(`${base}/admin`);
    await expect(text(admin.locator('#display-link-list tbody tr td[data-label="大屏最近载入"]'))).resolves.toBe('2026-11-20 10:00（在线）');
  });

  it('when a minute passes, then the screen reloads the board by itself', async () => {
    await app.t.call('POST', '/api/incidents', { title: '某小区供水中断', severity: 'general', departmentCode: 'yjj' });
    expect(await screen.locator('#timers').textContent()).not.toContain('某小区供水中断');
    await screen.clock.runFor(61_000);
    await screen.waitForFunction("document.getElementById('timers')?.textContent?.includes('某小区供水中断')");
    await expect(text(screen.locator('#fresh'))).resolves.toBe('数据更新于 10:00');
  });

  it('when the admin revokes the link, then the screen turns to the 404 page at its next reload, and the address stays a 404', async () => {
    await admin.goto(`${base}/admin`);
    const row = admin.locator('#display-link-list tbody tr').first();
    await row.locator('details.confirm summary').click();
    await expect(submit(admin, row.locator('details.confirm button[type="submit"]'))).resolves.toBe(303);
    await expect(text(admin.locator('#display-link-list tbody tr td[data-label="状态"]').first())).resolves.toMatch(/^已撤销/);

    await screen.clock.runFor(61_000);
    await screen.waitForFunction("document.querySelector('h1')?.textContent === '未找到'");
    const res = await screen.goto(url);
    expect(res!.status()).toBe(404);
    await screen.screenshot({ path: `${SHOTS}/display-revoked.png` });
    await screen.context().close();

    const audit = (await app.t.call('GET', '/api/audit?entity=display_link')).body.items as { actor: string; action: string }[];
    expect(audit.map((a) => `${a.actor} ${a.action}`)).toEqual(['admin revoke', 'admin create']);
  });

  it('shows no console or page errors but the refusals the tests asked for', async () => {
    expect(app.problems.filter((p) => !failedResource.test(p))).toEqual([]);
  });
});
