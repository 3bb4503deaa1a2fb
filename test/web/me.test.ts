import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDocument } from '../support/app.js';
import { password, SHOTS, startBrowserApp, submit, type BrowserApp } from '../support/browser.js';

// The /me page (我的账户) in a real browser: a drafter changes their password (an error first),
// creates a personal token that is shown once and works, revokes it, and subscribes to their
// calendar (the address shown once, the .ics served at it, rotation ending the old one); other
// roles have the page too; nothing scrolls sideways at 390 px. The app clock stands at Friday
// 2026-11-20 10:00 Beijing time.

let app: BrowserApp;
let base: string;
/** The drafter's page, signed in before the password change (its session outlives it). */
let drafter: Page;

const NEW_PASSWORD = 'fgw01-new-password-2026';

beforeAll(async () => {
  app = await startBrowserApp();
  base = app.base;
  // A pending document of the drafter's department (due 2026-11-23) and one of another department.
  await registerDocument(app.t, { docNumber: '沪发改规〔2026〕9号', title: '关于支持民营企业参与重大项目建设的实施意见', publishedAt: '2026-11-18T10:00:00+08:00' });
  await registerDocument(app.t, { title: '关于做好寒假期间学生安全工作的通知', departmentCode: 'jyj', publishedAt: '2026-11-18T10:00:00+08:00' });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const cell = (row: Locator, label: string) => row.locator(`td[data-label="${label}"]`);
const errorNextTo = (form: Locator, name: string) => form.locator(`label:has([name="${name}"]) .field-error`);
const text = async (l: Locator) => (await l.textContent())?.replace(/\s+/g, ' ').trim();
const noSidewaysScroll = (page: Page) => expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);

/** Signs in through /login with a given password; resolves to where the form led. */
async function signInWith(page: Page, username: string, pass: string, path = '/me'): Promise<string> {
  await page.goto(`${base}${path}`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', pass);
  await submit(page, page.locator('form[action="/login"] button[type="submit"]'));
  return page.url();
}

describe('a drafter’s own account', () => {
  it('when a drafter follows their name in the header, then /me shows who they are', async () => {
    drafter = await app.pageAs('fgw01', '/');
    const link = drafter.locator('header a[href="/me"]');
    await expect(text(link)).resolves.toBe('fgw01（起草部门）');
    await Promise.all([drafter.waitForURL(`${base}/me`), link.click()]);
    await expect(drafter.locator('h1').textContent()).resolves.toBe('我的账户');
    await expect(drafter.locator('header a[aria-current="page"]').getAttribute('href')).resolves.toBe('/me');
    await expect(text(drafter.locator('#profile [data-field="username"]'))).resolves.toBe('fgw01');
    await expect(text(drafter.locator('#profile [data-field="displayName"]'))).resolves.toBe('fgw01');
    await expect(text(drafter.locator('#profile [data-field="role"]'))).resolves.toBe('起草部门');
    await expect(text(drafter.locator('#profile [data-field="departments"]'))).resolves.toBe('市发展改革委');
    await expect(text(drafter.locator('#tokens ~ .empty'))).resolves.toBe('还没有个人令牌。');
    await expect(text(drafter.locator('#feed-status'))).resolves.toBe('尚未生成订阅地址。');
    await expect(drafter.getByRole('button', { name: '生成订阅地址' }).count()).resolves.toBe(1);
    await drafter.screenshot({ path: `${SHOTS}/me.png`, fullPage: true });
  });

  it('when the drafter changes their password, then mistakes are shown next to their fields, then the new one works, the old one not, and other sessions end', async () => {
    const elsewhere = await app.pageAs('fgw01', '/me'); // another device, signed in before
    const form = drafter.locator('#password-form');

    // Too short, and not repeated the same: both said next to their field, nothing changed.
    await form.locator('input[name="currentPassword"]').fill(password('fgw01'));
    await form.locator('input[name="newPassword"]').fill('short');
    await form.locator('input[name="newPasswordRepeat"]').fill('shorter');
    await expect(submit(drafter, form.locator('button[type="submit"]'))).resolves.toBe(400);
    await expect(text(errorNextTo(form, 'newPassword'))).resolves.toBe('密码至少 10 个字符');
    await expect(text(errorNextTo(form, 'newPasswordRepeat'))).resolves.toBe('两次输入的新密码不一致');
    await expect(form.locator('.field-error').count()).resolves.toBe(2);
    await expect(form.locator('input[name="newPassword"]').getAttribute('aria-invalid')).resolves.toBe('true');
    // Passwords are never written back into the page.
    await expect(form.locator('input[name="currentPassword"]').inputValue()).resolves.toBe('');
    expect(await drafter.content()).not.toContain(password('fgw01'));

    // A wrong current password.
    await form.locator('input[name="currentPassword"]').fill('not-my-password');
    await form.locator('input[name="newPassword"]').fill(NEW_PASSWORD);
    await form.locator('input[name="newPasswordRepeat"]').fill(NEW_PASSWORD);
    await expect(submit(drafter, form.locator('button[type="submit"]'))).resolves.toBe(400);
    await expect(text(errorNextTo(form, 'currentPassword'))).resolves.toBe('当前密码不正确');
    await expect(form.locator('.field-error').count()).resolves.toBe(1);
    await drafter.screenshot({ path: `${SHOTS}/me-password-error.png`, fullPage: true });

    await form.locator('input[name="currentPassword"]').fill(password('fgw01'));
    await form.locator('input[name="newPassword"]').fill(NEW_PASSWORD);
    await form.locator('input[name="newPasswordRepeat"]').fill(NEW_PASSWORD);
    await expect(submit(drafter, form.locator('button[type="submit"]'))).resolves.toBe(303);
    expect(drafter.url()).toBe(`${base}/me?changed=password&ended=1#password`);
    await expect(text(drafter.locator('#password-changed'))).resolves.toBe('密码已修改。其他设备上的 1 个登录已退出，本次登录保持有效。');

    // This session goes on; the other device is sent to sign in again.
    await drafter.goto(`${base}/me`);
    await expect(drafter.locator('h1').textContent()).resolves.toBe('我的账户');
    await elsewhere.goto(`${base}/me`);
    expect(elsewhere.url()).toBe(`${base}/login?next=%2Fme`);
    await elsewhere.context().close();

    const old = await app.newPage();
    expect(await signInWith(old, 'fgw01', password('fgw01'))).toMatch(/\/login$/);
    await expect(text(old.locator('[role="alert"]'))).resolves.toBe('用户名或密码不正确');
    await old.context().close();
    const fresh = await app.newPage();
    expect(await signInWith(fresh, 'fgw01', NEW_PASSWORD)).toBe(`${base}/me`);
    await fresh.context().close();

    const audit = (await app.t.call('GET', '/api/audit?actor=fgw01&entity=user')).body.items;
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['update_with_password']);
  });

  it('when the drafter creates a personal token, then it is shown once and works, and 撤销 stops it', async () => {
    const page = drafter;
    const form = page.locator('#token-form');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(400);
    await expect(text(errorNextTo(form, 'name'))).resolves.toBe('请填写令牌名称');

    await form.locator('input[name="name"]').fill('舆情监测脚本');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(200);
    const token = (await text(page.locator('#new-token code.secret')))!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    await expect(text(page.locator('#new-token h3'))).resolves.toBe('已创建令牌「舆情监测脚本」');
    await expect(text(page.locator('#new-token'))).resolves.toContain('令牌只显示这一次');
    await page.screenshot({ path: `${SHOTS}/me-token-once.png`, fullPage: true });

    // It is the drafter's bearer token.
    const me = await fetch(`${base}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { username: string }).username).toBe('fgw01');

    // Once: the list shows it, never its secret again.
    await page.goto(`${base}/me`);
    expect(await page.content()).not.toContain(token);
    const [listed] = (await app.t.call('GET', '/api/audit?actor=fgw01&entity=user')).body.items as { action: string }[];
    expect(listed!.action).toBe('token_create');
    const row = page.locator('#token-list tbody tr').first();
    const id = await row.getAttribute('data-id');
    await expect(text(cell(row, '名称'))).resolves.toBe('舆情监测脚本');
    await expect(text(cell(row, '创建时间'))).resolves.toBe('2026-11-20 10:00');
    await expect(text(cell(row, '最近使用'))).resolves.toBe('2026-11-20 10:00');
    await expect(text(cell(row, '状态'))).resolves.toBe('有效');

    // 撤销 asks first.
    await expect(row.getByRole('button', { name: '确认撤销令牌“舆情监测脚本”' }).isVisible()).resolves.toBe(false);
    await row.getByText('撤销', { exact: true }).click();
    await expect(text(row.locator('details.confirm p'))).resolves.toBe('撤销后，使用该令牌的脚本立即无法访问，无法恢复。');
    await expect(submit(page, row.getByRole('button', { name: '确认撤销令牌“舆情监测脚本”' }))).resolves.toBe(303);
    expect(page.url()).toBe(`${base}/me#token-${id}`);
    const revoked = page.locator(`#token-${id}`);
    await expect(text(cell(revoked, '状态'))).resolves.toBe('已撤销 2026-11-20 10:00');
    await expect(cell(revoked, '操作').locator('details, button').count()).resolves.toBe(0);
    expect((await fetch(`${base}/api/me`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
    await page.screenshot({ path: `${SHOTS}/me-token-revoked.png`, fullPage: true });

    // Someone else's token, or none: the 404 page, and nothing revoked.
    const other = await app.t.call('GET', '/api/tokens');
    expect(other.body.items).toEqual([]);
    const post = await page.request.post(`${base}/me/tokens/999/revoke`, { headers: { Origin: base }, maxRedirects: 0 });
    expect(post.status()).toBe(404);
  });

  it('when the drafter generates a calendar address, then it is shown once with its webcal form, the .ics at it parses, and 更换 ends the old one', async () => {
    const page = drafter;
    await expect(submit(page, page.getByRole('button', { name: '生成订阅地址' }))).resolves.toBe(200);
    const url = (await text(page.locator('#feed-url code[data-kind="https"]')))!;
    expect(url).toMatch(new RegExp(`^${base.replace(/\./g, '\\.')}/calendar/[A-Za-z0-9_-]{20,}\\.ics$`));
    const webcal = url.replace(/^http:\/\//, 'webcal://');
    await expect(text(page.locator('#feed-url code[data-kind="webcal"]'))).resolves.toBe(webcal);
    await expect(page.locator('#feed-url a.webcal').getAttribute('href')).resolves.toBe(webcal);
    const how = await text(page.locator('#feed-url ol.how'));
    expect(how).toContain('Outlook');
    expect(how).toContain('从 Internet 添加');
    expect(how).toContain('Apple 日历');
    await expect(text(page.locator('#feed-url'))).resolves.toContain('地址只显示这一次');
    await expect(text(page.locator('#calendar-feed ~ p').first())).resolves.toContain('本部门（市发展改革委）');
    await page.screenshot({ path: `${SHOTS}/me-calendar.png`, fullPage: true });

    // The feed at that address: the drafter's department's deadline, not the other department's.
    const ics = await fetch(url);
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toMatch(/^text\/calendar/);
    const body = await ics.text();
    expect(body.startsWith('BEGIN:VCALENDAR')).toBe(true);
    expect(body.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
    const unfolded = body.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain('关于支持民营企业参与重大项目建设的实施意见');
    expect(unfolded).not.toContain('关于做好寒假期间学生安全工作的通知');

    // Shown once: the page now says that one exists (and that a client has read it), never the address.
    await page.goto(`${base}/me`);
    expect(await page.content()).not.toContain(url.split('/calendar/')[1]!);
    await expect(text(page.locator('#feed-status'))).resolves.toBe(
      '已于 2026-11-20 10:00 生成订阅地址；日历应用最近一次读取：2026-11-20 10:00。地址只在生成时显示一次，如遗失请更换。',
    );
    await expect(text(page.locator('#rotate-note'))).resolves.toBe('更换后旧地址立即失效，已订阅的日历需改用新地址重新订阅。');
    await expect(submit(page, page.getByRole('button', { name: '更换订阅地址' }))).resolves.toBe(200);
    const rotated = (await text(page.locator('#feed-url code[data-kind="https"]')))!;
    expect(rotated).not.toBe(url);
    expect((await fetch(url)).status).toBe(404);
    expect((await (await fetch(rotated)).text()).startsWith('BEGIN:VCALENDAR')).toBe(true);
    const audit = (await app.t.call('GET', '/api/audit?actor=fgw01&entity=calendar_feed')).body.items;
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['issue', 'issue']);
  });

  it('when seen on a 390 px phone, then the page, its errors, a new token and a calendar address do not scroll sideways', async () => {
    const page = await app.newPage(390, 844);
    await signInWith(page, 'fgw01', NEW_PASSWORD);
    await expect(page.locator('#token-list thead').isVisible()).resolves.toBe(false); // rows are stacked cards
    await noSidewaysScroll(page);
    await page.screenshot({ path: `${SHOTS}/me-phone.png`, fullPage: true });

    const form = page.locator('#password-form');
    await form.locator('input[name="newPassword"]').fill('short');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(400);
    await expect(text(errorNextTo(form, 'currentPassword'))).resolves.toBe('请输入当前密码');
    await expect(text(errorNextTo(form, 'newPasswordRepeat'))).resolves.toBe('请再次输入新密码');
    await noSidewaysScroll(page);
    await page.screenshot({ path: `${SHOTS}/me-phone-errors.png`, fullPage: true });

    await page.locator('#token-form input[name="name"]').fill('手机上创建的令牌');
    await expect(submit(page, page.locator('#token-form button[type="submit"]'))).resolves.toBe(200);
    await expect(page.locator('#new-token').isVisible()).resolves.toBe(true);
    await noSidewaysScroll(page);
    await page.screenshot({ path: `${SHOTS}/me-phone-token.png`, fullPage: true });

    await expect(submit(page, page.getByRole('button', { name: '更换订阅地址' }))).resolves.toBe(200);
    await expect(page.locator('#feed-url').isVisible()).resolves.toBe(true);
    await noSidewaysScroll(page);
    await page.locator('#calendar-feed').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/me-phone-calendar.png`, fullPage: true });
    await page.context().close();
  });
});

describe('everyone else', () => {
  it('when the leader opens /me, then it shows their account, all departments for the calendar', async () => {
    const page = await app.pageAs('leader1', '/me');
    await expect(text(page.locator('#profile [data-field="role"]'))).resolves.toBe('领导');
    await expect(text(page.locator('#profile [data-field="departments"]'))).resolves.toBe('不限（可查看全部部门）');
    await expect(text(page.locator('#calendar-feed ~ p').first())).resolves.toContain('全部部门');
    await page.context().close();
  });

  it('when a post comes from another site, or nobody is signed in, then it is refused', async () => {
    const page = await app.pageAs('xwb01', '/me');
    for (const path of ['/me/password', '/me/tokens', '/me/calendar-feed']) {
      const res = await page.request.post(`${base}${path}`, {
        headers: { Origin: 'https://evil.example' },
        form: { currentPassword: password('xwb01'), newPassword: NEW_PASSWORD, newPasswordRepeat: NEW_PASSWORD, name: '跨站' },
        maxRedirects: 0,
      });
      expect(res.status(), path).toBe(403);
    }
    expect((await app.t.call('GET', '/api/audit?actor=xwb01')).body.items).toEqual([]);
    await page.context().close();

    const anonymous = await app.newPage();
    await anonymous.goto(`${base}/me`);
    expect(anonymous.url()).toBe(`${base}/login?next=%2Fme`);
    await anonymous.context().close();
  });
});

it('has no page errors or console errors', async () => {
  await drafter?.context().close();
  // Refused posts (400) are the answers these tests asked for; Chromium logs each 4xx
  // main-document response as "Failed to load resource", so exactly those are left out.
  const failedResource = /^console: Failed to load resource: the server responded with a status of 4\d\d \([^)]*\)$/;
  expect(app.problems.filter((p) => !failedResource.test(p))).toEqual([]);
});
