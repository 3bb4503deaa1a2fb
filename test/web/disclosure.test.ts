import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startBrowserApp, submit, type BrowserApp } from '../support/browser.js';

// 依申请公开 in a real browser: a drafter registers a request through the form, records a request
// to correct, the corrected request and the answer, and the request shows up in the 2026 annual
// report. The app clock stands at Friday 2026-11-20 10:00 Beijing time.

let app: BrowserApp;
let requestId: number;

beforeAll(async () => {
  app = await startBrowserApp();
  // Some other requests, so that the list and the report are not empty around ours.
  const seed = async (body: Record<string, unknown>) => {
    const res = await app.t.call('POST', '/api/disclosure-requests', { channel: 'post', applicantName: '某律师事务所', description: '某项目环评批复文件', ...body });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body.id as number;
  };
  const overdue = await seed({ receivedAt: '2026-10-09', applicantType: 'legal_service', departmentCode: 'jyj' });
  await seed({ receivedAt: '2026-11-18', applicantType: 'commercial', departmentCode: 'fgw', applicantName: '某科技有限公司', description: '2026年度产业扶持资金拨付明细' });
  const consult = await seed({ receivedAt: '2026-11-10', applicantType: 'research', departmentCode: 'fgw', applicantName: '某研究院', description: '某某规划编制过程中的专家论证意见' });
  await app.t.call('POST', `/api/disclosure-requests/${consult}/events`, { type: 'consultation_started', date: '2026-11-16', party: 'third_party' });
  await app.t.call('POST', `/api/disclosure-requests/${overdue}/events`, { type: 'review', date: '2026-11-16', kind: 'reconsideration', result: 'pending' });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const errorNextTo = (form: Locator, name: string) => form.locator(`label:has([name="${name}"]) .field-error`);
const text = async (l: Locator) => (await l.textContent())?.replace(/\s+/g, ' ').trim();
const noSidewaysScroll = async (page: Page) => expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);

async function openForm(page: Page, type: string): Promise<Locator> {
  await page.locator(`details[data-event="${type}"] > summary`).click();
  const form = page.locator(`#event-${type}`);
  await expect(form.isVisible()).resolves.toBe(true);
  return form;
}

describe('/disclosure', () => {
  it('when a drafter registers a request with the form, then it gets its number and its working-day clock', async () => {
    const page = await app.pageAs('fgw01', '/disclosure');
    await expect(page.locator('h1').textContent()).resolves.toBe('依申请公开');
    await expect(page.locator('header a[aria-current="page"]').textContent()).resolves.toBe('依申请公开');
    await page.locator('details.register > summary').click();
    const form = page.locator('#register-form');

    // Sent empty first: every error in Chinese next to its field, nothing registered.
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(400);
    await expect(errorNextTo(form, 'receivedAt').textContent()).resolves.toBe('请填写收到申请日期');
    await expect(errorNextTo(form, 'channel').textContent()).resolves.toBe('请选择提交渠道');
    await expect(errorNextTo(form, 'applicantName').textContent()).resolves.toBe('请填写申请人姓名或名称');
    await expect(errorNextTo(form, 'description').textContent()).resolves.toBe('请填写申请公开的信息');
    await page.screenshot({ path: `${SHOTS}/disclosure-register-errors.png`, fullPage: true });

    await form.locator('input[name="receivedAt"]').fill('2026-11-02');
    await form.locator('select[name="channel"]').selectOption('online');
    await form.locator('select[name="applicantType"]').selectOption('natural_person');
    await form.locator('input[name="applicantName"]').fill('王五');
    await form.locator('input[name="contact"]').fill('13900000000');
    await form.locator('textarea[name="description"]').fill('本市2025年老旧小区改造项目清单及资金安排');
    await expect(form.locator('select[name="departmentCode"]').inputValue()).resolves.toBe('fgw');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(303);

    requestId = Number(/\/disclosure\/(\d+)$/.exec(page.url())![1]);
    await expect(page.locator('h1').textContent()).resolves.toBe('依申请公开 2026-0004');
    // 11-02 + 20 working days = 11-30; as of Friday 11-20: 23–27 and 30 left.
    await expect(text(page.locator('#due-date'))).resolves.toBe('2026-11-30');
    await expect(text(page.locator('#status'))).resolves.toBe('办理中剩余 6 个工作日');
    await page.context().close();
  });

  it('when the correction is asked for and arrives, then the clock restarts from it; the answer closes it', async () => {
    const page = await app.pageAs('fgw01', `/disclosure/${requestId}`);
    // Not yet asked to correct: no form for a corrected request.
    await expect(page.locator('details[data-event="corrected"]').count()).resolves.toBe(0);

    let form = await openForm(page, 'correction_requested');
    await form.locator('input[name="date"]').fill('2026-11-04');
    await form.locator('textarea[name="note"]').fill('请明确所需信息的年份范围');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(303);
    await expect(text(page.locator('#status'))).resolves.toBe('待补正等待补正，暂不计时');
    await expect(text(page.locator('#due-date'))).resolves.toBe('收到补正后重新计算');

    form = await openForm(page, 'corrected');
    await form.locator('input[name="date"]').fill('2026-11-05');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(303);
    // From 11-05: 11-06, 09–13, 16–20, 23–27, 30, 12-01..03 = 20 → 12-03; 9 left as of 11-20.
    await expect(text(page.locator('#due-date'))).resolves.toBe('2026-12-03');
    await expect(text(page.locator('#status'))).resolves.toBe('办理中剩余 9 个工作日');

    // An answer 不予公开 without its reason: said next to the reason, in words.
    form = await openForm(page, 'answered');
    await form.locator('input[name="date"]').fill('2026-11-19');
    await form.locator('select[name="outcome"]').selectOption('withheld');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(400);
    form = page.locator('#event-answered');
    await expect(errorNextTo(form, 'reason').textContent()).resolves.toBe('“不予公开”须选择理由');
    await expect(form.locator('select[name="outcome"]').inputValue()).resolves.toBe('withheld');
    await page.screenshot({ path: `${SHOTS}/disclosure-answer-error.png`, fullPage: true });

    await form.locator('select[name="outcome"]').selectOption('disclosed');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(303);
    await expect(text(page.locator('#status'))).resolves.toBe('已答复2026-11-19 答复，未超期');
    await expect(text(page.locator('#outcome'))).resolves.toBe('予以公开');
    const timeline = await page.locator('#timeline li .what').allTextContents();
    expect(timeline).toEqual(['收到申请', '告知补正', '收到补正', '作出答复']);
    await expect(text(page.locator('#timeline li[data-type="correction_requested"]'))).resolves.toContain('请明确所需信息的年份范围');
    await expect(text(page.locator('#timeline li[data-type="answered"] .by'))).resolves.toBe('登记人 fgw01，2026-11-20 10:00 登记');
    // Answered: only reviews can follow.
    await expect(page.locator('.event-forms details').evaluateAll((ds) => ds.map((d) => d.getAttribute('data-event')))).resolves.toEqual(['review']);
    await page.screenshot({ path: `${SHOTS}/disclosure-detail.png`, fullPage: true });
    await page.context().close();
  });

  it('when the list is filtered, then it shows status and working days left, overdue ones in red', async () => {
    const page = await app.pageAs('leader1', '/disclosure');
    await expect(page.locator('details.register').count()).resolves.toBe(0);
    const rows = page.locator('#requests tbody tr');
    await expect(rows.count()).resolves.toBe(4);
    await expect(text(page.locator('#requests tr[data-id="1"] td[data-label="状态"]'))).resolves.toBe('逾期已逾期 11 个工作日');
    await expect(text(page.locator('#requests tr[data-id="3"] td[data-label="状态"]'))).resolves.toContain('征求意见中');
    await page.screenshot({ path: `${SHOTS}/disclosure-list.png`, fullPage: true });
    await page.locator('select[name="status"]').selectOption('overdue');
    await page.locator('form.filters button').click();
    await page.waitForURL(/status=overdue/);
    await expect(rows.count()).resolves.toBe(1);
    // A leader reads a request but records nothing.
    await page.goto(`${app.base}/disclosure/${requestId}`);
    await expect(page.locator('.event-forms').count()).resolves.toBe(0);
    await page.context().close();
  });

  it('when seen on a 390 px phone, then the list and the detail do not scroll sideways', async () => {
    const page = await app.pageAs('fgw01', '/disclosure', 390, 844);
    await noSidewaysScroll(page);
    await page.screenshot({ path: `${SHOTS}/disclosure-list-390.png`, fullPage: true });
    await page.goto(`${app.base}/disclosure/3`);
    await page.locator('details[data-event="consultation_ended"] > summary').click();
    await noSidewaysScroll(page);
    await page.screenshot({ path: `${SHOTS}/disclosure-detail-390.png`, fullPage: true });
    await page.context().close();
  });
});

describe('/reports/annual/:year', () => {
  it('when the answered request is in the register, then the 2026 report counts it and its check passes', async () => {
    const page = await app.pageAs('fgw01', '/disclosure');
    await page.locator('#annual-report-link').click();
    await page.waitForURL(`${app.base}/reports/annual/2026`);
    await expect(page.locator('article h1').textContent()).resolves.toBe('2026年政府信息公开工作年度报告');
    const cell = (row: string, col: string) => text(page.locator(`#table-3 tr[data-row="${row}"] td[data-col="${col}"]`));
    await expect(cell('received', 'natural_person')).resolves.toBe('1');
    await expect(cell('received', 'total')).resolves.toBe('4');
    await expect(cell('disclosed', 'natural_person')).resolves.toBe('1');
    await expect(cell('results_total', 'total')).resolves.toBe('1');
    await expect(cell('carried_forward', 'total')).resolves.toBe('3');
    await expect(text(page.locator('#check'))).resolves.toBe('勾稽关系校验（一 + 二 = （七） + 四）：通过 ✓');
    await expect(text(page.locator('#table-4 td[data-kind="reconsideration"][data-result="pending"]'))).resolves.toBe('1');
    // Only admins fill in the hand-entered part.
    await expect(page.locator('#inputs').count()).resolves.toBe(0);
    await page.screenshot({ path: `${SHOTS}/annual-report.png`, fullPage: true });
    await page.pdf({ path: `${SHOTS}/annual-report.pdf`, format: 'A4' });
    // Printed: what fits between A4's 16 mm margins (178 mm ≈ 673 px), without the header and buttons.
    await page.setViewportSize({ width: 673, height: 950 });
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('body > header').isVisible()).resolves.toBe(false);
    await expect(page.locator('.toolbar').isVisible()).resolves.toBe(false);
    await page.screenshot({ path: `${SHOTS}/annual-report-print.png`, fullPage: true });
    await page.context().close();
  });

  it('when an admin fills in the hand-entered rows, then wrong numbers are refused next to the field and the rest is saved', async () => {
    const page = await app.pageAs('admin1', '/reports/annual/2026');
    const form = page.locator('form.inputs');
    await form.locator('input[name="agencyName"]').fill('某某市发展和改革委员会');
    await form.locator('input[name="licensingDecisions"]').fill('-3');
    await form.locator('input[name="feesAmount"]').fill('1.25');
    await form.locator('textarea[name="overview"]').fill('本年度，我委认真贯彻落实《中华人民共和国政府信息公开条例》，依法办理政府信息公开申请。');
    await expect(submit(page, form.locator('button[type="submit"]'))).resolves.toBe(400);
    await expect(errorNextTo(page.locator('form.inputs'), 'licensingDecisions').textContent()).resolves.toBe('请填写不小于 0 的整数');
    await page.locator('form.inputs input[name="licensingDecisions"]').fill('120');
    await expect(submit(page, page.locator('form.inputs button[type="submit"]'))).resolves.toBe(303);
    await expect(page.locator('article h1').textContent()).resolves.toBe('某某市发展和改革委员会2026年政府信息公开工作年度报告');
    await expect(text(page.locator('#table-2 tr[data-row="licensing"] td.n'))).resolves.toBe('120');
    await expect(text(page.locator('#table-2 tr[data-row="fees"] td.n'))).resolves.toBe('1.25');
    await page.screenshot({ path: `${SHOTS}/annual-report-admin.png`, fullPage: true });
    await page.context().close();
  });

  it('when two admins fill in the form at once, then the second save is refused (412) with the other entries shown and its own kept', async () => {
    const first = await app.pageAs('admin1', '/reports/annual/2026');
    const second = await app.pageAs('admin1', '/reports/annual/2026');
    await first.locator('form.inputs input[name="punishmentDecisions"]').fill('7');
    await expect(submit(first, first.locator('form.inputs button[type="submit"]'))).resolves.toBe(303);
    await second.locator('form.inputs input[name="enforcementDecisions"]').fill('9');
    await expect(submit(second, second.locator('form.inputs button[type="submit"]'))).resolves.toBe(412);
    await expect(text(second.locator('form.inputs p[role="alert"]'))).resolves.toContain('在您读取之后已被修改');
    // The other's entry is in the report; what was typed here is still in the form.
    await expect(text(second.locator('#table-2 tr[data-row="punishment"] td.n'))).resolves.toBe('7');
    await expect(second.locator('form.inputs input[name="enforcementDecisions"]').inputValue()).resolves.toBe('9');
    await second.screenshot({ path: `${SHOTS}/annual-report-stale.png`, fullPage: true });
    // The form is as this admin left it (the whole form is saved as one): taking the other's entry
    // in, then saving, both stand.
    await expect(second.locator('form.inputs input[name="punishmentDecisions"]').inputValue()).resolves.toBe('');
    await second.locator('form.inputs input[name="punishmentDecisions"]').fill('7');
    await expect(submit(second, second.locator('form.inputs button[type="submit"]'))).resolves.toBe(303);
    await expect(text(second.locator('#table-2 tr[data-row="punishment"] td.n'))).resolves.toBe('7');
    await expect(text(second.locator('#table-2 tr[data-row="enforcement"] td.n'))).resolves.toBe('9');
    await first.context().close();
    await second.context().close();
  });

  it('when seen on a 390 px phone, then the page does not scroll sideways (the wide tables scroll inside their frame)', async () => {
    const page = await app.pageAs('leader1', '/reports/annual/2026', 390, 844);
    await noSidewaysScroll(page);
    await page.screenshot({ path: `${SHOTS}/annual-report-390.png`, fullPage: true });
    await page.context().close();
    // The refused forms above answered 400 and 412 (their pages show the errors): the browser logs those as failed resources.
    expect(app.problems.filter((p) => !/Failed to load resource: the server responded with a status of (400|412)/.test(p))).toEqual([]);
  });
});
