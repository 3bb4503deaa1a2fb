import { raw } from 'hono/html';
import type { AssessmentReport, AssessmentRow } from '../../../app/reports/assessment.js';
import { percent } from '../../../app/reports/assessment-export.js';
import { FieldError } from '../../components.js';
import { ExportLinks } from '../../export-links.js';
import type { FieldErrors } from '../../forms.js';
import { AssessmentChart } from './chart.js';
import { PERIODS, type Period, type PeriodKind } from './periods.js';

// /reports 考核报表: the period picker, the two tables (interpretation; response to incidents),
// the chart, 导出 and 打印. Printed, it is one A4 page per ~30 departments: the page's header,
// pickers and buttons are left out, tables keep their rows whole.

const CSS = `
.periods{display:flex;flex-wrap:wrap;gap:.4rem;margin:0 0 .8rem}.periods a{background:#fff;border:1px solid #8a96a3;border-radius:999px;padding:.15rem .8rem;text-decoration:none}
.periods a[aria-current]{background:#8b1a1a;border-color:#8b1a1a;color:#fff}
form.custom{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;margin:0 0 1rem}form.custom label{flex:0 1 11rem}form.custom button{font:inherit;padding:.45rem 1rem}
.report-head{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;justify-content:space-between}
.report-head .exports{margin:0}.print{font:inherit;border:1px solid #8a96a3;background:#fff;border-radius:6px;padding:.3rem .8rem;cursor:pointer}
table.report td.n,table.report th.n{text-align:right;font-variant-numeric:tabular-nums}table.report td.n{white-space:nowrap}
table.report tr.total td{font-weight:700;background:#f8fafc;border-top:2px solid #cbd2d9}
.notes{font-size:.85em;color:#52606d;margin:.6rem 0 0;padding-left:1.2rem}
#assessment-chart{margin-top:1rem}#assessment-chart svg{max-width:720px}
@media (max-width:640px){table.report td.n{text-align:left}table.report tr.total{border-top:2px solid #cbd2d9}table.report tr.total td{border-top:0}}
@media print{
  @page{size:A4 portrait;margin:12mm 10mm}
  body{background:#fff;font-size:10pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}
  body>header,.no-print,.periods,form.custom{display:none!important}
  main{max-width:none;padding:0}h1{font-size:15pt;margin:0 0 4pt}h2{font-size:12pt;margin:10pt 0 4pt;break-after:avoid}
  .table-wrap,.chart{box-shadow:none;border-radius:0;overflow:visible}
  table.report{font-size:8.5pt}table.report th,table.report td{padding:2pt 4pt;border:1px solid #9aa5b1}
  table.report th{white-space:normal}tr{break-inside:avoid}thead{display:table-header-group}
  .chart{break-inside:avoid}.chart svg{max-width:160mm}
  table.stacked thead{display:table-header-group!important}
}`;

const n = (v: number) => <td class="n">{v}</td>;
const rate = (r: number | null) => <td class="n">{r === null ? '—' : `${percent(r)}%`}</td>;

function InterpretationTable(props: { report: AssessmentReport }) {
  const rows = props.report.departments.filter((r) => r.departmentCode !== null);
  const line = (r: AssessmentRow, total = false) => (
    <tr class={total ? 'total' : undefined} data-department={r.departmentCode ?? (total ? 'total' : '')}>
      <td data-label="部门">{r.departmentName}</td>
      {[r.published, r.requiringInterpretation, r.onTime, r.late, r.overdue, r.pending, r.exempt].map((v, i) => (
        <td class="n" data-label={['发布文件', '需解读', '按时', '迟发', '逾期', '待解读', '免于解读'][i]}>
          {v}
        </td>
      ))}
      <td class="n" data-label="按时率">{r.onTimeRate === null ? '—' : `${percent(r.onTimeRate)}%`}</td>
      <td class="n" data-label="用时中位数">{r.medianWorkingDays === null ? '—' : r.medianWorkingDays}</td>
      <td class="n" data-label="同步审签">
        {r.plannedAndSigned}
        {r.plannedAndSignedRate !== null && <span class="muted">（{percent(r.plannedAndSignedRate)}%）</span>}
      </td>
      <td class="n" data-label="主要负责人解读">
        {r.majorDocuments === 0 ? '—' : `${r.leaderLedMajor} / ${r.majorDocuments}`}
      </td>
    </tr>
  );
  return (
    <div class="table-wrap">
      <table class="report stacked" id="interpretation-table">
        <thead>
          <tr>
            <th>部门</th>
            <th class="n">发布文件</th>
            <th class="n">需解读</th>
            <th class="n">按时</th>
            <th class="n">迟发</th>
            <th class="n">逾期</th>
            <th class="n">待解读</th>
            <th class="n">免于解读</th>
            <th class="n">按时率</th>
            <th class="n">用时中位数（工作日）</th>
            <th class="n">同步审签</th>
            <th class="n" title="重大文件中已有主要负责人解读的 / 重大文件数">主要负责人解读</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => line(r))}
          {line(props.report.total, true)}
        </tbody>
      </table>
    </div>
  );
}

function ResponseTable(props: { report: AssessmentReport }) {
  const line = (r: AssessmentRow, total = false) => (
    <tr class={total ? 'total' : undefined} data-department={r.departmentCode ?? (total ? 'total' : 'none')}>
      <td data-label="部门">{r.departmentName}</td>
      {[r.incidents, r.commitmentsMet, r.commitmentsLate, r.commitmentsMissed].map((v, i) => (
        <td class="n" data-label={['舆情事件', '按时回应', '超时回应', '超时未回应'][i]}>
          {v}
        </td>
      ))}
    </tr>
  );
  return (
    <div class="table-wrap">
      <table class="report stacked" id="response-table">
        <thead>
          <tr>
            <th>部门</th>
            <th class="n">舆情事件</th>
            <th class="n">按时回应</th>
            <th class="n">超时回应</th>
            <th class="n">超时未回应</th>
          </tr>
        </thead>
        <tbody>
          {props.report.departments.map((r) => line(r))}
          {line(props.report.total, true)}
        </tbody>
      </table>
    </div>
  );
}

export function ReportPage(props: { period: Period; errors: FieldErrors; report: AssessmentReport | null; asOfText: string }) {
  const { period, errors, report } = props;
  const invalid = (name: string) => (errors[name] ? 'true' : undefined);
  return (
    <>
      <style>{raw(CSS)}</style>
      <h1>考核报表</h1>
      <nav class="periods" aria-label="统计期间">
        {(Object.keys(PERIODS) as PeriodKind[]).map((k) => (
          <a href={`/reports?period=${k}`} aria-current={period.kind === k ? 'page' : undefined}>
            {PERIODS[k]}
          </a>
        ))}
      </nav>
      <form class="custom" method="get" action="/reports" aria-label="自定义统计期间" novalidate>
        <label>
          起始日期
          <input type="date" name="from" value={period.from} aria-invalid={invalid('from')} />
          <FieldError errors={errors} name="from" />
        </label>
        <label>
          截止日期
          <input type="date" name="to" value={period.to} aria-invalid={invalid('to')} />
          <FieldError errors={errors} name="to" />
        </label>
        <button type="submit">查询</button>
      </form>
      {report === null ? (
        <p class="notice" role="alert">
          统计期间有误，请按提示修改后重试。
        </p>
      ) : (
        <>
          <div class="report-head">
            <p class="muted" id="report-period">
              统计期间：{report.from} 至 {report.to}（按发布日期、事件开始时间）；数据截至 {props.asOfText}（北京时间）
            </p>
            <span class="no-print" style="display:flex;gap:.5rem;flex-wrap:wrap;align-items:center">
              <ExportLinks path="/api/reports/assessment/export" params={{ from: report.from, to: report.to, asOf: report.asOf }} note="" />
              <button type="button" class="print" onclick="window.print()">
                打印
              </button>
            </span>
          </div>
          <h2>政策解读</h2>
          <InterpretationTable report={report} />
          <AssessmentChart rows={report.departments.filter((r) => r.departmentCode !== null)} />
          <h2>舆情回应</h2>
          <ResponseTable report={report} />
          <ul class="notes">
            <li>按时率 = 按时 ÷（按时 + 迟发 + 逾期）；尚未到期的“待解读”和“免于解读”不计入。</li>
            <li>用时中位数：从文件发布日到首份解读发布日相隔的工作日数（按国务院办公厅公布的节假日安排，含调休上班日）的中位数。</li>
            <li>同步审签：需解读的文件中，发布前与解读方案一并审签的文件数，括号内为占需解读文件的比例；审签时尚无解读方案、或发布后才审签的不计入。</li>
            <li>主要负责人解读：需解读的重大文件中，截至统计时已有主要负责人解读（新闻发布会、在线访谈或标记为主要负责人解读的材料）的文件数 / 重大文件数。</li>
            <li>舆情事件不含已并入其他事件的和已排除（误报）的；回应情况按各项回应承诺统计。</li>
          </ul>
        </>
      )}
    </>
  );
}
