import { compactDate } from '../exports/labels.js';
import type { Cell, ExportTable } from '../exports/table.js';
import type { AssessmentReport, AssessmentRow } from './assessment.js';

const COLUMNS = [
  { header: '部门', width: 20 },
  { header: '发布文件数', width: 10 },
  { header: '需解读', width: 8 },
  { header: '按时解读', width: 8 },
  { header: '迟发', width: 8 },
  { header: '逾期未解读', width: 10 },
  { header: '待解读', width: 8 },
  { header: '免于解读', width: 8 },
  { header: '按时率（%）', width: 10 },
  { header: '解读用时中位数（工作日）', width: 12 },
  { header: '同步审签数', width: 10 },
  { header: '同步审签率（%）', width: 10 },
  { header: '重大文件数', width: 10 },
  { header: '主要负责人解读数', width: 10 },
  { header: '主要负责人解读率（%）', width: 12 },
  { header: '舆情事件数', width: 10 },
  { header: '按时回应', width: 8 },
  { header: '超时回应', width: 8 },
  { header: '超时未回应', width: 10 },
];

/** A rate as a percentage with one decimal (62.5), or nothing when there is none. */
export const percent = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

function cells(r: AssessmentRow): Cell[] {
  return [
    r.departmentName, r.published, r.requiringInterpretation, r.onTime, r.late, r.overdue, r.pending, r.exempt,
    percent(r.onTimeRate), r.medianWorkingDays, r.plannedAndSigned, percent(r.plannedAndSignedRate),
    r.majorDocuments, r.leaderLedMajor, percent(r.leaderLedMajorRate),
    r.incidents, r.commitmentsMet, r.commitmentsLate, r.commitmentsMissed,
  ];
}

/** The report as a spreadsheet: one row per department, then the total. */
export function assessmentExport(report: AssessmentReport): ExportTable {
  return {
    fileName: `考核报表-${compactDate(report.from)}至${compactDate(report.to)}`,
    asciiName: `assessment-${compactDate(report.from)}-${compactDate(report.to)}`,
    sheetName: '考核报表',
    columns: COLUMNS,
    async *chunks() {
      yield [...report.departments.map(cells), cells(report.total)];
    },
  };
}
