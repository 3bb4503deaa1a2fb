import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startBrowserApp, type BrowserApp, submit } from '../support/browser.js';

// The 考核报表 page in a real browser (period picker, tables, chart, print layout, export), and the
// 导出 buttons and search boxes of the list pages. The clock stands at Friday 2026-11-20 10:00.

let app: BrowserApp;
let base: string;

const DEPARTMENTS: [string, string][] = [
  ['wjw', '市卫生健康委员会'],
  ['zjw', '市住房和城乡建设管理委员会'],
  ['sfj', '市司法局'],
  ['gaj', '市公安局'],
];

beforeAll(async () => {
  app = await startBrowserApp();
  base = app.base;
  const t = app.t;
  for (const [code, name] of DEPARTMENTS) await t.call('POST', '/api/departments', { code, name });
  const codes = ['fgw', 'jyj', ...DEPARTMENTS.map(([c]) => c)];
  // Through 2026: a varied record per department (on time, late, overdue, pending, exempt).
  let n = 0;
  for (const [i, code] of codes.entries()) {
    for (let k = 0; k < 4 + i; k++) {
      const month = 1 + ((k * 3 + i) % 11);
      const publishedAt = `2026-${String(month).padStart(2, '0')}-${String(5 + k).padStart(2, '0')}T10:00:00+08:00`;
      const res = await t.call('POST', '/api/documents', { docNumber: `测〔2026〕${++n}号`, title: `${code} 第${k + 1}号文件：关于加强管理的通知`, departmentCode: code, publishedAt });
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      const kind = (k + i) % 4;
      if (kind === 0 || kind === 1) {
        const at = kind === 0 ? publishedAt.replace('T10', 'T16') : `2026-${String(month + 1).padStart(2, '0')}-01T10:00:00+08:00`;
        await t.call('POST', '/api/interpretations', { title: `一图读懂 ${code} 第${k + 1}号文件`, form: 'graphic', publishedAt: at, documentIds: [res.body.id] });
      }
    }
  }
  await t.call('POST', '/api/documents', { title: '=HYPERLINK("http://x")', departmentCode: 'jyj', publishedAt: '2026-11-19T10:00:00+08:00' });
  await t.call('POST', '/api/documents', { title: '市教育局机关考勤办法', departmentCode: 'jyj', publishedAt: '2026-11-02T10:00:00+08:00', requiresInterpretation: false, exemptReason: '内部管理' });
  const incident = await t.call('POST', '/api/incidents', { title: '某区化工厂火灾', severity: 'major', departmentCode: 'fgw', startedAt: '2026-10-10T08:00:00+08:00' });
  await t.call('POST', `/api/commitments/${incident.body.commitments[0].id}/fulfil`, { at: '2026-10-10T11:00:00+08:00' });
  await t.call('POST', '/api/incidents', { title: 'ＸＸ小区燃气泄漏', severity: 'general', departmentCode: 'zjw', startedAt: '2026-11-01T08:00:00+08:00' });
}, 180_000);

afterAll(async () => {
  await app?.close();
});

const text = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? '').replace(/\s+/g, ' ').trim();
const noSideways = (page: Page) => page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth');

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { download, bytes: readFileSync((await download.path())!) };
}

describe('/reports 考核报表', () => {
  it('when a leader opens it, then this year’s table and chart show department names and the numbers of the API', async () => {
    const page = await app.pageAs('leader1', '/reports');
    await expect(page.locator('h1').textContent()).resolves.toBe('考核报表');
    await expect(page.locator('.periods a[aria-current="page"]').textContent()).resolves.toBe('本年');
    await expect(text(page, '#report-period')).resolves.toContain('2026-01-01 至 2026-12-31');
    const api = (await app.t.call('GET', '/api/reports/assessment?from=2026-01-01&to=2026-12-31')).body;
    for (const r of api.departments.filter((d: { departmentCode: string | null }) => d.departmentCode)) {
      const row = page.locator(`#interpretation-table tr[data-department="${r.departmentCode}"]`);
      const cells = await row.locator('td').allTextContents();
      expect(cells.slice(0, 8)).toEqual([r.departmentName, ...[r.published, r.requiringInterpretation, r.onTime, r.late, r.overdue, r.pending, r.exempt].map(String)]);
      await expect(page.locator(`#assessment-chart g[data-department="${r.departmentCode}"]`).count()).resolves.toBe(1);
    }
    await expect(page.locator('#interpretation-table tr.total td').first().textContent()).resolves.toBe('合计');
    await expect(page.locator('#response-table tr[data-department="fgw"] td').allTextContents()).resolves.toEqual(['市发展改革委', '1', '1', '0', '1']);
    // Names, never codes.
    const main = await page.locator('main').textContent();
    for (const code of ['fgw', 'jyj', 'wjw', 'zjw', 'sfj', 'gaj']) expect(main).not.toMatch(new RegExp(`\\b${code}\\b`));
    expect(await noSideways(page)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/reports-desktop.png`, fullPage: true });

    // Another period: 本季度 (2026 Q4), then a date range of one's own.
    await page.locator('.periods a', { hasText: '本季度' }).click();
    await page.waitForURL(`${base}/reports?period=quarter`);
    await expect(text(page, '#report-period')).resolves.toContain('2026-10-01 至 2026-12-31');
    await page.fill('form.custom input[name="from"]', '2026-03-01');
    await page.fill('form.custom input[name="to"]', '2026-02-01');
    await expect(submit(page, page.getByRole('button', { name: '查询' }))).resolves.toBe(400);
    await expect(page.locator('.field-error[data-field="to"]').textContent()).resolves.toBe('截止日期不能早于起始日期');
    await page.fill('form.custom input[name="to"]', '2026-06-30');
    await expect(submit(page, page.getByRole('button', { name: '查询' }))).resolves.toBe(200);
    await expect(text(page, '#report-period')).resolves.toContain('2026-03-01 至 2026-06-30');
    await page.context().close();
  });

  it('when exported from the page, then the CSV is the report of the period shown, as of the moment shown', async () => {
    const page = await app.pageAs('admin1', '/reports');
    await page.goto(`${base}/reports?period=last-quarter`);
    const { download, bytes } = await downloaded(page, () => page.locator('.exports a[data-format="csv"]').click());
    expect(download.suggestedFilename()).toBe('考核报表-20260701至20260930.csv');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]!.startsWith('部门,发布文件数,需解读,按时解读')).toBe(true);
    expect(lines.some((l) => l.startsWith('合计,'))).toBe(true);
    const xlsx = await downloaded(page, () => page.locator('.exports a[data-format="xlsx"]').click());
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as never);
    expect(workbook.worksheets[0]!.getRow(1).getCell(1).value).toBe('部门');
    await page.context().close();
  });

  it('when printed, then the page drops its header and buttons and fits the width of an A4 sheet', async () => {
    // A4 portrait less 10 mm margins each side: 190 mm ≈ 718 CSS px.
    const page = await app.pageAs('leader1', '/reports', 718, 1000);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('body > header').isVisible()).resolves.toBe(false);
    await expect(page.locator('.periods').isVisible()).resolves.toBe(false);
    await expect(page.locator('.exports').isVisible()).resolves.toBe(false);
    await expect(page.locator('#interpretation-table').isVisible()).resolves.toBe(true);
    expect(await noSideways(page)).toBe(true);
    const tableWidth = await page.locator('#interpretation-table').evaluate((e) => e.getBoundingClientRect().width);
    expect(tableWidth).toBeLessThanOrEqual(718);
    await page.screenshot({ path: `${SHOTS}/reports-print.png`, fullPage: true });
    await page.pdf({ path: `${SHOTS}/reports-print.pdf`, format: 'A4', printBackground: true });
    await page.context().close();
  });

  it('when seen on a 390 px phone, then nothing scrolls sideways and the chart fits', async () => {
    const page = await app.pageAs('leader1', '/reports', 390, 844);
    expect(await noSideways(page)).toBe(true);
    const chart = await page.locator('#assessment-chart svg').evaluate((e) => e.getBoundingClientRect().width);
    expect(chart).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/reports-phone.png`, fullPage: true });
    await page.screenshot({ path: `${SHOTS}/reports-phone-top.png` });
    await page.locator('#assessment-chart').screenshot({ path: `${SHOTS}/reports-phone-chart.png` });
    await page.context().close();
    // The refused custom period above is answered with a 400, which the browser logs as a failed resource.
    expect(app.problems.filter((p) => !/Failed to load resource: the server responded with a status of 400/.test(p))).toEqual([]);
  });
});

describe('导出 and search on the list pages', () => {
  it('when a filtered document list is exported, then the download holds exactly the listed documents, formulas as text', async () => {
    const page = await app.pageAs('fgw01', '/documents');
    await page.locator('form.filters select[name="departmentCode"]').selectOption('jyj');
    await page.fill('form.filters input[name="q"]', '＝hyperlink');
    await expect(submit(page, page.locator('form.filters button[type="submit"]'))).resolves.toBe(200);
    await expect(page.locator('#documents tbody tr').count()).resolves.toBe(1);
    await page.screenshot({ path: `${SHOTS}/documents-search-export.png`, fullPage: true });
    const href = await page.locator('.exports a[data-format="csv"]').getAttribute('href');
    expect(href).toBe(`/api/documents/export?format=csv&departmentCode=jyj&q=${encodeURIComponent('＝hyperlink')}`);
    const { download, bytes } = await downloaded(page, () => page.locator('.exports a[data-format="csv"]').click());
    expect(download.suggestedFilename()).toBe('政策文件-截至20261120.csv');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")",市教育局,jyj`);

    // Published-date range and status, then Excel.
    await page.goto(`${base}/documents?status=exempt&publishedFrom=2026-11-01&publishedTo=2026-11-30`);
    await expect(page.locator('#documents tbody tr').count()).resolves.toBe(1);
    const xlsx = await downloaded(page, () => page.locator('.exports a[data-format="xlsx"]').click());
    expect(xlsx.download.suggestedFilename()).toBe('政策文件-截至20261120.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.actualRowCount).toBe(2);
    expect(sheet.getRow(2).getCell(3).value).toBe('市教育局机关考勤办法');
    expect(sheet.getRow(2).getCell(13).value).toBe('免于解读');
    await page.context().close();
  });

  it('when incidents are searched, then the list and its 导出 link keep the search; the audit page exports its filters', async () => {
    const page = await app.pageAs('xwb01', '/incidents');
    await page.fill('form.search input[name="q"]', 'xx小区');
    await expect(submit(page, page.getByRole('button', { name: '检索' }))).resolves.toBe(200);
    await expect(page.locator('.incident-list > li').count()).resolves.toBe(1);
    await expect(page.locator('.incident-list').textContent()).resolves.toContain('ＸＸ小区燃气泄漏');
    const href = await page.locator('.exports a[data-format="csv"]').getAttribute('href');
    expect(href).toBe('/api/incidents/export?format=csv&status=open&q=xx%E5%B0%8F%E5%8C%BA');
    await page.screenshot({ path: `${SHOTS}/incidents-search-export.png` });
    const { bytes } = await downloaded(page, () => page.locator('.exports a[data-format="csv"]').click());
    expect(bytes.toString('utf8')).toContain('ＸＸ小区燃气泄漏,一般,市住房和城乡建设管理委员会');
    await page.context().close();

    const audit = await app.pageAs('leader1', '/audit?entity=incident');
    const auditCsv = await downloaded(audit, () => audit.locator('.exports a[data-format="csv"]').click());
    const rows = auditCsv.bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(rows[0]).toBe('编号,时间（北京时间）,操作人,操作,对象类型,对象编号,修改前,修改后');
    expect(rows.slice(1).every((r) => r.includes(',舆情事件,'))).toBe(true);
    expect(rows.length).toBeGreaterThan(2);
    await audit.context().close();
  });
});
