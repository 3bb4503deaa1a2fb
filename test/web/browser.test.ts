import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDocument } from '../support/app.js';
import { PEOPLE, SHOTS, startBrowserApp, type BrowserApp } from '../support/browser.js';

// The sign-in page and the leaders' board in a real browser.
const ROLES = PEOPLE;
let app: BrowserApp;
let base: string;
const problems = () => app.problems;

beforeAll(async () => {
  app = await startBrowserApp();
  base = app.base;
  const t = app.t;
  await registerDocument(t, { docNumber: '沪发改规〔2026〕5号', title: '关于促进民营经济发展的若干措施', publishedAt: '2026-11-02' });
  await t.call('POST', '/api/incidents', { title: '某区化工厂火灾', severity: 'major', startedAt: '2026-11-20T08:00:00+08:00' });
  await t.call('POST', '/api/incidents', { title: '网传某小区欠薪', severity: 'general', startedAt: '2026-11-18T09:00:00+08:00' });
}, 60_000);

afterAll(() => app?.close());

const newPage = (width?: number, height?: number) => app.newPage(width, height);
const signIn = (page: Page, username: string) => app.signIn(page, username);

describe('pages in a browser', () => {
  it.each(ROLES.map((r) => [r.role, r.username]))('when a %s signs in, then the leaders’ board shows', async (role, username) => {
    const page = await newPage();
    await signIn(page, username);
    await expect(page.locator('h1').textContent()).resolves.toBe('领导看板');
    await expect(page.locator('header').textContent()).resolves.toContain(username);
    await expect(page.locator('.timer').count()).resolves.toBe(3);
    await expect(page.locator('main').textContent()).resolves.toContain('关于促进民营经济发展的若干措施');
    await page.screenshot({ path: `${SHOTS}/board-${role}.png`, fullPage: true });
    await page.context().close();
  });

  it('when a password is wrong, then the form says so in Chinese and stays on the sign-in page', async () => {
    const page = await newPage();
    await page.goto(`${base}/login`);
    await page.fill('input[name="username"]', 'leader1');
    await page.fill('input[name="password"]', 'not-the-password');
    await page.click('button[type="submit"]');
    await expect(page.locator('[role="alert"]').textContent()).resolves.toBe('用户名或密码不正确');
    await page.click('button[type="submit"]'); // both fields empty now: errors next to the field
    await expect(page.locator('.field-error').first().textContent()).resolves.toBe('请输入密码');
    problems().splice(0); // the 401 and 400 answers are logged by the browser as failed resources
    await page.context().close();
  });

  it('when the board stays open, then the countdowns tick without a reload, as hh:mm:ss', async () => {
    const page = await newPage();
    await signIn(page, 'leader1');
    await page.evaluate('window.marker = 42');
    const running = page.locator('.timer:not(.overdue) .countdown').first();
    const id = await page.locator('.timer:not(.overdue)').first().getAttribute('data-id');
    const before = await running.textContent();
    expect(before).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    await page.waitForFunction(`document.querySelector('.timer[data-id="${id}"] .countdown').textContent !== ${JSON.stringify(before)}`, null, {
      timeout: 5000,
    });
    const after = await running.textContent();
    expect(after).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    expect(after! < before!).toBe(true);
    expect(await page.evaluate('window.marker')).toBe(42); // the same document: no reload
    // The general incident's 48 hours ran out on 11-20 09:00: shown as overdue, in red.
    await expect(page.locator('.timer.overdue .countdown').textContent()).resolves.toMatch(/^超时 \d{2}:\d{2}:\d{2}$/);
    await page.context().close();
  });

  it('when seen on a 390 px phone, then nothing scrolls sideways', async () => {
    const page = await newPage(390, 844);
    await signIn(page, 'leader1');
    const width = await page.evaluate('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/board-phone.png`, fullPage: true });
    await page.context().close();
  });

  it('when signed out, then the board asks for sign-in again', async () => {
    const page = await newPage();
    await signIn(page, 'xwb01');
    await page.click('form[action="/logout"] button[type="submit"]');
    await page.waitForURL(/\/login$/);
    await page.goto(`${base}/`);
    await page.waitForURL(/\/login\?next=/);
    await page.context().close();
  });

  it('when the board stays open, then a new incident’s clocks and the counts arrive within a minute, without a reload', async () => {
    const page = await newPage();
    await page.clock.install();
    await signIn(page, 'leader1');
    await page.evaluate('window.marker = 42');
    const running = () => page.locator('.card', { hasText: '进行中的回应计时' }).locator('b').textContent();
    const timers = await page.locator('.timer').count();
    const before = Number(await running());
    const created = await app.t.call('POST', '/api/incidents', { title: '某路段燃气管道泄漏', severity: 'major', startedAt: '2026-11-20T09:30:00+08:00' });
    expect(created.status).toBe(201);
    // Nothing moves before the minute is up …
    await page.clock.runFor(30_000);
    await expect(page.locator('.timer', { hasText: '某路段燃气管道泄漏' }).count()).resolves.toBe(0);
    // … and after it, the fetched board is in: its two clocks, and the count.
    await page.clock.runFor(31_000);
    await page.waitForFunction(`document.querySelectorAll('.timer').length === ${timers + 2}`, null, { timeout: 5000 });
    await expect(page.locator('.timer', { hasText: '某路段燃气管道泄漏' }).count()).resolves.toBe(2);
    await expect(running()).resolves.toBe(String(before + 2));
    expect(await page.evaluate('window.marker')).toBe(42); // the same document
    await expect(page.locator('#board-stale').isHidden()).resolves.toBe(true);
    // A fetch that brings no board (the session ended) keeps the board and says since when.
    const seen = app.problems.length;
    await page.context().clearCookies();
    await page.clock.runFor(61_000);
    await page.locator('#board-stale').waitFor({ state: 'visible', timeout: 5000 });
    await expect(page.locator('#board-stale').textContent()).resolves.toMatch(/^看板未能更新，显示的是 \d{2}:\d{2} 的数据/);
    await expect(page.locator('.timer', { hasText: '某路段燃气管道泄漏' }).count()).resolves.toBe(2);
    // The browser logs the timers' 401s without a session: expected here, and only those.
    const logged = app.problems.splice(seen);
    expect(logged.every((p) => p.includes('status of 401')), logged.join('\n')).toBe(true);
    await page.context().close();
  });

  it('when documents are overdue, then the board says how many, links to them all and to each, and a skip link leads past the menu', async () => {
    const page = await newPage();
    await signIn(page, 'leader1');
    await expect(page.locator('#overdue-note').textContent()).resolves.toBe('共 1 份。查看全部逾期文件');
    await page.getByRole('link', { name: '关于促进民营经济发展的若干措施' }).click();
    await page.waitForURL(/\/documents\/\d+$/);
    await page.goBack();
    await page.locator('a.card', { hasText: '逾期未解读文件' }).click();
    await page.waitForURL((u) => u.pathname === '/documents' && u.searchParams.get('status') === 'overdue');
    // The first Tab stop is the skip link; following it puts focus on the page's content.
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement.textContent')).resolves.toBe('跳到正文');
    await page.keyboard.press('Enter');
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('main');
    await page.context().close();
  });

  it('has no page errors or console errors', () => {
    expect(problems()).toEqual([]);
  });
});
