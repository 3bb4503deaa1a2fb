import type { DepartmentView } from '../../../app/departments.js';
import type { DisclosureRequestView } from '../../../app/disclosure/records.js';
import {
  APPLICANT_TYPE_LABELS,
  APPLICANT_TYPES,
  CHANNEL_LABELS,
  CHANNELS,
  DISCLOSURE_STATUS_LABELS,
  DISCLOSURE_STATUSES,
  type DisclosureStatus,
} from '../../../domain/disclosure/vocabulary.js';
import { FieldError, FormError, Pager } from '../../components.js';
import type { FormState } from '../../forms.js';
import { deptName, Options, PAGE_SIZE, PageStyle, StatusBadge, TimeLeft } from './shared.js';

// /disclosure: the register of requests, its filters and the form to register one.

export interface ListQuery {
  status?: DisclosureStatus;
  departmentCode?: string;
  year?: number;
  offset: number;
}

export function listHref(q: ListQuery, offset: number): string {
  const params = new URLSearchParams();
  if (q.status) params.set('status', q.status);
  if (q.departmentCode) params.set('departmentCode', q.departmentCode);
  if (q.year !== undefined) params.set('year', String(q.year));
  if (offset > 0) params.set('offset', String(offset));
  const s = params.toString();
  return s ? `/disclosure?${s}` : '/disclosure';
}

function FilterForm(props: { query: ListQuery; departments: DepartmentView[]; years: number[] }) {
  return (
    <form class="filters" method="get" action="/disclosure" aria-label="筛选">
      <label>
        状态
        <select name="status">
          <Options options={[['', '全部'], ...DISCLOSURE_STATUSES.map((s): [string, string] => [s, DISCLOSURE_STATUS_LABELS[s]])]} selected={props.query.status ?? ''} />
        </select>
      </label>
      <label>
        承办部门
        <select name="departmentCode">
          <Options options={[['', '全部'], ...props.departments.map((d): [string, string] => [d.code, d.name])]} selected={props.query.departmentCode ?? ''} />
        </select>
      </label>
      <label>
        收到年份
        <select name="year">
          <Options options={[['', '全部'], ...props.years.map((y): [string, string] => [String(y), `${y} 年`])]} selected={props.query.year === undefined ? '' : String(props.query.year)} />
        </select>
      </label>
      <button type="submit">筛选</button>
    </form>
  );
}

const short = (text: string, max = 40) => (text.length > max ? `${text.slice(0, max)}…` : text);

function RequestTable(props: { requests: DisclosureRequestView[]; departments: DepartmentView[] }) {
  return (
    <div class="table-wrap">
      <table class="stacked" id="requests">
        <thead>
          <tr>
            <th>编号</th>
            <th>收到日期</th>
            <th>申请人</th>
            <th>申请内容</th>
            <th>承办部门</th>
            <th>答复期限</th>
            <th>状态</th>
          </tr>
        </thead>
        <tbody>
          {props.requests.map((r) => (
            <tr data-id={String(r.id)}>
              <td data-label="编号" class="nowrap">
                <a href={`/disclosure/${r.id}`}>{r.number}</a>
              </td>
              <td data-label="收到日期" class="nowrap">
                {r.receivedAt}
              </td>
              <td data-label="申请人">
                {/* One child per cell: on a phone the cell is a two-column grid (label, content). */}
                <div>
                  {r.applicantName}
                  <span class="muted">（{APPLICANT_TYPE_LABELS[r.applicantType]}）</span>
                </div>
              </td>
              <td data-label="申请内容" class="desc">
                {short(r.description)}
              </td>
              <td data-label="承办部门">{deptName(props.departments, r.departmentCode)}</td>
              <td data-label="答复期限" class="nowrap">
                <div>
                  {r.dueDate ?? '—'}
                  {r.provisional && <span class="tag">暂定</span>}
                </div>
              </td>
              <td data-label="状态">
                <div>
                  <StatusBadge request={r} />
                  <TimeLeft request={r} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const REGISTER_FIELDS = ['receivedAt', 'channel', 'applicantType', 'applicantName', 'contact', 'description', 'departmentCode'];

function RegisterForm(props: { departments: DepartmentView[]; state: FormState; open: boolean; today: string }) {
  const { values: v, errors: e } = props.state;
  const invalid = (name: string) => (e[name] ? 'true' : undefined);
  const deptOptions = props.departments.map((d): [string, string] => [d.code, d.name]);
  return (
    <details class="register" open={props.open}>
      <summary>登记申请</summary>
      <form class="stack" id="register-form" method="post" action="/disclosure" novalidate aria-label="登记申请">
        <FormError errors={e} />
        <label>
          收到申请日期
          <input type="date" name="receivedAt" value={v.receivedAt} max={props.today} required aria-invalid={invalid('receivedAt')} />
          <span class="muted">当面提交为提交之日；邮寄为签收之日；平常信函、互联网、传真为双方确认之日（条例第三十一条）</span>
          <FieldError errors={e} name="receivedAt" />
        </label>
        <label>
          提交渠道
          <select name="channel" aria-invalid={invalid('channel')}>
            <option value="">请选择</option>
            <Options options={CHANNELS.map((c): [string, string] => [c, CHANNEL_LABELS[c]])} selected={v.channel ?? ''} />
          </select>
          <FieldError errors={e} name="channel" />
        </label>
        <label>
          申请人类型
          <select name="applicantType" aria-invalid={invalid('applicantType')}>
            <option value="">请选择</option>
            <Options options={APPLICANT_TYPES.map((t): [string, string] => [t, APPLICANT_TYPE_LABELS[t]])} selected={v.applicantType ?? ''} />
          </select>
          <FieldError errors={e} name="applicantType" />
        </label>
        <label>
          申请人姓名或名称
          <input name="applicantName" value={v.applicantName} required aria-invalid={invalid('applicantName')} />
          <FieldError errors={e} name="applicantName" />
        </label>
        <label>
          联系方式（选填）
          <input name="contact" value={v.contact} aria-invalid={invalid('contact')} />
          <FieldError errors={e} name="contact" />
        </label>
        <label>
          申请公开的信息
          <textarea name="description" rows={3} required aria-invalid={invalid('description')}>
            {v.description}
          </textarea>
          <FieldError errors={e} name="description" />
        </label>
        <label>
          承办部门
          <select name="departmentCode" aria-invalid={invalid('departmentCode')}>
            {deptOptions.length !== 1 && <option value="">请选择</option>}
            <Options options={deptOptions} selected={v.departmentCode ?? ''} />
          </select>
          <FieldError errors={e} name="departmentCode" />
        </label>
        <button class="primary" type="submit">
          登记
        </button>
      </form>
    </details>
  );
}

export interface ListData {
  query: ListQuery;
  requests: DisclosureRequestView[];
  hasNext: boolean;
  departments: DepartmentView[];
  years: number[];
  reportYear: number;
}

export function DisclosureListPage(props: { data: ListData; register?: { departments: DepartmentView[]; state: FormState; open: boolean; today: string } }) {
  const { query, requests, hasNext, departments, years, reportYear } = props.data;
  return (
    <>
      <PageStyle />
      <h1>依申请公开</h1>
      <p class="muted">
        自收到申请之日起 20 个工作日内答复（按国务院办公厅节假日安排，含调休上班日）；征求意见时间不计入，补正后重新计算。
        <a href={`/reports/annual/${reportYear}`} id="annual-report-link">
          {reportYear} 年度报告
        </a>
      </p>
      {props.register && <RegisterForm {...props.register} />}
      <FilterForm query={query} departments={departments} years={years} />
      {requests.length === 0 ? <p class="empty">没有符合条件的申请。</p> : <RequestTable requests={requests} departments={departments} />}
      <Pager offset={query.offset} shown={requests.length} pageSize={PAGE_SIZE} hasNext={hasNext} href={(offset) => listHref(query, offset)} />
    </>
  );
}
