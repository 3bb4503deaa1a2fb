import type { Worksheet } from 'exceljs';
import { APPLICANT_TYPE_LABELS, APPLICANT_TYPES, REVIEW_RESULT_LABELS, REVIEW_RESULTS } from '../../domain/disclosure/vocabulary.js';
import { AppError } from '../errors.js';
import type { AnnualReport } from './annual-report.js';

// Tables 二, 三 and 四 of the annual report as a workbook in the official layout: one sheet each,
// merged headings as printed, thin borders. exceljs is loaded on first use (as imports do).

const CHECK_NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';

type Cellish = string | number | null;

/** Writes a value into a (merged) range and frames every cell of it. */
function put(sheet: Worksheet, top: number, left: number, value: Cellish, bottom = top, right = left, bold = false): void {
  if (bottom !== top || right !== left) sheet.mergeCells(top, left, bottom, right);
  const cell = sheet.getCell(top, left);
  cell.value = value;
  cell.alignment = { vertical: 'middle', horizontal: typeof value === 'number' ? 'center' : 'left', wrapText: true };
  if (bold) cell.font = { bold: true };
  for (let r = top; r <= bottom; r++) {
    for (let c = left; c <= right; c++) {
      sheet.getCell(r, c).border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
    }
  }
}

function title(sheet: Worksheet, text: string, width: number): void {
  sheet.mergeCells(1, 1, 1, width);
  const cell = sheet.getCell(1, 1);
  cell.value = text;
  cell.font = { bold: true, size: 13 };
}

function table2Sheet(sheet: Worksheet, report: AnnualReport): void {
  sheet.columns = [{ width: 24 }, { width: 16 }, { width: 16 }, { width: 16 }];
  title(sheet, '二、主动公开政府信息情况', 4);
  const t = report.table2;
  let row = 2;
  const group = (heading: string, columns: string[], rows: [string, ...Cellish[]][]) => {
    put(sheet, row, 1, heading, row, 4, true);
    row++;
    put(sheet, row, 1, '信息内容', row, 1, true);
    if (columns.length === 1) put(sheet, row, 2, columns[0]!, row, 4, true);
    else columns.forEach((c, i) => put(sheet, row, 2 + i, c, row, 2 + i, true));
    row++;
    for (const [label, ...values] of rows) {
      put(sheet, row, 1, label);
      if (values.length === 1) put(sheet, row, 2, values[0] ?? null, row, 4);
      else values.forEach((v, i) => put(sheet, row, 2 + i, v));
      row++;
    }
  };
  group('第二十条第（一）项', ['本年制发件数', '本年废止件数', '现行有效件数'], t.documents.map((d) => [d.label, d.made, d.repealed, d.inForce]));
  group('第二十条第（五）项', ['本年处理决定数量'], [['行政许可', t.licensing]]);
  group('第二十条第（六）项', ['本年处理决定数量'], [['行政处罚', t.punishment], ['行政强制', t.enforcement]]);
  group('第二十条第（八）项', ['本年收费金额（单位：万元）'], [['行政事业性收费', t.fees]]);
}

function table3Sheet(sheet: Worksheet, report: AnnualReport): void {
  sheet.columns = [{ width: 10 }, { width: 16 }, { width: 44 }, ...Array.from({ length: 7 }, () => ({ width: 10 }))];
  title(sheet, '三、收到和处理政府信息公开申请情况', 10);
  put(sheet, 2, 1, CHECK_NOTE, 4, 3);
  put(sheet, 2, 4, '申请人情况', 2, 10, true);
  put(sheet, 3, 4, '自然人', 4, 4, true);
  put(sheet, 3, 5, '法人或其他组织', 3, 9, true);
  APPLICANT_TYPES.slice(1).forEach((type, i) => put(sheet, 4, 5 + i, APPLICANT_TYPE_LABELS[type], 4, 5 + i, true));
  put(sheet, 3, 10, '总计', 4, 10, true);
  const rows = report.table3.rows;
  const first = 5;
  const resultRows = rows.filter((r) => !['received', 'carried_over', 'carried_forward'].includes(r.key));
  put(sheet, first + 2, 1, '三、本年度办理结果', first + 1 + resultRows.length, 1);
  rows.forEach((r, i) => {
    const at = first + i;
    if (r.key === 'received' || r.key === 'carried_over' || r.key === 'carried_forward') put(sheet, at, 1, r.label, at, 3);
    else if (!r.group) put(sheet, at, 2, r.label, at, 3);
    else {
      if (rows[i - 1]?.group !== r.group) put(sheet, at, 2, r.group, at + rows.filter((x) => x.group === r.group).length - 1, 2);
      put(sheet, at, 3, r.label);
    }
    report.table3.columns.forEach((c, j) => put(sheet, at, 4 + j, r.values[c.key as keyof typeof r.values]));
  });
  const note = first + rows.length + 1;
  const check = report.table3.check;
  sheet.mergeCells(note, 1, note, 10);
  sheet.getCell(note, 1).value = `勾稽关系校验（一 + 二 = （七） + 四）：${check.passed ? '通过' : `未通过（${check.columns.filter((c) => !c.passed).map((c) => `${c.label}：${c.left} ≠ ${c.right}`).join('；')}）`}`;
}

function table4Sheet(sheet: Worksheet, report: AnnualReport): void {
  sheet.columns = Array.from({ length: 15 }, () => ({ width: 10 }));
  title(sheet, '四、政府信息公开行政复议、行政诉讼情况', 15);
  put(sheet, 2, 1, '行政复议', 2, 5, true);
  put(sheet, 2, 6, '行政诉讼', 2, 15, true);
  put(sheet, 3, 6, '未经复议直接起诉', 3, 10, true);
  put(sheet, 3, 11, '复议后起诉', 3, 15, true);
  const heads = [...REVIEW_RESULTS.map((r) => REVIEW_RESULT_LABELS[r]), '总计'];
  heads.forEach((h, i) => put(sheet, 3, 1 + i, h, 4, 1 + i, true));
  heads.forEach((h, i) => put(sheet, 4, 6 + i, h, 4, 6 + i, true));
  heads.forEach((h, i) => put(sheet, 4, 11 + i, h, 4, 11 + i, true));
  const kinds = ['reconsideration', 'litigation_direct', 'litigation_after_reconsideration'] as const;
  kinds.forEach((kind, k) => [...REVIEW_RESULTS, 'total' as const].forEach((r, i) => put(sheet, 5, 1 + k * 5 + i, report.table4[kind][r])));
}

/** The report's tables as XLSX bytes. */
export async function annualReportXlsx(report: AnnualReport): Promise<Uint8Array> {
  let ExcelJS: typeof import('exceljs');
  try {
    ExcelJS = (await import('exceljs')).default as unknown as typeof import('exceljs');
  } catch {
    throw new AppError(422, 'xlsx_unavailable', 'format: 当前运行环境暂不支持导出 Excel（XLSX），请使用 JSON 或打印页面');
  }
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '政策解读与舆情回应平台';
  const print = { paperSize: 9, orientation: 'landscape' as const, fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
  table2Sheet(workbook.addWorksheet('表二 主动公开', { pageSetup: { ...print, orientation: 'portrait' } }), report);
  table3Sheet(workbook.addWorksheet('表三 依申请公开', { pageSetup: print }), report);
  table4Sheet(workbook.addWorksheet('表四 复议诉讼', { pageSetup: print }), report);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
