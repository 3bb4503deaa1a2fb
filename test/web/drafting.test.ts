import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startBrowserApp, submit, type BrowserApp } from '../support/browser.js';

// Drafting in a real browser (SPEC §12, issue 12): a drafter saves a draft with its interpretation
// plan, an admin signs it off (审签), the drafter publishes it, and once its due date has passed the
// page shows what the plan promised and no interpretation delivered. The clock starts on Monday
// 2026-11-02 09:00 (Beijing time), when the document is drafted, signed off and published (due
// 11-05), and is then moved on to Friday 11-20 10:00.

let app: BrowserApp;
let base: string;
const TITLE = '关于支持人工智能产业创新发展的若干措施';

beforeAll(async () => {
  app = await startBrowserApp('2026-11-02T09:00:00+08:00');
  base = app.base;
}, 120_000);

afterAll(() => app?.close());

const text = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** The page has no sideways scroll (a 390 px phone). */
const fitsWidth = (page: Page) => page.evaluate('document.documentElement.scrollWidth <= window.innerWidth');

describe('drafting pages in a browser', () => {
  let id = 0;

  it('when a drafter registers without a publication time, then a draft is saved with its plan, and only status 起草中 lists it', async () => {
    const page = await app.pageAs('fgw01', '/documents');
    await page.locator('details.register summary').click();
    const form = page.locator('#register-form');
    await form.locator('input[name="docNumber"]').fill('沪发改规〔2026〕20号');
    await form.locator('input[name="title"]').fill(TITLE);
    await form.locator('select[name="importance"]').selectOption('major');
    for (const value of ['text', 'press_conference']) await form.locator(`input[name="planForms"][value="${value}"]`).check();
    for (const value of ['gov_website', 'wechat']) await form.locator(`input[name="planChannels"][value="${value}"]`).check();
    await form.locator('input[name="planResponsibleName"]').fill('办公室 王敏');
    await form.locator('input[name="planLeaderLed"]').check();
    await page.screenshot({ path: `${SHOTS}/drafting-register.png`, fullPage: true });
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(303);

    id = Number(/\/documents\/(\d+)$/.exec(page.url())![1]);
    expect(await text(page, '#status')).toBe('起草中');
    expect(await text(page, '#published-at')).toBe('尚未发布（起草中）');
    expect(await text(page, '#due-date')).toBe('发布后起算');
    const plan = await text(page, '#plan');
    expect(plan).toContain('文字解读、新闻发布会');
    expect(plan).toContain('政府网站、政务微信');
    expect(plan).toContain('办公室 王敏');
    expect(await text(page, '#sign-off')).toContain('尚未审签');
    // fgw01 may not sign off (no canSignOff), but may still change the plan and publish.
    await expect(page.locator('#sign-off-form').count()).resolves.toBe(0);
    await expect(page.locator('#publish-form').count()).resolves.toBe(1);
    await expect(page.locator('#add-interpretation').count()).resolves.toBe(0);

    // Changing the plan before sign-off; a page opened before that change cannot write over it.
    const stale = await app.pageAs('fgw01', `/documents/${id}`);
    await page.locator('summary', { hasText: '修改解读方案' }).click();
    await page.locator('#plan-form textarea[name="planNote"]').fill('与文件同步在政府网站发布');
    await expect(submit(page, page.locator('#plan-form button[type="submit"]'))).resolves.toBe(303);
    expect(await text(page, '#plan')).toContain('与文件同步在政府网站发布');
    await page.screenshot({ path: `${SHOTS}/drafting-draft.png`, fullPage: true });
    await stale.locator('summary', { hasText: '修改解读方案' }).click();
    await stale.locator('#plan-form input[name="planResponsibleName"]').fill('办公室 李强');
    await expect(submit(stale, stale.locator('#plan-form button[type="submit"]'))).resolves.toBe(412);
    expect(await text(stale, '#plan-form p[role="alert"]')).toContain('在您读取之后已被修改');
    // What the other person saved is shown above the form, which keeps what this one typed.
    expect(await text(stale, '#plan')).toContain('与文件同步在政府网站发布');
    await expect(stale.locator('#plan-form input[name="planResponsibleName"]').inputValue()).resolves.toBe('办公室 李强');
    const saved = (await app.t.call('GET', `/api/documents/${id}`)).body.plan;
    expect(saved).toMatchObject({ responsibleName: '办公室 王敏', note: '与文件同步在政府网站发布' });
    await stale.context().close();

    await page.goto(`${base}/documents`);
    await expect(page.getByRole('link', { name: TITLE }).count()).resolves.toBe(0);
    await page.goto(`${base}/documents?status=drafting`);
    const row = page.locator('#documents tbody tr').filter({ has: page.getByRole('link', { name: TITLE }) });
    expect(await text(page, '#documents tbody tr td[data-label="状态"]')).toBe('起草中');
    await expect(row.locator('td[data-label="发布日期"]').textContent()).resolves.toBe('未发布');
    await page.context().close();
  });

  it('when an admin signs it off, then the sign-off is shown and the plan can no longer change', async () => {
    app.t.setNow('2026-11-02T09:30:00+08:00');
    const page = await app.pageAs('admin1', `/documents/${id}`);
    const form = page.locator('#sign-off-form');
    await form.locator('textarea[name="note"]').fill('同意，文件与解读方案一并印发');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(303);
    const signed = await text(page, '#sign-off');
    expect(signed).toContain('已审签');
    expect(signed).toContain('2026-11-02 09:30');
    expect(signed).toContain('审签人 admin1');
    expect(signed).toContain('解读方案与文件同步审签');
    expect(signed).toContain('同意，文件与解读方案一并印发');
    // Shown by the name people know, with the recorded user name.
    const users = (await app.t.call('GET', '/api/users?limit=200')).body.items as { id: number; username: string }[];
    const admin1 = users.find((u) => u.username === 'admin1')!;
    expect((await app.t.call('PATCH', `/api/users/${admin1.id}`, { displayName: '办公室 张伟' })).status).toBe(200);
    await page.reload();
    expect(await text(page, '#sign-off')).toContain('审签人 办公室 张伟（admin1）');
    await expect(page.locator('#plan-form').count()).resolves.toBe(0);
    await page.screenshot({ path: `${SHOTS}/drafting-signed.png`, fullPage: true });
    await page.context().close();
  });

  it('when the drafter publishes it and the due date passes, then the page shows the plan’s gaps until they are delivered', async () => {
    app.t.setNow('2026-11-02T09:45:00+08:00');
    const page = await app.pageAs('fgw01', `/documents/${id}`);
    await expect(page.locator('#plan-form').count()).resolves.toBe(0);
    const publish = page.locator('#publish-form');
    // A blank time is refused next to the field.
    await expect(submit(page, publish.locator('button[type="submit"]'))).resolves.toBe(400);
    expect(await text(page, '#publish-form .field-error')).toBe('请填写发布时间');
    await publish.locator('input[name="publishedAt"]').fill('2026-11-02T10:00');
    await expect(submit(page, publish.locator('button[type="submit"]'))).resolves.toBe(303);
    expect(await text(page, '#due-date')).toBe('2026-11-05');
    expect(await text(page, '#status')).toBe('待解读（剩余 3 个工作日）');
    await expect(page.locator('#publish-form').count()).resolves.toBe(0);
    // Before the due date there is nothing to report of the plan yet; a major document already misses its leader.
    expect(await text(page, '#plan-gaps')).not.toContain('尚未落实');
    await expect(page.locator('#leader-missing').isVisible()).resolves.toBe(true);
    await page.context().close();

    // Seeded: a text interpretation on the government website, on time (11-04); then it is 11-20.
    const seeded = await app.t.call('POST', '/api/interpretations', { title: '政策问答', form: 'text', publishedAt: '2026-11-04T16:00:00+08:00', documentIds: [id], channels: ['gov_website'] });
    expect(seeded.status).toBe(201);
    app.t.setNow('2026-11-20T10:00:00+08:00');
    const later = await app.pageAs('fgw01', `/documents/${id}`);
    await gapsAfterDueDate(later);
  });

  async function gapsAfterDueDate(page: Page) {
    expect(await text(page, '#status')).toBe('按时');
    const gaps = page.locator('#plan-gaps');
    expect(await text(page, '#plan-gaps [data-gap="forms"]')).toBe('解读形式：新闻发布会');
    expect(await text(page, '#plan-gaps [data-gap="channels"]')).toBe('发布渠道：政务微信');
    expect(await text(page, '#plan-gaps [data-gap="leaderLed"]')).toBe('主要负责人解读（重大政策文件应由主要负责人解读）');
    await expect(gaps.locator('#leader-missing').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: `${SHOTS}/drafting-gaps.png`, fullPage: true });

    const phone = await app.pageAs('fgw01', `/documents/${id}`, 390, 844);
    await expect(fitsWidth(phone)).resolves.toBe(true);
    await phone.screenshot({ path: `${SHOTS}/drafting-gaps-phone.png`, fullPage: true });
    await phone.context().close();

    // The press conference, on WeChat, through the form: every promise is kept.
    const add = page.locator('#add-interpretation');
    await add.locator('input[name="title"]').fill('人工智能产业政策新闻发布会');
    await add.locator('select[name="form"]').selectOption('press_conference');
    await add.locator('input[name="publishedAt"]').fill('2026-11-10T15:00');
    await add.locator('input[name="channels"][value="wechat"]').check();
    await expect(submit(page, add.locator('button[type="submit"]'))).resolves.toBe(303);
    expect(await text(page, '#plan-gaps')).toContain('解读方案承诺的形式和渠道均已落实');
    await expect(page.locator('#leader-missing').count()).resolves.toBe(0);
    const row = page.locator('#interpretations tbody tr', { hasText: '新闻发布会' });
    expect(await text(page, '#interpretations tbody tr:last-child td[data-label="发布渠道"]')).toBe('政务微信');
    await expect(row.locator('.tag').textContent()).resolves.toBe('主要负责人');
    await page.context().close();
  }

  it('when an admin lets a drafter sign off on /admin/users, then that drafter gets the sign-off button', async () => {
    const draft = await app.t.call('POST', '/api/documents', { title: '关于加快建设算力基础设施的通知', departmentCode: 'fgw' });
    const admin = await app.pageAs('admin1', '/admin/users');
    const user = (await app.t.call('GET', '/api/users')).body.items.find((u: { username: string }) => u.username === 'fgw01');
    const row = admin.locator(`#user-${user.id}`);
    await row.locator('summary', { hasText: '编辑' }).click();
    await row.locator('input[name="canSignOff"]').check();
    await expect(submit(admin, row.locator(`form[action$="/edit#user-${user.id}"] button[type="submit"]`))).resolves.toBe(303);
    expect(await text(admin, `#user-${user.id} td[data-label="角色"]`)).toBe('起草部门（可审签）');
    await admin.screenshot({ path: `${SHOTS}/drafting-admin-users.png`, fullPage: true });
    await admin.context().close();

    const page = await app.pageAs('fgw01', `/documents/${draft.body.id}`);
    const form = page.locator('#sign-off-form');
    expect(await text(page, '#sign-off-form .notice')).toContain('尚无解读方案');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(303);
    expect(await text(page, '#sign-off')).toContain('审签时尚无解读方案，不计入同步审签');
    await page.context().close();
  });

  it('when the leader opens the board and the 考核 report, then each department’s 同步审签 and leader-led counts are there', async () => {
    const board = await app.pageAs('leader1', '/');
    const fgw = board.locator('#department-records tr[data-department="fgw"]');
    await expect(fgw.locator('[data-count="planned-and-signed"]').textContent()).resolves.toBe('1 / 1');
    await expect(fgw.locator('[data-count="leader-led-major"]').textContent()).resolves.toBe('1 / 1');
    await board.screenshot({ path: `${SHOTS}/drafting-board.png`, fullPage: true });
    const phone = await app.pageAs('leader1', '/', 390, 844);
    await expect(fitsWidth(phone)).resolves.toBe(true);
    await phone.screenshot({ path: `${SHOTS}/drafting-board-phone.png`, fullPage: true });
    await phone.goto(`${base}/documents?status=drafting`);
    await expect(fitsWidth(phone)).resolves.toBe(true);
    await phone.screenshot({ path: `${SHOTS}/drafting-list-phone.png`, fullPage: true });
    await phone.context().close();

    await board.goto(`${base}/reports?from=2026-11-01&to=2026-11-30`);
    const row = board.locator('#interpretation-table tr[data-department="fgw"]');
    expect(await text(board, '#interpretation-table tr[data-department="fgw"] td[data-label="同步审签"]')).toBe('1（100%）');
    await expect(row.locator('td[data-label="主要负责人解读"]').textContent()).resolves.toBe('1 / 1');
    await board.screenshot({ path: `${SHOTS}/drafting-report.png`, fullPage: true });
    await board.context().close();
    // The refused blank publication time is a 400 page, and the plan from a stale page a 412 one,
    // which the browser logs as failed resources.
    expect(app.problems.filter((p) => !/Failed to load resource: the server responded with a status of (400|412)/.test(p))).toEqual([]);
  });
});
