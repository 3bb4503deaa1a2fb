import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startBrowserApp, type BrowserApp } from '../support/browser.js';

// The audit log page in a real browser: entries made by earlier actions (through the API with the
// admin token, by a drafter signed in, by an admin through the calendar page), newest first, each
// showing what changed; the filters and paging; and who may see it at all.
// The app clock is pinned at 2026-11-20 10:00 Beijing time unless a step moves it.

let app: BrowserApp;
let base: string;
/** The document fgw01 registered and then renamed, signed in with its own session. */
let fgwDoc: { id: number; title: string; renamed: string };

const FGW_TITLE = '关于加快发展新质生产力的若干措施';
const FGW_RENAMED = '关于加快发展新质生产力的若干措施（修订）';

beforeAll(async () => {
  app = await startBrowserApp(); // 2 departments and 4 users, by admin-token
  base = app.base;
  const t = app.t;
  // One change two days earlier, for the date range.
  t.setNow('2026-11-18T09:30:00+08:00');
  const wjw = await t.call('POST', '/api/departments', { code: 'wjw', name: '市卫生健康委' });
  if (wjw.status !== 201) throw new Error(`seed department: ${JSON.stringify(wjw.body)}`);
  t.setNow('2026-11-20T10:00:00+08:00');
  // More than a page of document entries.
  for (let n = 1; n <= 52; n++) {
    const res = await t.call('POST', '/api/documents', { departmentCode: 'jyj', title: `市教育局通知（第 ${n} 号）`, publishedAt: '2026-11-16T10:00:00+08:00' });
    if (res.status !== 201) throw new Error(`seed document: ${JSON.stringify(res.body)}`);
  }
  // fgw01, signed in, registers a document and renames it through the JSON API with its session.
  t.setNow('2026-11-20T10:05:00+08:00');
  const page = await app.newPage();
  await app.signIn(page, 'fgw01', '/documents');
  const created = await page.request.post(`${base}/api/documents`, {
    headers: { Origin: base },
    data: { departmentCode: 'fgw', title: FGW_TITLE, publishedAt: '2026-11-19T10:00:00+08:00' },
  });
  if (created.status() !== 201) throw new Error(`fgw01 document: ${await created.text()}`);
  const id = ((await created.json()) as { id: number }).id;
  const renamed = await page.request.patch(`${base}/api/documents/${id}`, { headers: { Origin: base }, data: { title: FGW_RENAMED } });
  if (renamed.status() !== 200) throw new Error(`fgw01 rename: ${await renamed.text()}`);
  await page.context().close();
  t.setNow('2026-11-20T10:00:00+08:00');
  fgwDoc = { id, title: FGW_TITLE, renamed: FGW_RENAMED };
}, 120_000);

afterAll(() => app?.close());

const rows = (page: Page) => page.locator('#audit tbody tr');
const cell = (row: Locator, label: string) => row.locator(`td[data-label="${label}"]`);
const entryRows = (page: Page, entity: string, id: string | number) => page.locator(`#audit tbody tr[data-entity="${entity}"][data-entity-id="${id}"]`);
const change = (row: Locator, field: string) => row.locator(`ul.changes li[data-field="${field}"]`);
const columnOf = (page: Page, label: string) => page.locator(`#audit td[data-label="${label}"]`).allTextContents();
const filters = (page: Page) => page.locator('#audit-filters');
const errorNextTo = (form: Locator, name: string) => form.locator(`label:has([name="${name}"]) .field-error`);

async function applyFilters(page: Page, values: Record<string, string>) {
  const form = filters(page);
  for (const [name, value] of Object.entries(values)) {
    if (name === 'entity') await form.locator('select[name="entity"]').selectOption(value);
    else await form.locator(`input[name="${name}"]`).fill(value);
  }
  const navigation = page.waitForNavigation();
  await form.locator('button[type="submit"]').click();
  return (await navigation)!.status();
}

describe('audit log page in a browser', () => {
  for (const username of ['admin1', 'leader1']) {
    it(`when ${username} opens the audit log, then the drafter's changes are listed newest first with who, when and only what changed`, async () => {
      const page = await app.pageAs(username, '/audit');
      await expect(page.locator('h1').textContent()).resolves.toBe('审计日志');
      await expect(page.locator('header nav a[href="/audit"]').count()).resolves.toBe(1);
      await expect(rows(page).count()).resolves.toBe(50);
      const ids = (await rows(page).evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-id')))));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));

      // The rename is the newest entry: one field changed, old and new.
      const [renamed, created] = [entryRows(page, 'document', fgwDoc.id).nth(0), entryRows(page, 'document', fgwDoc.id).nth(1)];
      await expect(entryRows(page, 'document', fgwDoc.id).count()).resolves.toBe(2);
      await expect(rows(page).first().getAttribute('data-id')).resolves.toBe(await renamed.getAttribute('data-id'));
      await expect(cell(renamed, '时间').textContent()).resolves.toBe('2026-11-20 10:05:00');
      await expect(cell(renamed, '操作人').textContent()).resolves.toBe('fgw01');
      await expect(cell(renamed, '操作').textContent()).resolves.toBe('修改');
      await expect(cell(renamed, '对象').textContent()).resolves.toBe(`文件 #${fgwDoc.id}`);
      await expect(cell(renamed, '对象').locator('a').getAttribute('href')).resolves.toBe(`/documents/${fgwDoc.id}`);
      await expect(renamed.locator('ul.changes li').count()).resolves.toBe(1);
      await expect(change(renamed, 'title').locator('.f').textContent()).resolves.toBe('标题');
      await expect(change(renamed, 'title').locator('del').textContent()).resolves.toBe(fgwDoc.title);
      await expect(change(renamed, 'title').locator('ins').textContent()).resolves.toBe(fgwDoc.renamed);

      // The creation lists what it was created with, in words, and leaves the empty fields out.
      await expect(cell(created, '操作').textContent()).resolves.toBe('新建');
      await expect(cell(created, '操作人').textContent()).resolves.toBe('fgw01');
      await expect(change(created, 'title').textContent()).resolves.toBe(`标题：${fgwDoc.title}`);
      await expect(change(created, 'publishedAt').textContent()).resolves.toBe('发布时间：2026-11-19 10:00:00');
      await expect(change(created, 'requiresInterpretation').textContent()).resolves.toBe('需要解读：是');
      await expect(change(created, 'importance').textContent()).resolves.toBe('重要程度：普通');
      await expect(change(created, 'interpretationDueDate').textContent()).resolves.toBe('解读截止：2026-11-24');
      await expect(change(created, 'url').count()).resolves.toBe(0);
      await expect(created.locator('ul.changes del').count()).resolves.toBe(0);
      await expect(change(created, 'departmentCode').textContent()).resolves.toBe('部门：市发展改革委');
      await expect(change(created, 'drafting').textContent()).resolves.toBe('起草中：否');
      await page.screenshot({ path: `${SHOTS}/audit-${username}.png`, fullPage: true });

      // The earliest entries (the accounts, by the admin token) are on a later page.
      await page.goto(`${base}/audit?entity=user`);
      const user = entryRows(page, 'user', 2);
      // The service's own actors by what they are; the filter still takes the recorded name.
      await expect(cell(user, '操作人').textContent()).resolves.toBe('管理员令牌');
      await expect(cell(user, '操作人').locator('a').getAttribute('href')).resolves.toContain('actor=admin-token');
      await expect(change(user, 'username').textContent()).resolves.toBe('用户名：fgw01');
      await expect(change(user, 'role').textContent()).resolves.toBe('角色：起草部门');
      await expect(change(user, 'departmentCodes').textContent()).resolves.toBe('所属部门：市发展改革委');
      await page.context().close();
    });
  }

  it('when an incident is closed, then its entry shows the status it changed, not its id, search text or bookkeeping times', async () => {
    const incident = (await app.t.call('POST', '/api/incidents', { title: '审计测试事件', severity: 'general' })).body;
    expect((await app.t.call('PATCH', `/api/incidents/${incident.id}`, { status: 'closed' })).status).toBe(200);
    const page = await app.pageAs('leader1', `/audit?entity=incident&entityId=${incident.id}`);
    const closed = entryRows(page, 'incident', incident.id).nth(0);
    await expect(cell(closed, '操作').textContent()).resolves.toBe('修改');
    await expect(change(closed, 'status').textContent()).resolves.toBe('状态：进行中 → 已关闭');
    await expect(closed.locator('ul.changes li').count()).resolves.toBe(1);
    for (const field of ['id', 'searchText', 'createdAt', 'updatedAt']) await expect(change(closed, field).count(), field).resolves.toBe(0);
    // … which the full record still has.
    await expect(closed.locator('details.raw pre').textContent()).resolves.toContain('"createdAt"');
    const opened = entryRows(page, 'incident', incident.id).nth(1);
    for (const field of ['id', 'searchText', 'createdAt', 'updatedAt']) await expect(change(opened, field).count(), field).resolves.toBe(0);
    await page.context().close();
  });

  it('when the leader filters by actor, entity, id and dates, then only matching entries are listed, and a bad range is said next to the field', async () => {
    const page = await app.pageAs('leader1', '/audit');
    await expect(applyFilters(page, { actor: 'fgw01' })).resolves.toBe(200);
    expect(new URL(page.url()).searchParams.get('actor')).toBe('fgw01');
    await expect(columnOf(page, '操作人')).resolves.toEqual(['fgw01', 'fgw01']);
    await expect(columnOf(page, '操作')).resolves.toEqual(['修改', '新建']);
    await expect(filters(page).locator('input[name="actor"]').inputValue()).resolves.toBe('fgw01');

    await expect(applyFilters(page, { actor: '', entity: 'department' })).resolves.toBe(200);
    await expect(columnOf(page, '对象')).resolves.toEqual(['部门 #wjw', '部门 #jyj', '部门 #fgw']);
    await expect(change(entryRows(page, 'department', 'wjw'), 'name').textContent()).resolves.toBe('名称：市卫生健康委');
    await expect(cell(entryRows(page, 'department', 'wjw'), '时间').textContent()).resolves.toBe('2026-11-18 09:30:00');

    // Beijing dates, both ends included.
    await expect(applyFilters(page, { from: '2026-11-18', to: '2026-11-18' })).resolves.toBe(200);
    await expect(columnOf(page, '对象')).resolves.toEqual(['部门 #wjw']);
    await expect(applyFilters(page, { from: '2026-11-19', to: '2026-11-20' })).resolves.toBe(200);
    await expect(columnOf(page, '对象')).resolves.toEqual(['部门 #jyj', '部门 #fgw']);
    const url = new URL(page.url());
    expect([url.searchParams.get('entity'), url.searchParams.get('from'), url.searchParams.get('to')]).toEqual(['department', '2026-11-19', '2026-11-20']);
    await expect(applyFilters(page, { from: '2026-11-21', to: '' })).resolves.toBe(200);
    await expect(rows(page).count()).resolves.toBe(0);
    await expect(page.locator('.empty').textContent()).resolves.toBe('没有符合条件的记录。');

    // One entity by its id.
    await page.goto(`${base}/audit`);
    await expect(applyFilters(page, { entity: 'document', entityId: String(fgwDoc.id) })).resolves.toBe(200);
    await expect(columnOf(page, '操作')).resolves.toEqual(['修改', '新建']);

    // A range that ends before it starts.
    await page.goto(`${base}/audit`);
    await expect(applyFilters(page, { from: '2026-11-20', to: '2026-11-18' })).resolves.toBe(400);
    await expect(errorNextTo(filters(page), 'to').textContent()).resolves.toBe('截止日期不能早于起始日期');
    await expect(filters(page).locator('.field-error').count()).resolves.toBe(1);
    await expect(page.locator('#audit').count()).resolves.toBe(0);
    await expect(filters(page).locator('input[name="from"]').inputValue()).resolves.toBe('2026-11-20');
    await page.screenshot({ path: `${SHOTS}/audit-filter-error.png`, fullPage: true });

    // An actor's name is a link to that actor's entries.
    await page.goto(`${base}/audit?entity=document&entityId=${fgwDoc.id}`);
    await rows(page).first().locator('td[data-label="操作人"] a').click();
    await page.waitForURL(/actor=fgw01/);
    await expect(columnOf(page, '操作人')).resolves.toEqual(['fgw01', 'fgw01']);
    await page.context().close();
  });

  it('when there are more than 50 entries, then 下一页 and 上一页 page through them, keeping the filters', async () => {
    const page = await app.pageAs('admin1', '/audit?entity=document');
    await expect(rows(page).count()).resolves.toBe(50);
    await expect(page.getByRole('link', { name: '上一页' }).count()).resolves.toBe(0);
    const first = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')));

    await page.getByRole('link', { name: '下一页' }).click();
    await page.waitForURL(/offset=50/);
    expect(new URL(page.url()).searchParams.get('entity')).toBe('document');
    await expect(rows(page).count()).resolves.toBe(4); // 52 seeded, plus fgw01's creation and rename
    await expect(page.getByRole('link', { name: '下一页' }).count()).resolves.toBe(0);
    await expect(page.locator('.pager .muted').textContent()).resolves.toBe('第 51–54 条');
    const second = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')));
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    expect(new Set(await columnOf(page, '对象')).size).toBe(4);
    for (const label of await page.locator('#audit td[data-label="对象"]').allTextContents()) expect(label).toMatch(/^文件 #\d+$/);

    await page.getByRole('link', { name: '上一页' }).click();
    await page.waitForURL((u) => !u.searchParams.has('offset') && u.searchParams.get('entity') === 'document');
    await expect(rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')))).resolves.toEqual(first);
    await page.context().close();
  });

  it('when an admin sets a calendar day on the calendar page and resets it, then both changes are in the log under its name', async () => {
    const page = await app.pageAs('admin1', '/audit');
    for (const form of [{ date: '2026-12-01', kind: 'holiday', name: '临时调整' }, { date: '2026-12-01', kind: 'default', name: '' }]) {
      const res = await page.request.post(`${base}/calendar/days`, { headers: { Origin: base }, form, maxRedirects: 0 });
      expect(res.status()).toBe(303);
    }
    await page.goto(`${base}/audit?entity=calendar_day`);
    const [reset, set] = [rows(page).nth(0), rows(page).nth(1)];
    await expect(rows(page).count()).resolves.toBe(2);
    await expect(cell(set, '操作人').textContent()).resolves.toBe('admin1');
    await expect(cell(set, '操作').textContent()).resolves.toBe('设置单日');
    await expect(cell(set, '对象').textContent()).resolves.toBe('工作日历 2026-12-01');
    await expect(cell(set, '对象').locator('a').getAttribute('href')).resolves.toBe('/calendar?year=2026#d-2026-12-01');
    await expect(set.locator('ul.changes li').allTextContents()).resolves.toEqual(['日期：2026-12-01', '类型：休息日（节假日）', '名称：临时调整']);
    await expect(cell(reset, '操作').textContent()).resolves.toBe('恢复默认');
    await expect(reset.locator('ul.changes del').allTextContents()).resolves.toEqual(['2026-12-01', '休息日（节假日）', '临时调整']);
    await expect(reset.locator('ul.changes ins').count()).resolves.toBe(0);
    await page.context().close();
  });

  for (const username of ['fgw01', 'xwb01']) {
    it(`when ${username} opens the audit log, then it gets the 403 page and no link to it`, async () => {
      const page = await app.pageAs(username, '/documents');
      await expect(page.locator('header nav a[href="/audit"]').count()).resolves.toBe(0);
      const res = await page.goto(`${base}/audit?actor=fgw01`);
      expect(res!.status()).toBe(403);
      await expect(page.locator('h1').textContent()).resolves.toBe('无权访问');
      await expect(page.locator('main').textContent()).resolves.toContain('当前角色无权查看审计日志');
      await expect(page.locator('#audit').count()).resolves.toBe(0);
      await page.context().close();
    });
  }

  it('when GET /api/audit is asked for the same date range, then it answers the same entries (the page mirrors the API)', async () => {
    const day = await app.t.call('GET', '/api/audit?from=2026-11-18&to=2026-11-18');
    expect(day.status).toBe(200);
    expect(day.body.items.map((e: { entity: string; entityId: string }) => `${e.entity}:${e.entityId}`)).toEqual(['department:wjw']);
    expect((await app.t.call('GET', '/api/audit?from=2026-11-19&entity=department')).body.items).toHaveLength(2);
    expect((await app.t.call('GET', '/api/audit?from=2026-02-30')).status).toBe(400);
  });

  it('when seen on a 390 px phone, then the log does not scroll sideways, also with a full record opened', async () => {
    const page = await app.pageAs('leader1', '/audit', 390, 844);
    await expect(page.locator('#audit thead').isVisible()).resolves.toBe(false); // rows are stacked cards
    await expect(rows(page).count()).resolves.toBe(50);
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    await entryRows(page, 'document', fgwDoc.id).nth(1).locator('details.raw summary').click();
    await expect(entryRows(page, 'document', fgwDoc.id).nth(1).locator('details.raw pre').isVisible()).resolves.toBe(true);
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/audit-phone.png`, fullPage: false });
    await page.goto(`${base}/audit?from=2026-11-20&to=2026-11-18`);
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    await page.context().close();
  });

  it('has no page errors or console errors', () => {
    // Refused requests answer 4xx on purpose, and Chromium logs each such main-document response.
    const failedResource = /^console: Failed to load resource: the server responded with a status of 4\d\d \([^)]*\)$/;
    expect(app.problems.filter((p) => !failedResource.test(p))).toEqual([]);
  });
});
