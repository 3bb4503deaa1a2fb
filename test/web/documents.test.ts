import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startBrowserApp, type BrowserApp, submit } from '../support/browser.js';

// The documents pages in a real browser: the list with its filters and paging, registering a
// document, its detail page with linked interpretations, and who sees which forms.
// The app clock is pinned at Friday 2026-11-20 10:00 (Beijing time); no holidays nearby.

let app: BrowserApp;
let base: string;

interface Seeded {
  id: number;
  title: string;
}

const doc: Record<string, Seeded> = {};
let packageInterpretationId = 0;

async function seedDocument(fields: Record<string, unknown>): Promise<Seeded> {
  const res = await app.t.call('POST', '/api/documents', { departmentCode: 'fgw', ...fields });
  if (res.status !== 201) throw new Error(`seed document: ${JSON.stringify(res.body)}`);
  return { id: res.body.id, title: res.body.title };
}

async function seedInterpretation(fields: Record<string, unknown>): Promise<number> {
  const res = await app.t.call('POST', '/api/interpretations', { form: 'text', ...fields });
  if (res.status !== 201) throw new Error(`seed interpretation: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

beforeAll(async () => {
  app = await startBrowserApp();
  base = app.base;
  // fgw
  doc.duplicate = await seedDocument({ docNumber: '沪发改规〔2026〕5号', title: '关于促进民营经济发展的若干措施', publishedAt: '2026-11-02T10:00:00+08:00' }); // due 11-05: overdue
  doc.forOnTime = await seedDocument({ title: '关于推进数字政府建设的实施意见', publishedAt: '2026-11-16T09:00:00+08:00' }); // due 11-19
  doc.forLate = await seedDocument({ title: '关于加强城市更新工作的通知', publishedAt: '2026-11-10T10:00:00+08:00' }); // due 11-13
  doc.forErrors = await seedDocument({ title: '关于做好今冬明春电力保供工作的通知', publishedAt: '2026-11-19T10:00:00+08:00' }); // due 11-24
  doc.pending = await seedDocument({ title: '关于开展公共数据授权运营试点的通知', publishedAt: '2026-11-19T11:00:00+08:00' }); // due 11-24: 2 left
  doc.dueToday = await seedDocument({ title: '关于开展2026年度价格监督检查的通知', publishedAt: '2026-11-17T10:00:00+08:00' }); // due 11-20
  doc.linkA = await seedDocument({
    title: '关于扩大有效投资的若干措施',
    publishedAt: '2026-11-17T10:00:00+08:00',
    url: 'https://fgw.example.gov.cn/zcwj/2026/11/17/guanyukuodayouxiaotouzideruoganjucuo-quanwen-fujian-yilan-20261117.html',
  });
  doc.linkB = await seedDocument({ title: '关于优化营商环境的补充通知', publishedAt: '2026-11-18T10:00:00+08:00' }); // due 11-23: 1 left
  packageInterpretationId = await seedInterpretation({
    title: '发改委系列政策解读汇编',
    publishedAt: '2026-11-19T09:00:00+08:00',
    url: 'https://fgw.example.gov.cn/zcjd/2026/11/19/xiliezhengcejieduhuibian-quanwen-20261119.html',
    documentIds: [doc.linkA.id],
  });
  // jyj
  doc.exempt = await seedDocument({
    departmentCode: 'jyj',
    title: '市教育局机关内部考勤管理办法',
    publishedAt: '2026-11-12T10:00:00+08:00',
    requiresInterpretation: false,
    exemptReason: '机关内部管理制度，不涉及公众权利义务',
  });
  doc.seededOnTime = await seedDocument({ departmentCode: 'jyj', title: '关于印发教育数字化行动方案的通知', publishedAt: '2026-11-16T10:00:00+08:00' });
  await seedInterpretation({ title: '教育数字化行动方案问答', form: 'qa', publishedAt: '2026-11-17T10:00:00+08:00', documentIds: [doc.seededOnTime.id] });
  doc.seededLate = await seedDocument({ departmentCode: 'jyj', title: '关于规范校外培训收费的通知', publishedAt: '2026-11-02T10:00:00+08:00' });
  await seedInterpretation({ title: '一图读懂校外培训收费规定', form: 'graphic', publishedAt: '2026-11-10T10:00:00+08:00', documentIds: [doc.seededLate.id] });
  // 52 overdue jyj documents: more than one page of 50.
  for (let n = 1; n <= 52; n++) {
    await seedDocument({ departmentCode: 'jyj', title: `市教育局通知（第 ${n} 号）`, publishedAt: `2026-09-${String(1 + (n % 28)).padStart(2, '0')}T10:00:00+08:00` });
  }
}, 120_000);

afterAll(() => app?.close());

const rowOf = (page: Page, title: string) => page.locator('#documents tbody tr').filter({ has: page.getByRole('link', { name: title, exact: true }) });
const cell = (row: Locator, label: string) => row.locator(`td[data-label="${label}"]`);
const register = (page: Page) => page.locator('#register-form');
const errorNextTo = (form: Locator, name: string) => form.locator(`label:has([name="${name}"]) .field-error`);
const listedTitles = (page: Page) => page.locator('#documents td[data-label="标题"] a').allTextContents();

async function openRegisterForm(page: Page) {
  await page.locator('details.register summary').click();
  await expect(register(page).isVisible()).resolves.toBe(true);
}

describe('documents pages in a browser', () => {
  it('when a drafter registers a document through the form, then it is listed with its due date and has a detail page', async () => {
    const page = await app.pageAs('fgw01', '/documents');
    await openRegisterForm(page);
    // A drafter may choose only its own department.
    await expect(register(page).locator('select[name="departmentCode"] option').evaluateAll((os) => os.map((o) => o.getAttribute('value')))).resolves.toEqual(['fgw']);
    const form = register(page);
    await form.locator('input[name="docNumber"]').fill('沪发改规〔2026〕8号');
    await form.locator('input[name="title"]').fill('关于支持低空经济高质量发展的若干措施');
    await form.locator('input[name="publishedAt"]').fill('2026-11-16T09:00');
    await form.locator('input[name="url"]').fill('https://fgw.example.gov.cn/zcwj/8.html');
    await form.locator('select[name="importance"]').selectOption('major');
    await form.locator('select[name="docType"]').selectOption('normative');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(303);

    expect(page.url()).toMatch(new RegExp(`^${base}/documents/\\d+$`));
    const detailUrl = page.url();
    await expect(page.locator('h1').textContent()).resolves.toBe('关于支持低空经济高质量发展的若干措施');
    await expect(page.locator('#due-date').textContent()).resolves.toBe('2026-11-19');
    await expect(page.locator('#status').textContent()).resolves.toBe('逾期');
    const facts = await page.locator('dl.facts').textContent();
    expect(facts).toContain('沪发改规〔2026〕8号');
    expect(facts).toContain('2026-11-16 09:00');
    expect(facts).toContain('重大');
    expect(facts).toContain('市发展改革委');
    // 文件类别, as the annual report counts it: chosen when registering, changed on the page.
    await expect(page.locator('#doc-type').textContent()).resolves.toBe('行政规范性文件');
    const id = Number(detailUrl.split('/').pop());
    expect((await app.t.call('GET', `/api/documents/${id}`)).body.docType).toBe('normative');
    await page.locator('#doc-type-form select[name="docType"]').selectOption('regulation');
    await expect(submit(page, page.locator('#doc-type-form button[type="submit"]'))).resolves.toBe(303);
    await expect(page.locator('#doc-type').textContent()).resolves.toBe('规章');
    expect((await app.t.call('GET', `/api/documents/${id}`)).body.docType).toBe('regulation');
    await page.locator('#doc-type-form select[name="docType"]').selectOption('');
    await expect(submit(page, page.locator('#doc-type-form button[type="submit"]'))).resolves.toBe(303);
    await expect(page.locator('#doc-type').textContent()).resolves.toBe('其他文件');
    expect((await app.t.call('GET', `/api/documents/${id}`)).body.docType).toBeNull();

    await page.goto(`${base}/documents`);
    const row = rowOf(page, '关于支持低空经济高质量发展的若干措施');
    await expect(row.count()).resolves.toBe(1);
    await expect(cell(row, '文号').textContent()).resolves.toBe('沪发改规〔2026〕8号');
    await expect(cell(row, '部门').textContent()).resolves.toBe('市发展改革委');
    await expect(cell(row, '发布日期').textContent()).resolves.toBe('2026-11-16');
    await expect(cell(row, '解读截止').textContent()).resolves.toBe('2026-11-19');
    await expect(cell(row, '状态').textContent()).resolves.toBe('逾期');
    await page.screenshot({ path: `${SHOTS}/documents-list.png`, fullPage: true });

    await row.getByRole('link').click();
    await page.waitForURL(detailUrl);
    await expect(page.locator('h1').textContent()).resolves.toBe('关于支持低空经济高质量发展的若干措施');
    await page.screenshot({ path: `${SHOTS}/documents-detail.png`, fullPage: true });
    await page.context().close();
  });

  it('when the title is left empty, then the Chinese error is next to the title field and the other input is kept', async () => {
    const page = await app.pageAs('fgw01', '/documents');
    await openRegisterForm(page);
    const form = register(page);
    await form.locator('input[name="docNumber"]').fill('沪发改规〔2026〕9号');
    await form.locator('input[name="publishedAt"]').fill('2026-11-18T10:00');
    await form.locator('input[name="url"]').fill('https://fgw.example.gov.cn/zcwj/9.html');
    await form.locator('select[name="importance"]').selectOption('major');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(400);

    expect(page.url()).toBe(`${base}/documents`);
    await expect(form.isVisible()).resolves.toBe(true); // the form is open again, not folded away
    await expect(errorNextTo(form, 'title').textContent()).resolves.toBe('请填写标题');
    await expect(form.locator('.field-error').count()).resolves.toBe(1);
    await expect(form.locator('input[name="docNumber"]').inputValue()).resolves.toBe('沪发改规〔2026〕9号');
    await expect(form.locator('input[name="publishedAt"]').inputValue()).resolves.toBe('2026-11-18T10:00');
    await expect(form.locator('input[name="url"]').inputValue()).resolves.toBe('https://fgw.example.gov.cn/zcwj/9.html');
    await expect(form.locator('select[name="importance"]').inputValue()).resolves.toBe('major');
    await expect(form.locator('input[name="requiresInterpretation"]').isChecked()).resolves.toBe(true);
    // For a screen reader: focus is on the field to change, named by its label alone and described
    // by its error, and a summary at the top of the form is announced.
    const title = form.getByRole('textbox', { name: '标题', exact: true });
    await expect(title.evaluate((el) => el === el.ownerDocument.activeElement)).resolves.toBe(true);
    await expect(title.getAttribute('aria-invalid')).resolves.toBe('true');
    const described = (await title.getAttribute('aria-describedby'))!;
    await expect(page.locator(`[id="${described}"]`).textContent()).resolves.toBe('请填写标题');
    await expect(form.getByRole('alert').textContent()).resolves.toBe('提交未成功：有 1 处需要修改，见各项下方的说明。');
    await page.screenshot({ path: `${SHOTS}/documents-register-error.png`, fullPage: true });
    // Nothing was registered.
    const all = await app.t.call('GET', '/api/documents?limit=500');
    expect(all.body.items.some((d: { docNumber: string | null }) => d.docNumber === '沪发改规〔2026〕9号')).toBe(false);
    await page.context().close();
  });

  it('when a 文号 is already registered, then the 409 message is next to 文号', async () => {
    const page = await app.pageAs('fgw01', '/documents');
    await openRegisterForm(page);
    const form = register(page);
    await form.locator('input[name="docNumber"]').fill('沪发改规〔2026〕5号');
    await form.locator('input[name="title"]').fill('关于促进民营经济发展的若干措施（修订）');
    await form.locator('input[name="publishedAt"]').fill('2026-11-18T10:00');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(409);

    await expect(errorNextTo(form, 'docNumber').textContent()).resolves.toBe('文号 沪发改规〔2026〕5号 已登记');
    await expect(form.locator('input[name="title"]').inputValue()).resolves.toBe('关于促进民营经济发展的若干措施（修订）');
    await page.context().close();
  });

  it('when a drafter posts a document for another department, then the refusal is next to 起草部门', async () => {
    const page = await app.pageAs('fgw01', '/documents');
    await openRegisterForm(page);
    const form = register(page);
    // The select offers only fgw; a hand-edited page can still send another department.
    // (A string is evaluated as an expression, so this one is a statement, not a function.)
    await page.evaluate(`document.querySelector('#register-form select[name="departmentCode"]').add(new Option('市教育局', 'jyj', true, true))`);
    await expect(form.locator('select[name="departmentCode"]').inputValue()).resolves.toBe('jyj');
    await form.locator('input[name="title"]').fill('关于义务教育阶段招生入学工作的通知');
    await form.locator('input[name="publishedAt"]').fill('2026-11-18T10:00');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(403);

    await expect(errorNextTo(form, 'departmentCode').textContent()).resolves.toContain('不在您负责的部门（fgw）之内');
    await expect(form.locator('input[name="title"]').inputValue()).resolves.toBe('关于义务教育阶段招生入学工作的通知');
    await page.context().close();
  });

  it('when the drafter adds an interpretation published before the due date, then the status becomes 按时', async () => {
    const page = await app.pageAs('fgw01', `/documents/${doc.forOnTime!.id}`);
    await expect(page.locator('#status').textContent()).resolves.toBe('逾期');
    const form = page.locator('#add-interpretation');
    await form.locator('input[name="title"]').fill('《关于推进数字政府建设的实施意见》政策问答');
    await form.locator('select[name="form"]').selectOption('qa');
    await form.locator('input[name="url"]').fill('https://fgw.example.gov.cn/zcjd/12.html');
    await form.locator('input[name="publishedAt"]').fill('2026-11-18T15:00');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(303);

    expect(page.url()).toBe(`${base}/documents/${doc.forOnTime!.id}`);
    await expect(page.locator('#status').textContent()).resolves.toBe('按时');
    const row = page.locator('#interpretations tbody tr');
    await expect(row.count()).resolves.toBe(1);
    await expect(cell(row, '标题').textContent()).resolves.toBe('《关于推进数字政府建设的实施意见》政策问答');
    await expect(cell(row, '形式').textContent()).resolves.toBe('问答');
    await expect(cell(row, '发布时间').textContent()).resolves.toBe('2026-11-18 15:00');
    await expect(cell(row, '链接').locator('a').getAttribute('href')).resolves.toBe('https://fgw.example.gov.cn/zcjd/12.html');
    await page.context().close();
  });

  it('when the drafter adds an interpretation published after the due date, then the status becomes 迟发', async () => {
    const page = await app.pageAs('fgw01', `/documents/${doc.forLate!.id}`);
    await expect(page.locator('#due-date').textContent()).resolves.toBe('2026-11-13');
    const form = page.locator('#add-interpretation');
    await form.locator('input[name="title"]').fill('一图读懂城市更新工作通知');
    await form.locator('select[name="form"]').selectOption('graphic');
    await form.locator('input[name="publishedAt"]').fill('2026-11-19T16:00');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(303);

    await expect(page.locator('#status').textContent()).resolves.toBe('迟发');
    await expect(cell(page.locator('#interpretations tbody tr'), '形式').textContent()).resolves.toBe('图解');
    await page.context().close();
  });

  it('when an interpretation is submitted without a title and with a bad link, then each error is next to its field', async () => {
    const page = await app.pageAs('fgw01', `/documents/${doc.forErrors!.id}`);
    const form = page.locator('#add-interpretation');
    await form.locator('input[name="url"]').fill('ftp://fgw.example.gov.cn/13.html');
    await form.locator('input[name="publishedAt"]').fill('2026-11-19T16:00');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(400);

    await expect(errorNextTo(form, 'title').textContent()).resolves.toBe('请填写标题');
    await expect(errorNextTo(form, 'url').textContent()).resolves.toBe('链接应以 http:// 或 https:// 开头');
    await expect(form.locator('input[name="publishedAt"]').inputValue()).resolves.toBe('2026-11-19T16:00');
    await expect(page.locator('#status').textContent()).resolves.toBe('待解读（剩余 2 个工作日）');
    await expect(page.locator('#interpretations').count()).resolves.toBe(0);
    await page.context().close();
  });

  it('when the drafter finds an existing interpretation by its title, links it and then unlinks it, then the status follows, and refusals are shown in place', async () => {
    // A second page with the same results, left open: by the time its 关联 is pressed, the link exists.
    const stale = await app.pageAs('fgw01', `/documents/${doc.linkB!.id}`);
    await stale.goto(`${base}/documents/${doc.linkB!.id}?linkQ=${encodeURIComponent('解读汇编')}#link-interpretation`);
    const page = await app.pageAs('fgw01', `/documents/${doc.linkB!.id}`);
    await expect(page.locator('#status').textContent()).resolves.toBe('待解读（剩余 1 个工作日）');
    const form = page.locator('#link-interpretation');
    const search = form.getByRole('button', { name: '检索' });

    await form.locator('input[name="linkQ"]').fill('不存在的标题');
    await expect(submit(page, search)).resolves.toBe(200);
    await expect(form.locator('#no-interpretations').textContent()).resolves.toContain('没有标题包含“不存在的标题”的解读材料');

    // A few words of the title (full-width or not) find it; the number need not be known.
    await form.locator('input[name="linkQ"]').fill('政策解读汇编');
    await expect(submit(page, search)).resolves.toBe(200);
    const result = form.locator(`#interpretation-results li[data-id="${packageInterpretationId}"]`);
    await expect(result.textContent()).resolves.toContain('发改委系列政策解读汇编');
    await expect(result.textContent()).resolves.toContain('已关联 1 份文件');
    await expect(submit(page, result.getByRole('button', { name: '关联' }))).resolves.toBe(303);
    await expect(page.locator('#status').textContent()).resolves.toBe('按时');
    const row = page.locator(`#interpretations tr[data-id="${packageInterpretationId}"]`);
    await expect(cell(row, '标题').textContent()).resolves.toBe('发改委系列政策解读汇编');
    await expect(cell(row, '形式').textContent()).resolves.toBe('文字解读');

    // Found again, it is marked as linked rather than offered.
    await form.locator('input[name="linkQ"]').fill('解读汇编');
    await expect(submit(page, search)).resolves.toBe(200);
    await expect(result.locator('.linked').textContent()).resolves.toBe('已关联本文件');
    await expect(result.getByRole('button', { name: '关联' }).count()).resolves.toBe(0);

    // The stale page's button is refused, the reason shown beside the search with the results kept.
    const staleForm = stale.locator('#link-interpretation');
    await expect(submit(stale, staleForm.locator(`li[data-id="${packageInterpretationId}"]`).getByRole('button', { name: '关联' }))).resolves.toBe(409);
    await expect(staleForm.locator('.field-error[data-field="interpretationId"]').textContent()).resolves.toBe(`解读材料 ${packageInterpretationId} 已关联文件 ${doc.linkB!.id}`);
    await expect(staleForm.locator('input[name="linkQ"]').inputValue()).resolves.toBe('解读汇编');
    await expect(staleForm.locator(`li[data-id="${packageInterpretationId}"] .linked`).count()).resolves.toBe(1);
    await page.screenshot({ path: `${SHOTS}/document-link-search.png`, fullPage: true });
    await stale.context().close();

    await expect(submit(page, row.getByRole('button', { name: '取消关联' }))).resolves.toBe(303);
    await expect(page.locator('#status').textContent()).resolves.toBe('待解读（剩余 1 个工作日）');
    await expect(page.locator('#interpretations').count()).resolves.toBe(0);

    // Its last document cannot be taken away from an interpretation.
    await page.goto(`${base}/documents/${doc.linkA!.id}`);
    const last = page.locator(`#interpretations tr[data-id="${packageInterpretationId}"]`);
    await expect(submit(page, last.getByRole('button', { name: '取消关联' }))).resolves.toBe(422);
    await expect(last.locator('.field-error').textContent()).resolves.toContain('至少要关联一个文件');
    await expect(page.locator('#status').textContent()).resolves.toBe('按时');
    await page.context().close();
  });

  for (const username of ['leader1', 'xwb01']) {
    it(`when ${username} opens the documents, then the list shows but no form to register, add, link or unlink`, async () => {
      const page = await app.pageAs(username, '/documents');
      await expect(page.locator('#documents tbody tr').count()).resolves.toBe(50);
      await expect(page.locator('details.register').count()).resolves.toBe(0);
      await expect(page.locator('form[method="post"][action="/documents"]').count()).resolves.toBe(0);
      await expect(page.locator('main').textContent()).resolves.not.toContain('登记文件');

      await page.goto(`${base}/documents/${doc.seededLate!.id}`);
      await expect(page.locator('#interpretations tbody tr').count()).resolves.toBe(1);
      await expect(page.locator('main form[method="post"]').count()).resolves.toBe(0);
      await expect(page.locator('main').textContent()).resolves.not.toMatch(/添加解读材料|关联已有解读材料|取消关联/);

      // A post made without the form is refused too, and changes nothing.
      const res = await page.request.post(`${base}/documents/${doc.seededLate!.id}/interpretations`, {
        headers: { Origin: base },
        form: { title: '越权添加的解读', form: 'text', url: '', publishedAt: '2026-11-19T10:00' },
      });
      expect(res.status()).toBe(403);
      expect(await res.text()).toContain('无权访问');
      const after = await app.t.call('GET', `/api/documents/${doc.seededLate!.id}`);
      expect(after.body.interpretations.map((i: { title: string }) => i.title)).toEqual(['一图读懂校外培训收费规定']);
      await page.context().close();
    });
  }

  it("when a drafter opens another department's document, then it may read it but sees no interpretation forms", async () => {
    const page = await app.pageAs('fgw01', `/documents/${doc.seededOnTime!.id}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('关于印发教育数字化行动方案的通知');
    await expect(page.locator('#add-interpretation').count()).resolves.toBe(0);
    await expect(page.locator('#link-interpretation').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: '取消关联' }).count()).resolves.toBe(0);
    await expect(page.locator('#doc-type-form').count()).resolves.toBe(0);
    await expect(page.locator('#doc-type').textContent()).resolves.toBe('其他文件');
    await expect(page.locator('main').textContent()).resolves.toContain('此文件属于其他部门');
    await page.context().close();
  });

  it('when the list is filtered by status, then only documents of that status are shown, with days left for pending ones', async () => {
    const page = await app.pageAs('leader1', '/documents');
    await page.locator('form.filters select[name="status"]').selectOption('overdue');
    await page.locator('form.filters select[name="departmentCode"]').selectOption('fgw');
    await page.locator('form.filters button[type="submit"]').click();
    await page.waitForURL(/[?&]status=overdue/);
    expect(new URL(page.url()).searchParams.get('departmentCode')).toBe('fgw');
    await expect(page.locator('form.filters select[name="status"]').inputValue()).resolves.toBe('overdue');
    let statuses = await page.locator('#documents [data-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['overdue']));
    expect(await listedTitles(page)).toContain(doc.duplicate!.title);
    expect(await listedTitles(page)).not.toContain(doc.pending!.title);

    const expected: Record<string, { includes: string[]; excludes: string[] }> = {
      pending: { includes: [doc.pending!.title, doc.dueToday!.title], excludes: [doc.duplicate!.title, doc.exempt!.title] },
      on_time: { includes: [doc.seededOnTime!.title], excludes: [doc.seededLate!.title, doc.pending!.title] },
      late: { includes: [doc.seededLate!.title], excludes: [doc.seededOnTime!.title, doc.duplicate!.title] },
      exempt: { includes: [doc.exempt!.title], excludes: [doc.pending!.title] },
    };
    for (const [status, { includes, excludes }] of Object.entries(expected)) {
      await page.goto(`${base}/documents?status=${status}`);
      statuses = await page.locator('#documents [data-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
      expect(statuses.length).toBeGreaterThan(0);
      expect(new Set(statuses)).toEqual(new Set([status]));
      const titles = await listedTitles(page);
      for (const t of includes) expect(titles).toContain(t);
      for (const t of excludes) expect(titles).not.toContain(t);
    }
    await page.goto(`${base}/documents?status=exempt`);
    await expect(listedTitles(page)).resolves.toEqual([doc.exempt!.title]);
    await expect(page.locator('#documents [data-status]').textContent()).resolves.toBe('免于解读');
    // No deadline to read as one: an exempt document has none, in the list and on its page.
    await expect(cell(rowOf(page, doc.exempt!.title), '解读截止').textContent()).resolves.toBe('不适用（免于解读）');
    await rowOf(page, doc.exempt!.title).getByRole('link').click();
    await page.waitForURL(/\/documents\/\d+$/);
    await expect(page.locator('#due-date').textContent()).resolves.toBe('不适用（免于解读）');

    await page.goto(`${base}/documents?status=pending`);
    await expect(cell(rowOf(page, doc.pending!.title), '状态').textContent()).resolves.toBe('待解读（剩余 2 个工作日）');
    await expect(cell(rowOf(page, doc.dueToday!.title), '状态').textContent()).resolves.toBe('待解读（今日到期）');

    // By department, with the status filter kept.
    await page.locator('form.filters select[name="departmentCode"]').selectOption('jyj');
    await page.locator('form.filters button[type="submit"]').click();
    await page.waitForURL(/departmentCode=jyj/);
    await expect(page.locator('#documents').count()).resolves.toBe(0);
    await expect(page.locator('.empty').textContent()).resolves.toBe('没有符合条件的文件。');
    await page.goto(`${base}/documents?departmentCode=jyj`);
    const departments = await page.locator('#documents td[data-label="部门"]').allTextContents();
    expect(departments.length).toBe(50);
    expect(new Set(departments)).toEqual(new Set(['市教育局']));
    await page.context().close();
  });

  it('when there are more than 50 documents, then 下一页 and 上一页 page through them, keeping the filters', async () => {
    const page = await app.pageAs('leader1', '/documents?status=overdue&departmentCode=jyj');
    const rows = page.locator('#documents tbody tr');
    await expect(rows.count()).resolves.toBe(50);
    await expect(page.getByRole('link', { name: '上一页' }).count()).resolves.toBe(0);
    const firstPage = await listedTitles(page);

    await page.getByRole('link', { name: '下一页' }).click();
    await page.waitForURL(/offset=50/);
    const url = new URL(page.url());
    expect(url.searchParams.get('status')).toBe('overdue');
    expect(url.searchParams.get('departmentCode')).toBe('jyj');
    await expect(rows.count()).resolves.toBe(2);
    await expect(page.getByRole('link', { name: '下一页' }).count()).resolves.toBe(0);
    const secondPage = await listedTitles(page);
    expect(secondPage.filter((t) => firstPage.includes(t))).toEqual([]);
    expect(new Set([...firstPage, ...secondPage]).size).toBe(52);

    await page.getByRole('link', { name: '上一页' }).click();
    await page.waitForURL((u) => !u.searchParams.has('offset'));
    await expect(listedTitles(page)).resolves.toEqual(firstPage);

    // Past the end: said so, with the way back; an offset too large to be one is the first page.
    await page.goto(`${base}/documents?status=overdue&departmentCode=jyj&offset=500`);
    await expect(page.locator('nav.pager').textContent()).resolves.toContain('第 500 条之后没有记录');
    await page.getByRole('link', { name: '回到第一页' }).click();
    await page.waitForURL((u) => !u.searchParams.has('offset'));
    await expect(listedTitles(page)).resolves.toEqual(firstPage);
    for (const path of ['/documents', '/incidents', '/disclosure', '/rules', '/audit']) {
      const res = await page.goto(`${base}${path}?offset=1e19`);
      expect(res?.status(), path).toBe(200);
      await expect(page.getByRole('link', { name: '上一页' }).count(), path).resolves.toBe(0);
    }
    await page.context().close();
  });

  it('when seen on a 390 px phone, then neither the list nor the detail page scrolls sideways', async () => {
    const page = await app.pageAs('fgw01', '/documents', 390, 844);
    await openRegisterForm(page);
    await expect(page.locator('#documents thead').isVisible()).resolves.toBe(false); // rows are stacked cards
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/documents-list-phone.png`, fullPage: true });

    await page.goto(`${base}/documents/${doc.linkA!.id}`);
    await expect(page.locator('#interpretations tbody tr').count()).resolves.toBe(1);
    await expect(page.locator('#add-interpretation').isVisible()).resolves.toBe(true);
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/documents-detail-phone.png`, fullPage: true });
    await page.context().close();
  });

  it('when the publication dates are reversed or not dates, then the page says which was not applied, and filters by the rest', async () => {
    const page = await app.pageAs('leader1', '/documents?status=pending&publishedFrom=2026-11-19&publishedTo=2026-11-01');
    await expect(page.locator('#date-problem').textContent()).resolves.toBe('截止日期 2026-11-01 早于起始日期 2026-11-19，未按截止日期筛选');
    const titles = await listedTitles(page);
    expect(titles).toContain(doc.pending!.title); // published 11-19: from 11-19 on
    expect(titles).not.toContain(doc.dueToday!.title); // published 11-17: before
    await page.screenshot({ path: `${SHOTS}/documents-date-problem.png` });
    await expect(page.locator('input[name="publishedTo"]').inputValue()).resolves.toBe('');
    await page.goto(`${base}/documents?publishedFrom=2026-02-30`);
    await expect(page.locator('#date-problem').textContent()).resolves.toBe('发布日期“从”「2026-02-30」不是有效日期，未按它筛选');
    await page.goto(`${base}/documents?publishedFrom=2026-11-01&publishedTo=2026-11-30`);
    await expect(page.locator('#date-problem').count()).resolves.toBe(0);
    await page.context().close();
  });

  it('when a document does not exist, then the page says so with 404', async () => {
    const page = await app.pageAs('leader1', '/documents');
    const res = await page.goto(`${base}/documents/99999`);
    expect(res!.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('未找到');
    await page.context().close();
  });

  it('has no page errors or console errors', () => {
    // A refused form post (400/403/404/409/422) re-renders the page with that status, and Chromium
    // logs every 4xx main-document response as "Failed to load resource: … status of 4xx". Those
    // are the answers these tests asked for, so exactly those messages are left out; any other
    // console error or page error still fails here.
    const failedResource = /^console: Failed to load resource: the server responded with a status of 4\d\d \([^)]*\)$/;
    expect(app.problems.filter((p) => !failedResource.test(p))).toEqual([]);
  });
});
