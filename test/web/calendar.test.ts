import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startBrowserApp, type BrowserApp, submit } from '../support/browser.js';
import { missingSchedules } from '../../src/web/pages/admin/home.js';

// The working-day calendar page in a real browser: the year view with the official 2026 schedule
// (SPEC §2), a provisional year, year navigation, an admin setting single days through the form
// (deadlines move with them), and who sees the form. The app clock is pinned at Friday
// 2026-11-20 10:00 Beijing time.

let app: BrowserApp;
let base: string;
/** Published Thursday 2026-11-19: due Tuesday 11-24 (11-20, 11-23, 11-24). */
let docId: number;

beforeAll(async () => {
  app = await startBrowserApp();
  base = app.base;
  const res = await app.t.call('POST', '/api/documents', { departmentCode: 'fgw', title: '关于做好冬季供暖保障工作的通知', publishedAt: '2026-11-19T10:00:00+08:00' });
  if (res.status !== 201) throw new Error(`seed document: ${JSON.stringify(res.body)}`);
  docId = res.body.id;
}, 60_000);

afterAll(() => app?.close());

const day = (page: Page, date: string) => page.locator(`td[data-date="${date}"]`);
const kindOf = (page: Page, date: string) => day(page, date).getAttribute('data-kind');
const markOf = (page: Page, date: string) => day(page, date).locator('.mark').allTextContents();
const nameOf = (page: Page, date: string) => day(page, date).locator('.hname').allTextContents();
const dayForm = (page: Page) => page.locator('#day-form form');

async function openDayForm(page: Page) {
  await page.locator('#day-form summary').click();
  await expect(dayForm(page).isVisible()).resolves.toBe(true);
}
const errorNextTo = (form: Locator, name: string) => form.locator(`label:has([name="${name}"]) .field-error`);

describe('calendar page in a browser', () => {
  it('when a leader opens the calendar, then 2026 shows the official holidays (休) with their names, make-up days (班), weekends and today', async () => {
    const page = await app.pageAs('leader1', '/calendar');
    await expect(page.locator('h1').textContent()).resolves.toBe('工作日历');
    await expect(page.locator('.cal-nav .this-year').textContent()).resolves.toBe('2026 年');
    await expect(page.locator('#notice').textContent()).resolves.toContain('国务院办公厅关于2026年部分节假日安排的通知');
    await expect(page.locator('#provisional').count()).resolves.toBe(0);

    // Twelve months, every day of the year once, each under its weekday (2026-01-01 is a Thursday).
    await expect(page.locator('section.month').count()).resolves.toBe(12);
    await expect(page.locator('td[data-date]').count()).resolves.toBe(365);
    await expect(page.locator('section.month[data-month="1"] tbody tr').first().locator('td').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-date') ?? ''))).resolves.toEqual(
      ['', '', '', '2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04'],
    );
    await expect(page.locator('section.month[data-month="2"] td[data-date]').count()).resolves.toBe(28);

    // National Day: 10-01..10-07 off; Sunday 09-20 and Saturday 10-10 are make-up working days.
    for (const date of ['2026-10-01', '2026-10-04', '2026-10-07']) {
      await expect(kindOf(page, date)).resolves.toBe('holiday');
      await expect(markOf(page, date)).resolves.toEqual(['休']);
      await expect(nameOf(page, date)).resolves.toEqual(['国庆节']);
    }
    for (const date of ['2026-09-20', '2026-10-10']) {
      await expect(kindOf(page, date)).resolves.toBe('makeup_workday');
      await expect(markOf(page, date)).resolves.toEqual(['班']);
      await expect(nameOf(page, date)).resolves.toEqual(['国庆节']);
    }
    // Spring Festival 02-15..02-23, with Saturdays 02-14 and 02-28 worked; New Year 01-01..01-03, Sunday 01-04 worked.
    await expect(kindOf(page, '2026-02-15')).resolves.toBe('holiday');
    await expect(nameOf(page, '2026-02-23')).resolves.toEqual(['春节']);
    await expect(markOf(page, '2026-02-14')).resolves.toEqual(['班']);
    await expect(markOf(page, '2026-02-28')).resolves.toEqual(['班']);
    await expect(markOf(page, '2026-01-03')).resolves.toEqual(['休']);
    await expect(markOf(page, '2026-01-04')).resolves.toEqual(['班']);
    await expect(markOf(page, '2026-05-09')).resolves.toEqual(['班']);
    // Ordinary days and weekends carry no mark.
    await expect(kindOf(page, '2026-10-08')).resolves.toBe('workday');
    await expect(markOf(page, '2026-10-08')).resolves.toEqual([]);
    await expect(kindOf(page, '2026-11-21')).resolves.toBe('weekend');
    await expect(markOf(page, '2026-11-21')).resolves.toEqual([]);
    // Every mark on the page: 2026 has 33 days off on weekdays and weekends together, and 6 make-up days.
    await expect(page.locator('td[data-kind="holiday"]').count()).resolves.toBe(33);
    await expect(page.locator('td[data-kind="makeup_workday"]').count()).resolves.toBe(6);
    await expect(page.locator('td[data-overridden]').count()).resolves.toBe(0);

    // Today, and only today.
    await expect(page.locator('td[aria-current="date"]').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-date')))).resolves.toEqual(['2026-11-20']);
    await expect(day(page, '2026-11-20').getAttribute('class')).resolves.toContain('today');
    await expect(day(page, '2026-11-20').getAttribute('title')).resolves.toBe('2026-11-20 星期五 · 工作日 · 今天');

    // The year's holidays in one table.
    const row = page.locator('#holiday-summary tbody tr').filter({ has: page.locator('td[data-label="名称"]', { hasText: /^国庆节$/ }) });
    await expect(row.locator('td[data-label="放假"]').textContent()).resolves.toBe('10月1日–10月7日（7 天）');
    await expect(row.locator('td[data-label="调休上班"]').textContent()).resolves.toBe('9月20日（星期日）、10月10日（星期六）');
    await expect(page.locator('#holiday-summary td[data-label="名称"]').allTextContents()).resolves.toEqual(['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节']);

    // A leader may not set days.
    await expect(page.locator('#day-form').count()).resolves.toBe(0);
    await expect(page.locator('td[data-date] a').count()).resolves.toBe(0);
    await page.screenshot({ path: `${SHOTS}/calendar-2026.png`, fullPage: true });
    await page.context().close();
  });

  it('when the user goes to the next and previous year, then 2027 is flagged as provisional and 2025 shows its own schedule', async () => {
    const page = await app.pageAs('fgw01', '/calendar');
    await page.getByRole('link', { name: '2027 年 ›' }).click();
    await page.waitForURL(`${base}/calendar?year=2027`);
    await expect(page.locator('.cal-nav .this-year').textContent()).resolves.toBe('2027 年');
    await expect(page.locator('#provisional').textContent()).resolves.toContain('2027 年为暂定日历');
    await expect(page.locator('#notice').count()).resolves.toBe(0);
    // Weekends only: 2027-10-01 (a Friday) is an ordinary day until the schedule is imported.
    await expect(kindOf(page, '2027-10-01')).resolves.toBe('workday');
    await expect(kindOf(page, '2027-10-02')).resolves.toBe('weekend');
    await expect(page.locator('td[data-kind="holiday"], td[data-kind="makeup_workday"]').count()).resolves.toBe(0);
    await expect(page.locator('td[aria-current="date"]').count()).resolves.toBe(0);
    await expect(page.locator('td[data-date]').count()).resolves.toBe(365);
    await page.screenshot({ path: `${SHOTS}/calendar-2027-provisional.png`, fullPage: true });

    await page.getByRole('link', { name: '回到今年（2026 年）' }).click();
    await page.waitForURL(`${base}/calendar?year=2026`);
    await page.getByRole('link', { name: '‹ 2025 年' }).click();
    await page.waitForURL(`${base}/calendar?year=2025`);
    await expect(page.locator('#notice').textContent()).resolves.toContain('2025');
    // 2025: 10-01..10-08 off (work 09-28, 10-11); 2024 was a leap year, 2025 is not.
    await expect(kindOf(page, '2025-10-08')).resolves.toBe('holiday');
    await expect(markOf(page, '2025-10-11')).resolves.toEqual(['班']);
    await expect(markOf(page, '2025-09-28')).resolves.toEqual(['班']);
    await expect(page.locator('td[aria-current="date"]').count()).resolves.toBe(0);

    await page.goto(`${base}/calendar?year=2024`);
    await expect(page.locator('td[data-date]').count()).resolves.toBe(366);
    await expect(kindOf(page, '2024-02-09')).resolves.toBe('workday'); // 除夕 2024 was a working day

    const bad = await page.goto(`${base}/calendar?year=abc`);
    expect(bad!.status()).toBe(400);
    await expect(page.locator('main .notice').textContent()).resolves.toContain('年份无效');
    await page.context().close();
  });

  it('when an admin sets a weekday as a holiday and a Saturday as a working day, then they show 休 and 班 as set by hand, and the deadline moves', async () => {
    const page = await app.pageAs('admin1', '/calendar');
    await expect(kindOf(page, '2026-11-23')).resolves.toBe('workday');
    await expect((await app.t.call('GET', `/api/documents/${docId}`)).body.interpretationDueDate).toBe('2026-11-24');

    await expect(dayForm(page).isVisible()).resolves.toBe(false); // folded until asked for
    await openDayForm(page);
    const form = dayForm(page);
    await form.locator('input[name="date"]').fill('2026-11-23');
    await form.locator('select[name="kind"]').selectOption('holiday');
    await form.locator('input[name="name"]').fill('临时调整');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(303);

    expect(page.url()).toBe(`${base}/calendar?year=2026&saved=2026-11-23&setting=holiday#d-2026-11-23`);
    await expect(page.locator('#saved').textContent()).resolves.toBe('已将 2026-11-23（星期一）设为休息日（节假日）「临时调整」。');
    await expect(kindOf(page, '2026-11-23')).resolves.toBe('holiday');
    await expect(markOf(page, '2026-11-23')).resolves.toEqual(['休']);
    await expect(nameOf(page, '2026-11-23')).resolves.toEqual(['临时调整']);
    await expect(day(page, '2026-11-23').getAttribute('data-overridden')).resolves.toBe('true');
    await expect(day(page, '2026-11-23').getAttribute('title')).resolves.toBe('2026-11-23 星期一 · 休息日（节假日） · 临时调整 · 手动调整');
    const overrideRow = page.locator('#overrides tr[data-date="2026-11-23"]');
    await expect(overrideRow.locator('td[data-label="设为"]').textContent()).resolves.toBe('休息日（节假日）');
    await expect(overrideRow.locator('td[data-label="名称"]').textContent()).resolves.toBe('临时调整');
    // The same use case as the API: the day is a holiday there too, and the deadline across it moved.
    expect((await app.t.call('GET', '/api/calendar/days/2026-11-23')).body).toMatchObject({ kind: 'holiday', workingDay: false, name: '临时调整' });
    expect((await app.t.call('GET', `/api/documents/${docId}`)).body.interpretationDueDate).toBe('2026-11-25');

    // Clicking a day fills in the form.
    await day(page, '2026-11-28').locator('a').click();
    await page.waitForURL(`${base}/calendar?year=2026&date=2026-11-28#day-form`);
    await expect(dayForm(page).locator('input[name="date"]').inputValue()).resolves.toBe('2026-11-28');
    await dayForm(page).locator('select[name="kind"]').selectOption('makeup_workday');
    await expect(submit(page, dayForm(page).locator('button[type="submit"]'))).resolves.toBe(303);
    await expect(kindOf(page, '2026-11-28')).resolves.toBe('makeup_workday');
    await expect(markOf(page, '2026-11-28')).resolves.toEqual(['班']);
    await expect(nameOf(page, '2026-11-28')).resolves.toEqual([]);
    await expect(page.locator('td[data-overridden]').count()).resolves.toBe(2);
    await page.screenshot({ path: `${SHOTS}/calendar-admin-override.png`, fullPage: true });

    // 恢复默认 returns both days to the schedule, and the deadline with them.
    for (const date of ['2026-11-23', '2026-11-28']) {
      await expect(submit(page, page.locator(`#overrides tr[data-date="${date}"]`).getByRole('button', { name: '恢复默认' }))).resolves.toBe(303);
    }
    await expect(kindOf(page, '2026-11-23')).resolves.toBe('workday');
    await expect(kindOf(page, '2026-11-28')).resolves.toBe('weekend');
    await expect(page.locator('td[data-overridden]').count()).resolves.toBe(0);
    await expect(page.locator('#overrides').count()).resolves.toBe(0);
    expect((await app.t.call('GET', `/api/documents/${docId}`)).body.interpretationDueDate).toBe('2026-11-24');
    await page.context().close();
  });

  it('when the admin form is sent without a date or with a make-up day on a weekday, then the Chinese error is next to the field and nothing changes', async () => {
    const page = await app.pageAs('admin1', '/calendar');
    await openDayForm(page);
    const form = dayForm(page);
    await form.locator('input[name="name"]').fill('补班');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(400);
    await expect(form.isVisible()).resolves.toBe(true); // open again, not folded away
    await expect(errorNextTo(form, 'date').textContent()).resolves.toBe('请选择日期');
    await expect(form.locator('.field-error').count()).resolves.toBe(1);
    await expect(form.locator('input[name="name"]').inputValue()).resolves.toBe('补班');

    await form.locator('input[name="date"]').fill('2026-12-07');
    await form.locator('select[name="kind"]').selectOption('makeup_workday');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(400);
    await expect(errorNextTo(form, 'kind').textContent()).resolves.toBe('2026-12-07 是星期一，只有周六、周日才能设为调休上班');
    await expect(errorNextTo(form, 'date').count()).resolves.toBe(0);
    await expect(form.locator('input[name="date"]').inputValue()).resolves.toBe('2026-12-07');
    await expect(form.locator('select[name="kind"]').inputValue()).resolves.toBe('makeup_workday');
    await expect(form.locator('input[name="name"]').inputValue()).resolves.toBe('补班');
    await page.screenshot({ path: `${SHOTS}/calendar-admin-error.png`, fullPage: true });

    // A date outside the supported range, sent without the date picker.
    const res = await page.request.post(`${base}/calendar/days`, { headers: { Origin: base }, form: { date: '2026-02-30', kind: 'holiday', name: '' } });
    expect(res.status()).toBe(400);
    expect(await res.text()).toContain('日期无效');
    expect((await app.t.call('GET', '/api/calendar/days/2026-12-07')).body.kind).toBe('workday');
    expect((await app.t.call('GET', '/api/calendar/years/2026')).body.days.some((d: { overridden: boolean }) => d.overridden)).toBe(false);
    await page.context().close();
  });

  for (const username of ['fgw01', 'xwb01', 'leader1']) {
    it(`when ${username} opens the calendar, then there is no form, and a forged post is refused with 403`, async () => {
      const page = await app.pageAs(username, '/calendar');
      await expect(page.locator('td[data-date]').count()).resolves.toBe(365);
      await expect(page.locator('#day-form').count()).resolves.toBe(0);
      await expect(page.locator('main form[method="post"]').count()).resolves.toBe(0);
      await expect(page.locator('main').textContent()).resolves.not.toContain('设置单日');

      const res = await page.request.post(`${base}/calendar/days`, { headers: { Origin: base }, form: { date: '2026-12-01', kind: 'holiday', name: '越权设置' } });
      expect(res.status()).toBe(403);
      expect(await res.text()).toContain('无权访问');
      expect((await app.t.call('GET', '/api/calendar/days/2026-12-01')).body.kind).toBe('workday');
      await page.context().close();
    });
  }

  it('when seen on a 390 px phone, then the month grids fit without sideways scrolling, with or without the admin form', async () => {
    for (const username of ['admin1', 'leader1']) {
      const page = await app.pageAs(username, '/calendar', 390, 844);
      if (username === 'admin1') await openDayForm(page);
      await expect(page.locator('td[data-date]').count()).resolves.toBe(365);
      await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
      // Each grid is within the screen, and a day cell keeps a usable width.
      const box = await page.locator('section.month[data-month="10"]').boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      const cellBox = await day(page, '2026-10-01').boundingBox();
      expect(cellBox!.width).toBeGreaterThanOrEqual(40);
      await page.screenshot({ path: `${SHOTS}/calendar-phone-${username}.png`, fullPage: true });
      await page.context().close();
    }
  });

  it('asks for this year’s schedule all year, and for next year’s from November', () => {
    expect(missingSchedules([2026], '2026-10-31')).toEqual([]);
    expect(missingSchedules([2026], '2026-11-01')).toEqual([2027]);
    expect(missingSchedules([2026, 2027], '2026-12-31')).toEqual([]);
    expect(missingSchedules([2025], '2026-03-01')).toEqual([2026]);
    expect(missingSchedules([2025], '2026-11-15')).toEqual([2026, 2027]);
  });

  it('when next year’s schedule is not imported by November, then /admin says so; once it is imported, no more', async () => {
    const page = await app.pageAs('admin1', '/admin');
    await expect(page.locator('#missing-schedules strong').textContent()).resolves.toBe('2027 年节假日安排尚未导入。');
    await page.screenshot({ path: `${SHOTS}/admin-missing-schedule.png` });
    await page.locator('#missing-schedules a').click();
    await page.waitForURL(/\/calendar\?year=2027$/);
    const imported = await app.t.call('POST', '/api/calendar/import', { year: 2027, days: [{ name: '元旦', date: '2027-01-01', isOffDay: true }] });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    await page.goto(`${app.base}/admin`);
    await expect(page.locator('#missing-schedules').count()).resolves.toBe(0);
    await page.context().close();
  });

  it('has no page errors or console errors', () => {
    // Refused posts answer 4xx on purpose, and Chromium logs each such main-document response.
    const failedResource = /^console: Failed to load resource: the server responded with a status of 4\d\d \([^)]*\)$/;
    expect(app.problems.filter((p) => !failedResource.test(p))).toEqual([]);
  });
});
