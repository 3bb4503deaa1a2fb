import { raw } from 'hono/html';
import type { AnnualReport } from '../../../app/disclosure/annual-report.js';
import { APPLICANT_TYPE_LABELS, APPLICANT_TYPES, REVIEW_KINDS, REVIEW_RESULT_LABELS, REVIEW_RESULTS } from '../../../domain/disclosure/vocabulary.js';
import { FieldError, FormError, VersionField } from '../../components.js';
import type { FormState } from '../../forms.js';

// /reports/annual/:year: the annual report on government information disclosure in the official
// layout (国办公开办函〔2021〕30号): six parts, tables 二, 三 and 四 with their merged headings, on A4
// when printed. Below it, for admins, the form for what is entered by hand.

const CSS = `
.toolbar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:0 0 1rem}
.toolbar .years{display:flex;gap:.8rem}.toolbar button,.toolbar .button{font:inherit;border:1px solid #8a96a3;background:#fff;border-radius:6px;padding:.3rem .8rem;cursor:pointer;color:inherit;text-decoration:none}
article.annual{background:#fff;box-shadow:0 1px 3px #0002;max-width:210mm;margin:0 auto;padding:18mm 16mm;font-family:"FangSong","STFangsong","仿宋","SimSun","Songti SC",serif;color:#000;line-height:1.75}
article.annual h1{font-family:"SimHei","Heiti SC","Noto Sans CJK SC",sans-serif;font-size:1.45rem;text-align:center;margin:0 0 1.4rem;line-height:1.5}
article.annual h2{font-family:"SimHei","Heiti SC","Noto Sans CJK SC",sans-serif;font-size:1.05rem;margin:1.3rem 0 .6rem}
article.annual p{text-indent:2em;margin:.3rem 0;white-space:pre-wrap}
article.annual .placeholder{color:#52606d;text-indent:0}
.official-wrap{overflow-x:auto}
table.official{border-collapse:collapse;width:100%;font-size:.82rem;line-height:1.35}
table.official th,table.official td{border:1px solid #000;padding:.25rem .3rem;text-align:center;vertical-align:middle;background:#fff;font-weight:400}
table.official th{white-space:normal}table.official thead th{font-weight:700}
table.official .label{text-align:left}table.official .group{font-weight:700}
table.official td.n{font-variant-numeric:tabular-nums;white-space:nowrap}
table.official .note{font-size:.75rem}
table.t3,table.t4{table-layout:fixed;min-width:34rem}table.t3 th{overflow-wrap:anywhere}
.check{margin:.5rem 0 0;font-weight:700;text-indent:0!important}.check.passed{color:#276749}.check.failed{color:#b42318}
.missing{font-size:.85em;color:#9c4221;text-indent:0!important}
form.inputs{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.8rem 1.2rem;background:#fff;border-radius:8px;padding:1rem;box-shadow:0 1px 2px #0001;max-width:none}
form.inputs label{align-content:end}form.inputs .wide{grid-column:1/-1}form.inputs fieldset{border:1px solid #e4e7eb;border-radius:6px;display:grid;gap:.5rem;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr))}
@media (max-width:640px){article.annual{padding:1rem .8rem}table.official{font-size:.75rem}}
@media print{
  @page{size:A4 portrait;margin:20mm 16mm}
  body{background:#fff}body>header,.no-print{display:none!important}
  main{max-width:none;padding:0}
  article.annual{box-shadow:none;padding:0;max-width:none;font-size:12pt}
  article.annual h1{font-size:17pt}article.annual h2{font-size:13pt;break-after:avoid}
  table.official{font-size:8.5pt}table.t4{font-size:8pt}tr,h2+.official-wrap{break-inside:avoid}
  .official-wrap{overflow:visible}
}`;

const num = (v: number | null) => (v === null ? '—' : String(v));

function Table2(props: { report: AnnualReport }) {
  const t = props.report.table2;
  const group = (heading: string) => (
    <tr>
      <th colspan={4} class="label group">
        {heading}
      </th>
    </tr>
  );
  const single = (heading: string) => (
    <tr>
      <th>信息内容</th>
      <th colspan={3}>{heading}</th>
    </tr>
  );
  const line = (label: string, value: number | null, key: string) => (
    <tr data-row={key}>
      <td>{label}</td>
      <td colspan={3} class="n">
        {num(value)}
      </td>
    </tr>
  );
  return (
    <div class="official-wrap">
      <table class="official t2" id="table-2">
        <tbody>
          {group('第二十条第（一）项')}
          <tr>
            <th>信息内容</th>
            <th>本年制发件数</th>
            <th>本年废止件数</th>
            <th>现行有效件数</th>
          </tr>
          {t.documents.map((d) => (
            <tr data-row={d.key}>
              <td>{d.label}</td>
              <td class="n">{d.made}</td>
              <td class="n">{num(d.repealed)}</td>
              <td class="n">{d.inForce}</td>
            </tr>
          ))}
          {group('第二十条第（五）项')}
          {single('本年处理决定数量')}
          {line('行政许可', t.licensing, 'licensing')}
          {group('第二十条第（六）项')}
          {single('本年处理决定数量')}
          {line('行政处罚', t.punishment, 'punishment')}
          {line('行政强制', t.enforcement, 'enforcement')}
          {group('第二十条第（八）项')}
          {single('本年收费金额（单位：万元）')}
          {line('行政事业性收费', t.fees, 'fees')}
        </tbody>
      </table>
    </div>
  );
}

const TOP_ROWS = new Set(['received', 'carried_over', 'carried_forward']);

function Table3(props: { report: AnnualReport }) {
  const { rows, columns, check } = props.report.table3;
  const resultCount = rows.filter((r) => !TOP_ROWS.has(r.key)).length;
  return (
    <>
      <div class="official-wrap">
        <table class="official t3" id="table-3">
          <colgroup>
            <col style="width:2.6em" />
            <col style="width:5.6em" />
            <col />
            {columns.map(() => (
              <col style="width:3.5em" />
            ))}
          </colgroup>
          <thead>
            <tr>
              <th colspan={3} rowspan={3} class="note">
                （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）
              </th>
              <th colspan={7}>申请人情况</th>
            </tr>
            <tr>
              <th rowspan={2}>自然人</th>
              <th colspan={5}>法人或其他组织</th>
              <th rowspan={2}>总计</th>
            </tr>
            <tr>
              {APPLICANT_TYPES.slice(1).map((t) => (
                <th>{APPLICANT_TYPE_LABELS[t]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const firstResult = !TOP_ROWS.has(r.key) && TOP_ROWS.has(rows[i - 1]?.key ?? '');
              const firstOfGroup = r.group !== undefined && rows[i - 1]?.group !== r.group;
              return (
                <tr data-row={r.key}>
                  {TOP_ROWS.has(r.key) ? (
                    <th colspan={3} class="label">
                      {r.label}
                    </th>
                  ) : (
                    <>
                      {firstResult && (
                        <th rowspan={resultCount} class="row">
                          三、本年度办理结果
                        </th>
                      )}
                      {r.group === undefined ? (
                        <th colspan={2} class="label">
                          {r.label}
                        </th>
                      ) : (
                        <>
                          {firstOfGroup && (
                            <th rowspan={rows.filter((x) => x.group === r.group).length} class="label">
                              {r.group}
                            </th>
                          )}
                          <th class="label">{r.label}</th>
                        </>
                      )}
                    </>
                  )}
                  {columns.map((c) => (
                    <td class="n" data-col={c.key}>
                      {r.values[c.key as keyof typeof r.values]}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p class={`check ${check.passed ? 'passed' : 'failed'}`} id="check" data-passed={String(check.passed)}>
        勾稽关系校验（一 + 二 = （七） + 四）：
        {check.passed
          ? '通过 ✓'
          : `未通过 ✗ ${[
              ...check.columns.filter((c) => !c.passed).map((c) => `${c.label}：${c.left} ≠ ${c.right}`),
              ...check.totalMismatches.map((c) => `${columns.find((x) => x.key === c)?.label ?? c}：（七）总计不等于各项之和`),
            ].join('；')}`}
      </p>
    </>
  );
}

function Table4(props: { report: AnnualReport }) {
  const heads = [...REVIEW_RESULTS.map((r) => REVIEW_RESULT_LABELS[r]), '总计'];
  return (
    <div class="official-wrap">
      <table class="official t4" id="table-4">
        <thead>
          <tr>
            <th colspan={5}>行政复议</th>
            <th colspan={10}>行政诉讼</th>
          </tr>
          <tr>
            {heads.map((h) => (
              <th rowspan={2}>{h}</th>
            ))}
            <th colspan={5}>未经复议直接起诉</th>
            <th colspan={5}>复议后起诉</th>
          </tr>
          <tr>
            {[...heads, ...heads].map((h) => (
              <th>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            {REVIEW_KINDS.flatMap((kind) =>
              [...REVIEW_RESULTS, 'total' as const].map((r) => (
                <td class="n" data-kind={kind} data-result={r}>
                  {props.report.table4[kind][r]}
                </td>
              )),
            )}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function Text(props: { text: string | null; what: string }) {
  return props.text ? <p>{props.text}</p> : <p class="placeholder no-print">（{props.what}尚未填写）</p>;
}

function missingInputs(report: AnnualReport): string[] {
  const i = report.inputs;
  const missing: [unknown, string][] = [
    [i.regulationRepealed, '规章本年废止件数'],
    [i.normativeRepealed, '行政规范性文件本年废止件数'],
    [i.licensingDecisions, '行政许可'],
    [i.punishmentDecisions, '行政处罚'],
    [i.enforcementDecisions, '行政强制'],
    [i.feesAmount, '行政事业性收费'],
  ];
  return missing.filter(([v]) => v === undefined || v === null).map(([, label]) => label);
}

export function AnnualReportArticle(props: { report: AnnualReport }) {
  const r = props.report;
  const missing = missingInputs(r);
  return (
    <article class="annual" id="annual-report">
      <h1>{r.title}</h1>
      <h2>一、总体情况</h2>
      <Text text={r.sections.overview} what="总体情况" />
      <h2>二、主动公开政府信息情况</h2>
      <Table2 report={r} />
      {missing.length > 0 && <p class="missing no-print">表二以下各项尚未填写：{missing.join('、')}。</p>}
      <h2>三、收到和处理政府信息公开申请情况</h2>
      <Table3 report={r} />
      <h2>四、政府信息公开行政复议、行政诉讼情况</h2>
      <Table4 report={r} />
      <h2>五、存在的主要问题及改进情况</h2>
      <Text text={r.sections.problems} what="存在的主要问题及改进情况" />
      <h2>六、其他需要报告的事项</h2>
      {r.sections.otherMatters && <p>{r.sections.otherMatters}</p>}
      <p id="fees">
        {r.processingFeesCollected > 0
          ? `依据《政府信息公开信息处理费管理办法》，本年度收取信息处理费 ${r.processingFeesCollected} 元。`
          : '本年度未收取信息处理费。'}
      </p>
    </article>
  );
}

const INPUT_NUMBERS: [string, string][] = [
  ['regulationRepealed', '规章：本年废止件数'],
  ['regulationInForce', '规章：现行有效件数（不填按已登记规章计）'],
  ['normativeRepealed', '行政规范性文件：本年废止件数'],
  ['normativeInForce', '行政规范性文件：现行有效件数（不填按已登记文件计）'],
  ['licensingDecisions', '行政许可：本年处理决定数量'],
  ['punishmentDecisions', '行政处罚：本年处理决定数量'],
  ['enforcementDecisions', '行政强制：本年处理决定数量'],
  ['feesAmount', '行政事业性收费：本年收费金额（万元）'],
];

export const INPUT_FIELDS = ['agencyName', ...INPUT_NUMBERS.map(([name]) => name), 'overview', 'problems', 'otherMatters'];

function InputsForm(props: { year: number; state: FormState; version: number }) {
  const { values: v, errors: e } = props.state;
  const invalid = (name: string) => (e[name] ? 'true' : undefined);
  const area = (name: string, label: string) => (
    <label class="wide">
      {label}
      <textarea name={name} rows={4} aria-invalid={invalid(name)}>
        {v[name]}
      </textarea>
      <FieldError errors={e} name={name} />
    </label>
  );
  return (
    <section class="no-print" id="inputs">
      <h2>手工填报内容</h2>
      <p class="muted">表三、表四与表二的规章、行政规范性文件制发件数由系统根据登记的申请和文件自动统计；以下内容由管理员填写。</p>
      <form class="inputs" method="post" action={`/reports/annual/${props.year}/inputs`} novalidate aria-label="手工填报内容">
        <VersionField updatedAt={new Date(props.version).toISOString()} />
        <div class="wide">
          <FormError errors={e} />
        </div>
        <label class="wide">
          机关名称（报告标题）
          <input name="agencyName" value={v.agencyName} placeholder="如 某某市发展和改革委员会" aria-invalid={invalid('agencyName')} />
          <FieldError errors={e} name="agencyName" />
        </label>
        {INPUT_NUMBERS.map(([name, label]) => (
          <label>
            {label}
            <input name={name} inputmode="decimal" value={v[name]} aria-invalid={invalid(name)} />
            <FieldError errors={e} name={name} />
          </label>
        ))}
        {area('overview', '一、总体情况')}
        {area('problems', '五、存在的主要问题及改进情况')}
        {area('otherMatters', '六、其他需要报告的事项')}
        <div class="wide">
          <button class="primary" type="submit">
            保存
          </button>
        </div>
      </form>
    </section>
  );
}

/** `inputsVersion`: the version of the stored inputs (0 before first saved), which the form sends back. */
export function AnnualReportPage(props: { report: AnnualReport; inputs?: FormState; inputsVersion: number; saved: boolean }) {
  const year = props.report.year;
  return (
    <>
      <style>{raw(CSS)}</style>
      <div class="toolbar no-print">
        <a href="/disclosure">← 依申请公开</a>
        <span class="years">
          <a href={`/reports/annual/${year - 1}`} rel="prev">
            {year - 1} 年
          </a>
          <strong>{year} 年</strong>
          <a href={`/reports/annual/${year + 1}`} rel="next">
            {year + 1} 年
          </a>
        </span>
        <button type="button" onclick="window.print()">
          打印
        </button>
        <a class="button" href={`/api/reports/annual/${year}?format=xlsx`} download>
          下载 Excel
        </a>
      </div>
      {props.saved && (
        <p class="notice no-print" role="status">
          已保存。
        </p>
      )}
      <AnnualReportArticle report={props.report} />
      {props.inputs && <InputsForm year={year} state={props.inputs} version={props.inputsVersion} />}
    </>
  );
}
