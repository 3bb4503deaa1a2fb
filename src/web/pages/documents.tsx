import type { Context } from 'hono';
import { Hono } from 'hono';
import { raw } from 'hono/html';
import type { ZodError } from 'zod';
import type { Actor } from '../../app/accounts/actor.js';
import { displayNameOf } from '../../app/accounts/users.js';
import { mayCall } from '../../app/accounts/policy.js';
import type { AppContext } from '../../app/context.js';
import { listDepartments, type DepartmentView } from '../../app/departments.js';
import {
  DOC_TYPE_LABELS,
  DOCUMENT_TYPES,
  getDocument,
  listDocuments,
  registerDocument,
  updateDocument,
  type DocumentStatus,
  type DocumentType,
  type DocumentView,
} from '../../app/documents.js';
import { AppError } from '../../app/errors.js';
import {
  createInterpretation,
  INTERPRETATION_FORMS,
  linkDocument,
  unlinkDocument,
  type InterpretationForm,
} from '../../app/interpretations.js';
import { MAX_YEAR, MIN_YEAR } from '../../domain/calendar/calendar.js';
import { INTERPRETATION_STATUSES } from '../../domain/deadlines/interpretation.js';
import { CHANNEL_LABELS, isLeaderLed, type PlanChannel } from '../../domain/deadlines/interpretation-plan.js';
import { signOffDocument, signOffRefusal } from '../../app/sign-off.js';
import { parseInstant } from '../../domain/time.js';
import { FORM_LABELS, SERVICE_ACTOR_LABELS } from '../labels.js';
import type { AuthEnv } from '../../http/auth.js';
import { DocumentInput, InterpretationInput } from '../../http/schemas.js';
import { beijing, FieldError, FormError, pageOffset, Pager } from '../components.js';
import { forbiddenPage, notFoundPage } from '../errors.js';
import { attempt, formFields, postedVersion, fromLocalDateTime, zodFieldErrors, type FieldErrors, type FormState, type PageStatus } from '../forms.js';
import { ExportLinks } from '../export-links.js';
import { Layout } from '../layout.js';
import { filterParams, searchFilters, SearchFields, type ListFilters } from './document-search.js';
import {
  DeliveryFields,
  DraftingStyle,
  GapsSection,
  PlanFieldset,
  PlanSection,
  postedDelivery,
  postedPlan,
  PublishSection,
  SignOffSection,
} from './document-drafting.js';
import { InterpretationPicker, linkQueryOf, pickerSearch, type PickerSearch } from './interpretation-picker.js';

// ---------------------------------------------------------------------------------------------
// Words and rules
// ---------------------------------------------------------------------------------------------

const PAGE_SIZE = 50;

const STATUS_LABELS: Record<DocumentStatus, string> = {
  drafting: '起草中',
  pending: '待解读',
  overdue: '逾期',
  on_time: '按时',
  late: '迟发',
  exempt: '免于解读',
};

const IMPORTANCE_LABELS = { normal: '普通', major: '重大' } as const;
/** The 文件类别 choices: '' is any other document. */
const DOC_TYPE_CHOICES: Record<DocumentType | '', string> = { '': '其他文件', ...DOC_TYPE_LABELS };
const docTypeOf = (value: string | undefined): DocumentType | null => DOCUMENT_TYPES.find((t) => t === value) ?? null;

/** The 文件类别 select, with a note on what it is for. */
function DocTypeSelect(props: { value: string | undefined; error?: string }) {
  return (
    <label>
      文件类别
      <select name="docType" aria-invalid={props.error ? 'true' : undefined}>
        <Options options={Object.entries(DOC_TYPE_CHOICES)} selected={props.value ?? ''} />
      </select>
      {props.error ? <span class="field-error">{props.error}</span> : <span class="muted">规章、行政规范性文件计入政府信息公开年度报告表二。</span>}
    </label>
  );
}

const PROVISIONAL_NOTE = '截止日期涉及尚未公布节假日安排的年份，暂按周末推算；节假日安排公布后将自动重算。';

// Routes of the JSON API whose rights each form needs (ROUTE_POLICY decides who sees the form).
const REGISTER = 'POST /api/documents';
const ADD_INTERPRETATION = 'POST /api/interpretations';
const LINK = 'POST /api/interpretations/:id/documents';
const UNLINK = 'DELETE /api/interpretations/:id/documents/:documentId';
const CHANGE = 'PATCH /api/documents/:id';
const SIGN_OFF = 'POST /api/documents/:id/sign-off';

const STATUSES: DocumentStatus[] = ['drafting', ...INTERPRETATION_STATUSES];

// Stacked cards under 640 px (each cell labelled by its column), status colours, the detail list.
const PAGE_CSS = `
.filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;margin-bottom:1rem}.filters label{flex:1 1 9rem}
.filters button{font:inherit;padding:.45rem 1rem}.filters select,.filters input{min-height:2.6rem}
.check{display:flex;gap:.5rem;align-items:center}.check input{width:auto}
.st-pending{background:#e6f0fb;color:#0b5cad}.st-overdue{background:#fde8e7;color:#b42318}.st-on_time{background:#e3f4ea;color:#276749}
.st-late{background:#fdf0e2;color:#9c4221}.st-exempt{background:#eef0f3;color:#52606d}
.tag{display:inline-block;margin-left:.3rem;padding:0 .35rem;border:1px solid #f6ad55;border-radius:4px;font-size:.8em;color:#9c4221}
dl.facts{display:grid;grid-template-columns:minmax(6rem,9rem) 1fr;gap:.45rem 1rem;background:#fff;border-radius:8px;padding:.8rem 1rem;margin:0;box-shadow:0 1px 2px #0001}
dl.facts dt{color:#52606d}dl.facts dd{margin:0}
#doc-type-form{margin:.6rem 0 1rem;align-items:flex-start}#doc-type-form label{flex:0 1 22rem}@media (min-width:641px){#doc-type-form button{margin-top:1.45rem}}
`;

const PageStyle = () => <style>{raw(PAGE_CSS)}</style>;

type FieldKind = 'text' | 'select' | 'datetime';
type FieldSpecs = Record<string, { label: string; kind: FieldKind }>;

const DOCUMENT_FIELDS: FieldSpecs = {
  docNumber: { label: '文号', kind: 'text' },
  title: { label: '标题', kind: 'text' },
  departmentCode: { label: '起草部门', kind: 'select' },
  publishedAt: { label: '发布时间', kind: 'datetime' },
  url: { label: '链接', kind: 'text' },
  exemptReason: { label: '免于解读理由', kind: 'text' },
  importance: { label: '重要程度', kind: 'select' },
  docType: { label: '文件类别', kind: 'select' },
};

const INTERPRETATION_FIELDS: FieldSpecs = {
  title: { label: '标题', kind: 'text' },
  form: { label: '解读形式', kind: 'select' },
  url: { label: '链接', kind: 'text' },
  publishedAt: { label: '发布时间', kind: 'datetime' },
};

/**
 * zod's messages are written for API clients ("数值过小：期望 string >=1 字符"); people filling a form
 * get plainer words for the usual mistakes, and zod's own message otherwise.
 */
function readableErrors(error: ZodError, values: Record<string, string>, fields: FieldSpecs): FieldErrors {
  const errors = zodFieldErrors(error);
  for (const [name, spec] of Object.entries(fields)) {
    const issue = error.issues.find((i) => i.path[0] === name);
    if (!issue) continue;
    const blank = (values[name] ?? '').trim() === '';
    if (blank) errors[name] = `${spec.kind === 'text' ? '请填写' : '请选择'}${spec.label}`;
    else if (spec.kind === 'datetime') errors[name] = `${spec.label}无效：请填写 ${MIN_YEAR}–${MAX_YEAR} 年间的北京时间`;
    else if (spec.kind === 'select') errors[name] = `请从列表中选择${spec.label}`;
    else if (issue.code === 'too_big') errors[name] = `${spec.label}不能超过 ${String(issue.maximum)} 个字`;
  }
  return errors;
}

/** One posted field as text (the first, if it was repeated; '' if absent). */
function field(fields: Record<string, string | string[]>, name: string): string {
  const v = fields[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

function pick(fields: Record<string, string | string[]>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, field(fields, n)]));
}

const isStatus = (s: string | undefined): s is DocumentStatus => s !== undefined && (STATUSES as string[]).includes(s);

/** A positive integer id from a path or a form, else null. */
function parseId(s: string | undefined): number | null {
  return s !== undefined && /^[1-9]\d{0,14}$/.test(s.trim()) ? Number(s.trim()) : null;
}

function statusText(doc: DocumentView): string {
  if (doc.status !== 'pending' || doc.workingDaysLeft === null) return '';
  return doc.workingDaysLeft === 0 ? '今日到期' : `剩余 ${doc.workingDaysLeft} 个工作日`;
}

/** A drafter may act only for its own departments; the roles ROUTE_POLICY lets through, for all. */
function actsFor(actor: Actor, departmentCode: string): boolean {
  return actor.role !== 'drafter' || actor.departments.includes(departmentCode);
}

// ---------------------------------------------------------------------------------------------
// Small pieces
// ---------------------------------------------------------------------------------------------

function StatusBadge(props: { doc: DocumentView }) {
  const extra = statusText(props.doc);
  return (
    <span class={`st st-${props.doc.status}`} data-status={props.doc.status}>
      {STATUS_LABELS[props.doc.status]}
      {extra && `（${extra}）`}
    </span>
  );
}

function DueDate(props: { doc: DocumentView }) {
  // An exempt document has no deadline to meet (the stored date is only kept should it stop being exempt).
  if (!props.doc.requiresInterpretation) return <span class="muted">不适用（免于解读）</span>;
  return (
    <>
      {props.doc.interpretationDueDate ?? '—'}
      {props.doc.provisional && (
        <span class="tag" title={PROVISIONAL_NOTE}>
          暂定
        </span>
      )}
    </>
  );
}

function Options(props: { options: [string, string][]; selected: string }) {
  return (
    <>
      {props.options.map(([value, label]) => (
        <option value={value} selected={value === props.selected}>
          {label}
        </option>
      ))}
    </>
  );
}

const deptName = (departments: DepartmentView[], code: string) => departments.find((d) => d.code === code)?.name ?? code;

// ---------------------------------------------------------------------------------------------
// /documents
// ---------------------------------------------------------------------------------------------

interface ListQuery extends ListFilters {
  offset: number;
}

function listHref(q: ListQuery, offset: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filterParams(q))) if (v) params.set(k, v);
  if (offset > 0) params.set('offset', String(offset));
  const s = params.toString();
  return s ? `/documents?${s}` : '/documents';
}

function FilterForm(props: { query: ListQuery; departments: DepartmentView[] }) {
  return (
    <form class="filters" method="get" action="/documents" aria-label="筛选">
      <label>
        状态
        <select name="status">
          <Options
            options={[['', '全部（已发布）'], ...STATUSES.map((s): [string, string] => [s, STATUS_LABELS[s]])]}
            selected={props.query.status ?? ''}
          />
        </select>
      </label>
      <label>
        部门
        <select name="departmentCode">
          <Options options={[['', '全部'], ...props.departments.map((d): [string, string] => [d.code, d.name])]} selected={props.query.departmentCode ?? ''} />
        </select>
      </label>
      <SearchFields query={props.query} />
      <button type="submit">筛选</button>
    </form>
  );
}

function DocumentTable(props: { docs: DocumentView[]; departments: DepartmentView[] }) {
  return (
    <div class="table-wrap">
      <table class="stacked" id="documents">
        <thead>
          <tr>
            <th>文号</th>
            <th>标题</th>
            <th>部门</th>
            <th>发布日期</th>
            <th>解读截止</th>
            <th>状态</th>
          </tr>
        </thead>
        <tbody>
          {props.docs.map((doc) => (
            <tr data-id={String(doc.id)}>
              <td data-label="文号">{doc.docNumber ?? '—'}</td>
              <td data-label="标题">
                <a href={`/documents/${doc.id}`}>{doc.title}</a>
              </td>
              <td data-label="部门">{deptName(props.departments, doc.departmentCode)}</td>
              <td data-label="发布日期">{doc.publishedDate ?? '未发布'}</td>
              <td data-label="解读截止">
                <DueDate doc={doc} />
              </td>
              <td data-label="状态">
                <StatusBadge doc={doc} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RegisterForm(props: { departments: DepartmentView[]; state: FormState; open: boolean }) {
  const { values: v, errors: e } = props.state;
  const invalid = (name: string) => (e[name] ? 'true' : undefined);
  const deptOptions = props.departments.map((d): [string, string] => [d.code, d.name]);
  return (
    <details class="register" open={props.open}>
      <summary>登记文件</summary>
      <form class="stack" id="register-form" method="post" action="/documents" novalidate aria-label="登记文件">
        <FormError errors={e} />
        <label>
          文号（选填）
          <input name="docNumber" value={v.docNumber} placeholder="如 沪发改规〔2026〕5号" aria-invalid={invalid('docNumber')} />
          <FieldError errors={e} name="docNumber" />
        </label>
        <label>
          标题
          <input name="title" value={v.title} required aria-invalid={invalid('title')} />
          <FieldError errors={e} name="title" />
        </label>
        <label>
          起草部门
          <select name="departmentCode" required aria-invalid={invalid('departmentCode')}>
            {deptOptions.length !== 1 && <option value="">请选择</option>}
            <Options options={deptOptions} selected={v.departmentCode ?? ''} />
          </select>
          <FieldError errors={e} name="departmentCode" />
        </label>
        <label>
          发布时间（北京时间）
          <input type="datetime-local" name="publishedAt" value={v.publishedAt} aria-invalid={invalid('publishedAt')} />
          <FieldError errors={e} name="publishedAt" />
          {!e.publishedAt && <span class="muted">尚未发布的文件请留空：保存为“起草中”，与解读方案一并审签后再发布。</span>}
        </label>
        <label>
          链接（选填）
          <input type="url" name="url" value={v.url} placeholder="https://" aria-invalid={invalid('url')} />
          <FieldError errors={e} name="url" />
        </label>
        <label class="check">
          <input type="checkbox" name="requiresInterpretation" value="on" checked={v.requiresInterpretation === 'on'} />
          需要解读
        </label>
        <label>
          免于解读理由（不需要解读时必填）
          <textarea name="exemptReason" rows={2} aria-invalid={invalid('exemptReason')}>
            {v.exemptReason}
          </textarea>
          <FieldError errors={e} name="exemptReason" />
        </label>
        <label>
          重要程度
          <select name="importance" aria-invalid={invalid('importance')}>
            <Options options={Object.entries(IMPORTANCE_LABELS)} selected={v.importance ?? 'normal'} />
          </select>
          <FieldError errors={e} name="importance" />
        </label>
        <DocTypeSelect value={v.docType} error={e.docType} />
        <FieldError errors={e} name="plan" />
        <PlanFieldset values={v} errors={e} legend="解读方案（选填；同步组织、同步审签、同步部署）" />
        <button class="primary" type="submit">
          登记
        </button>
      </form>
    </details>
  );
}

interface ListData {
  query: ListQuery;
  docs: DocumentView[];
  hasNext: boolean;
  departments: DepartmentView[];
}

function DocumentsPage(props: { data: ListData; register?: { departments: DepartmentView[]; state: FormState; open: boolean } }) {
  const { query, docs, hasNext, departments } = props.data;
  return (
    <>
      <PageStyle />
      <DraftingStyle />
      <h1>文件</h1>
      {props.register && <RegisterForm {...props.register} />}
      <FilterForm query={query} departments={departments} />
      {query.status !== 'drafting' && (
        <p class="muted" id="drafting-hint">
          起草中（尚未发布）的文件不在此列，请<a href="/documents?status=drafting">按“起草中”筛选</a>。
        </p>
      )}
      <ExportLinks path="/api/documents/export" params={filterParams(query)} />
      {docs.length === 0 ? <p class="empty">没有符合条件的文件。</p> : <DocumentTable docs={docs} departments={departments} />}
      <Pager offset={query.offset} shown={docs.length} pageSize={PAGE_SIZE} hasNext={hasNext} href={(offset) => listHref(query, offset)} />
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// /documents/:id
// ---------------------------------------------------------------------------------------------

function DocumentFacts(props: { doc: DocumentView; departments: DepartmentView[] }) {
  const doc = props.doc;
  return (
    <dl class="facts">
      <dt>文号</dt>
      <dd>{doc.docNumber ?? '—'}</dd>
      <dt>起草部门</dt>
      <dd>{deptName(props.departments, doc.departmentCode)}</dd>
      <dt>发布时间</dt>
      <dd id="published-at">{doc.publishedAt === null ? '尚未发布（起草中）' : beijing(doc.publishedAt)}</dd>
      <dt>链接</dt>
      <dd>{doc.url ? <a href={doc.url}>{doc.url}</a> : '—'}</dd>
      <dt>重要程度</dt>
      <dd>{IMPORTANCE_LABELS[doc.importance]}</dd>
      <dt>文件类别</dt>
      <dd id="doc-type">{DOC_TYPE_CHOICES[doc.docType ?? '']}</dd>
      <dt>需要解读</dt>
      <dd>{doc.requiresInterpretation ? '是' : '否'}</dd>
      {!doc.requiresInterpretation && (
        <>
          <dt>免于解读理由</dt>
          <dd>{doc.exemptReason ?? '—'}</dd>
        </>
      )}
      <dt>解读截止</dt>
      <dd id="due-date">{doc.interpretationDueDate === null ? '发布后起算' : <DueDate doc={doc} />}</dd>
      <dt>状态</dt>
      <dd id="status">
        <StatusBadge doc={doc} />
      </dd>
      <dt>登记时间</dt>
      <dd>{beijing(doc.createdAt)}</dd>
      <dt>更新时间</dt>
      <dd>{beijing(doc.updatedAt)}</dd>
    </dl>
  );
}

interface UnlinkError {
  interpretationId: number;
  message: string;
}

function InterpretationTable(props: { doc: DocumentView; mayUnlink: boolean; unlinkError?: UnlinkError }) {
  const { doc, mayUnlink, unlinkError } = props;
  if (doc.interpretations.length === 0) return <p class="empty">尚未关联解读材料。</p>;
  return (
    <div class="table-wrap">
      <table class="stacked" id="interpretations">
        <thead>
          <tr>
            <th>编号</th>
            <th>标题</th>
            <th>形式</th>
            <th>发布时间</th>
            <th>发布渠道</th>
            <th>链接</th>
            {mayUnlink && <th>操作</th>}
          </tr>
        </thead>
        <tbody>
          {doc.interpretations.map((i) => (
            <tr data-id={String(i.id)}>
              <td data-label="编号">{i.id}</td>
              <td data-label="标题">{i.title}</td>
              <td data-label="形式">
                {FORM_LABELS[i.form as InterpretationForm] ?? i.form}
                {isLeaderLed(i) && <span class="tag">主要负责人</span>}
              </td>
              <td data-label="发布时间">{beijing(i.publishedAt)}</td>
              <td data-label="发布渠道">{i.channels.map((c) => CHANNEL_LABELS[c as PlanChannel] ?? c).join('、') || '—'}</td>
              <td data-label="链接">{i.url ? <a href={i.url}>查看</a> : '—'}</td>
              {mayUnlink && (
                <td data-label="操作">
                  <form class="inline" method="post" action={`/documents/${doc.id}/links/${i.id}/delete`}>
                    <button type="submit">取消关联</button>
                  </form>
                  {unlinkError?.interpretationId === i.id && (
                    <span class="field-error" data-field="unlink" role="alert">
                      {unlinkError.message}
                    </span>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AddInterpretationForm(props: { docId: number; state: FormState }) {
  const { values: v, errors: e } = props.state;
  const invalid = (name: string) => (e[name] ? 'true' : undefined);
  return (
    <form class="stack" id="add-interpretation" method="post" action={`/documents/${props.docId}/interpretations`} novalidate>
      <h2>添加解读材料</h2>
      <FormError errors={e} />
      <label>
        标题
        <input name="title" value={v.title} required aria-invalid={invalid('title')} />
        <FieldError errors={e} name="title" />
      </label>
      <label>
        解读形式
        <select name="form" aria-invalid={invalid('form')}>
          <Options options={INTERPRETATION_FORMS.map((f): [string, string] => [f, FORM_LABELS[f]])} selected={v.form ?? 'text'} />
        </select>
        <FieldError errors={e} name="form" />
      </label>
      <label>
        链接（选填）
        <input type="url" name="url" value={v.url} placeholder="https://" aria-invalid={invalid('url')} />
        <FieldError errors={e} name="url" />
      </label>
      <label>
        发布时间（北京时间）
        <input type="datetime-local" name="publishedAt" value={v.publishedAt} required aria-invalid={invalid('publishedAt')} />
        <FieldError errors={e} name="publishedAt" />
      </label>
      <DeliveryFields values={v} />
      <button class="primary" type="submit">
        添加
      </button>
    </form>
  );
}

/** What the detail page's forms show again after a refused post. */
interface DetailForms {
  docType?: FormState;
  plan?: FormState;
  signOff?: FormState;
  publish?: FormState;
  add?: FormState;
  link?: FormState;
  unlink?: UnlinkError;
  /** The interpretations found by the link form's title search. */
  search?: PickerSearch;
}

const EMPTY_ADD: FormState = { values: { title: '', form: 'text', url: '', publishedAt: '' }, errors: {} };

interface DetailRights {
  /** May sign this document off (审签): admin, leader, or a drafter of its department with canSignOff. */
  signOff: boolean;
  workingDays: number;
  /** Who signed it off, as people know them. */
  signer: string | null;
}

function DocumentPage(props: { doc: DocumentView; actor: Actor; departments: DepartmentView[]; forms: DetailForms; rights: DetailRights }) {
  const { doc, actor, forms } = props;
  const inScope = actsFor(actor, doc.departmentCode);
  const drafting = doc.status === 'drafting';
  // A draft is not interpreted yet: interpretations are added once it is published.
  const mayAdd = !drafting && inScope && mayCall(actor, ADD_INTERPRETATION);
  const mayLink = !drafting && inScope && mayCall(actor, LINK);
  const mayUnlink = inScope && mayCall(actor, UNLINK);
  const mayChange = inScope && mayCall(actor, CHANGE);
  return (
    <>
      <PageStyle />
      <p class="muted">
        <a href="/documents">← 文件列表</a>
      </p>
      <DraftingStyle />
      <h1>{doc.title}</h1>
      {drafting && (
        <p class="notice" id="drafting-note">
          起草中：文件尚未发布，解读时限自发布起算。请将文件与解读方案一并审签后发布（同步组织、同步审签、同步部署）。
        </p>
      )}
      <DocumentFacts doc={doc} departments={props.departments} />
      {mayChange && (
        <form method="post" action={`/documents/${doc.id}/doc-type`} id="doc-type-form" class="filters" aria-label="修改文件类别">
          <FormError errors={forms.docType?.errors ?? {}} />
          <DocTypeSelect value={forms.docType?.values.docType ?? doc.docType ?? ''} error={forms.docType?.errors.docType} />
          <button type="submit">保存类别</button>
        </form>
      )}
      {doc.provisional && (
        <p class="notice" id="provisional-note">
          {PROVISIONAL_NOTE}
        </p>
      )}
      <GapsSection doc={doc} />
      <PlanSection doc={doc} mayEdit={mayChange} state={forms.plan} />
      {/* 审签 comes before publication: the page offers it for drafts (the API also records an earlier one afterwards). */}
      {(drafting || doc.signedOffAt !== null || doc.plan !== null) && (
        <SignOffSection doc={doc} maySignOff={drafting && props.rights.signOff} state={forms.signOff} signer={props.rights.signer} />
      )}
      {drafting && mayChange && <PublishSection doc={doc} state={forms.publish} workingDays={props.rights.workingDays} />}
      <h2>解读材料</h2>
      {drafting && <p class="muted">文件发布后才能登记或关联解读材料。</p>}
      {forms.unlink && !doc.interpretations.some((i) => i.id === forms.unlink!.interpretationId) && (
        <p class="notice" role="alert">
          {forms.unlink.message}
        </p>
      )}
      <InterpretationTable doc={doc} mayUnlink={mayUnlink} unlinkError={forms.unlink} />
      {(mayAdd || mayLink) && (
        <div class="forms">
          {mayAdd && <AddInterpretationForm docId={doc.id} state={forms.add ?? EMPTY_ADD} />}
          {mayLink && (
            <InterpretationPicker
              docId={doc.id}
              linkedIds={doc.interpretations.map((i) => i.id)}
              departments={props.departments}
              search={forms.search}
              state={forms.link}
            />
          )}
        </div>
      )}
      {!inScope && mayCall(actor, ADD_INTERPRETATION) && <p class="muted">此文件属于其他部门，您可以查看，但不能为其登记或关联解读材料。</p>}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

type Ctx = Context<AuthEnv>;

const DOCUMENT_FORM_NAMES = ['docNumber', 'title', 'departmentCode', 'publishedAt', 'url', 'requiresInterpretation', 'exemptReason', 'importance', 'docType'];

/** A document's publication time from a form: blank means not yet published (a draft). */
const postedPublishedAt = (value: string | undefined) => ((value ?? '').trim() === '' ? undefined : fromLocalDateTime(value!));

/** /documents and /documents/:id. */
export function documentPages(ctx: AppContext) {
  const departmentsOf = () => listDepartments(ctx, { limit: 500, offset: 0 });

  /** The departments a user may register documents for: a drafter's own, else all. */
  const registrable = (actor: Actor, all: DepartmentView[]) => all.filter((d) => actsFor(actor, d.code));

  async function listData(c: Ctx): Promise<ListData> {
    const status = c.req.query('status');
    const departmentCode = c.req.query('departmentCode')?.trim() || undefined;
    const query: ListQuery = {
      status: isStatus(status) ? status : undefined,
      departmentCode,
      ...searchFilters(c),
      offset: pageOffset(c.req.query('offset')),
    };
    const rows = await listDocuments(ctx, { ...query, asOf: ctx.now(), limit: PAGE_SIZE + 1, offset: query.offset });
    return { query, docs: rows.slice(0, PAGE_SIZE), hasNext: rows.length > PAGE_SIZE, departments: await departmentsOf() };
  }

  async function renderList(c: Ctx, register?: FormState, status: PageStatus = 200) {
    const actor = c.get('actor');
    const data = await listData(c);
    const departments = registrable(actor, data.departments);
    const initial: FormState = {
      values: { requiresInterpretation: 'on', importance: 'normal', departmentCode: departments.length === 1 ? departments[0]!.code : '' },
      errors: {},
    };
    return c.html(
      <Layout title="文件" actor={actor} current="/documents">
        <DocumentsPage
          data={data}
          register={mayCall(actor, REGISTER) ? { departments, state: register ?? initial, open: register !== undefined } : undefined}
        />
      </Layout>,
      status,
    );
  }

  /** The document of a path's :id as of now, or null when there is none. */
  async function findDocument(idParam: string | undefined): Promise<DocumentView | null> {
    const id = parseId(idParam);
    if (id === null) return null;
    try {
      return await getDocument(ctx, id, ctx.now());
    } catch (err) {
      if (err instanceof AppError && err.status === 404) return null;
      throw err;
    }
  }

  /** 分管领导（leader1）; the admin token by what it is; a user name no account has any more, as recorded. */
  async function signerName(username: string): Promise<string> {
    const service = SERVICE_ACTOR_LABELS[username];
    if (service) return service;
    const name = await displayNameOf(ctx, username);
    return name && name !== username ? `${name}（${username}）` : username;
  }

  async function renderDetail(c: Ctx, doc: DocumentView, forms: DetailForms = {}, status: PageStatus = 200) {
    const fresh = (await findDocument(String(doc.id))) ?? doc;
    const actor = c.get('actor');
    const rights: DetailRights = {
      signOff: fresh.signedOffAt === null && mayCall(actor, SIGN_OFF) && (await signOffRefusal(ctx, actor, fresh.departmentCode)) === null,
      workingDays: ctx.config.interpretationWorkingDays,
      signer: fresh.signedOffBy === null ? null : await signerName(fresh.signedOffBy),
    };
    return c.html(
      <Layout title={fresh.title} actor={actor} current="/documents">
        <DocumentPage doc={fresh} actor={actor} departments={await departmentsOf()} forms={forms} rights={rights} />
      </Layout>,
      status,
    );
  }

  return new Hono<AuthEnv>()
    .get('/documents', (c) => renderList(c))

    .post('/documents', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, REGISTER)) return forbiddenPage(c, '或执行此操作');
      const fields = await formFields(c);
      const plan = postedPlan(fields);
      const values = { ...pick(fields, DOCUMENT_FORM_NAMES), ...plan.values };
      const parsed = DocumentInput.safeParse({
        docNumber: values.docNumber,
        title: values.title,
        departmentCode: values.departmentCode,
        publishedAt: postedPublishedAt(values.publishedAt),
        url: values.url,
        requiresInterpretation: values.requiresInterpretation === 'on',
        exemptReason: values.exemptReason,
        importance: values.importance || undefined,
        docType: docTypeOf(values.docType),
      });
      const errors = { ...(parsed.success ? {} : readableErrors(parsed.error, values, DOCUMENT_FIELDS)), ...plan.errors };
      // Said here in plain words before the use case would refuse it in the API's terms.
      if (values.requiresInterpretation !== 'on' && !values.exemptReason?.trim()) errors.exemptReason ??= '不需要解读时，请填写免于解读的理由';
      if (!parsed.success || Object.keys(errors).length > 0) return renderList(c, { values, errors }, 400);
      const input = parsed.data;
      const publishedAt = input.publishedAt == null ? null : parseInstant(input.publishedAt)!;
      const result = await attempt(() => registerDocument(ctx, actor, { ...input, publishedAt, plan: plan.plan }));
      if (result.ok) return c.redirect(`/documents/${result.value.id}`, 303);
      const refused = { ...result.errors };
      // A department outside the drafter's scope is a problem of the department field.
      if (result.status === 403 && refused._form) {
        refused.departmentCode = refused._form;
        delete refused._form;
      }
      return renderList(c, { values, errors: refused }, result.status);
    })

    .get('/documents/:id', async (c) => {
      const doc = await findDocument(c.req.param('id'));
      return doc ? renderDetail(c, doc, { search: await pickerSearch(ctx, linkQueryOf(c)) }) : notFoundPage(c, '该文件');
    })

    .post('/documents/:id/interpretations', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, ADD_INTERPRETATION)) return forbiddenPage(c, '或执行此操作');
      const doc = await findDocument(c.req.param('id'));
      if (!doc) return notFoundPage(c, '该文件');
      const fields = await formFields(c);
      const delivery = postedDelivery(fields);
      const values: Record<string, string> = { ...pick(fields, ['title', 'form', 'url', 'publishedAt']), ...delivery.values };
      const parsed = InterpretationInput.safeParse({
        title: values.title,
        form: values.form,
        url: values.url,
        publishedAt: fromLocalDateTime(values.publishedAt ?? ''),
        documentIds: [doc.id],
        channels: delivery.channels,
        leaderLed: delivery.leaderLed,
      });
      if (!parsed.success) return renderDetail(c, doc, { add: { values, errors: readableErrors(parsed.error, values, INTERPRETATION_FIELDS) } }, 400);
      const result = await attempt(() => createInterpretation(ctx, actor, { ...parsed.data, publishedAt: parseInstant(parsed.data.publishedAt)! }));
      if (!result.ok) return renderDetail(c, doc, { add: { values, errors: result.errors } }, result.status);
      return c.redirect(`/documents/${doc.id}`, 303);
    })

    .post('/documents/:id/doc-type', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, CHANGE)) return forbiddenPage(c, '或执行此操作');
      const doc = await findDocument(c.req.param('id'));
      if (!doc) return notFoundPage(c, '该文件');
      const posted = pick(await formFields(c), ['docType']);
      const values = { docType: posted.docType ?? '' };
      if (values.docType !== '' && docTypeOf(values.docType) === null) {
        return renderDetail(c, doc, { docType: { values, errors: { docType: '请选择文件类别' } } }, 400);
      }
      const result = await attempt(() => updateDocument(ctx, actor, doc.id, { docType: docTypeOf(values.docType) }));
      if (!result.ok) return renderDetail(c, doc, { docType: { values, errors: result.errors } }, result.status);
      return c.redirect(`/documents/${doc.id}`, 303);
    })

    .post('/documents/:id/plan', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, CHANGE)) return forbiddenPage(c, '或执行此操作');
      const doc = await findDocument(c.req.param('id'));
      if (!doc) return notFoundPage(c, '该文件');
      const fields = await formFields(c);
      const { values, plan, errors } = postedPlan(fields);
      if (Object.keys(errors).length > 0) return renderDetail(c, doc, { plan: { values, errors } }, 400);
      const result = await attempt(() => updateDocument(ctx, actor, doc.id, { plan }, postedVersion(fields)));
      if (!result.ok) return renderDetail(c, doc, { plan: { values, errors: result.errors } }, result.status);
      return c.redirect(`/documents/${doc.id}#plan-heading`, 303);
    })

    .post('/documents/:id/sign-off', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, SIGN_OFF)) return forbiddenPage(c, '或执行此操作');
      const doc = await findDocument(c.req.param('id'));
      if (!doc) return notFoundPage(c, '该文件');
      const values = pick(await formFields(c), ['note']);
      if ((values.note ?? '').length > 1000) return renderDetail(c, doc, { signOff: { values, errors: { note: '审签意见不能超过 1000 个字' } } }, 400);
      const result = await attempt(() => signOffDocument(ctx, actor, doc.id, { note: values.note }));
      if (!result.ok) return renderDetail(c, doc, { signOff: { values, errors: result.errors } }, result.status);
      return c.redirect(`/documents/${doc.id}#sign-off-heading`, 303);
    })

    .post('/documents/:id/publish', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, CHANGE)) return forbiddenPage(c, '或执行此操作');
      const doc = await findDocument(c.req.param('id'));
      if (!doc) return notFoundPage(c, '该文件');
      const values = pick(await formFields(c), ['publishedAt']);
      const publishedAt = parseInstant(fromLocalDateTime(values.publishedAt ?? ''));
      if (publishedAt === null) {
        const blank = (values.publishedAt ?? '').trim() === '';
        return renderDetail(c, doc, { publish: { values, errors: { publishedAt: blank ? '请填写发布时间' : `发布时间无效：请填写 ${MIN_YEAR}–${MAX_YEAR} 年间的北京时间` } } }, 400);
      }
      if (doc.status !== 'drafting') return renderDetail(c, doc, { publish: { values, errors: { _form: '文件已发布' } } }, 409);
      const result = await attempt(() => updateDocument(ctx, actor, doc.id, { publishedAt }));
      if (!result.ok) return renderDetail(c, doc, { publish: { values, errors: result.errors } }, result.status);
      return c.redirect(`/documents/${doc.id}`, 303);
    })

    .post('/documents/:id/links', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, LINK)) return forbiddenPage(c, '或执行此操作');
      const doc = await findDocument(c.req.param('id'));
      if (!doc) return notFoundPage(c, '该文件');
      const values = pick(await formFields(c), ['interpretationId', 'linkQ']);
      const typed = (values.interpretationId ?? '').trim();
      const interpretationId = parseId(typed);
      // A refusal shows the same search results again, with the reason next to the search box.
      const refused = async (message: string, status: PageStatus) =>
        renderDetail(c, doc, { link: { values, errors: { interpretationId: message } }, search: await pickerSearch(ctx, values.linkQ) }, status);
      if (interpretationId === null) return refused(typed === '' ? '请先检索并选择要关联的解读材料' : '解读材料编号应为正整数', 400);
      const result = await attempt(() => linkDocument(ctx, actor, interpretationId, doc.id));
      if (result.ok) return c.redirect(`/documents/${doc.id}`, 303);
      // Whatever was refused is said next to the search box.
      return refused(Object.values(result.errors).join('；'), result.status);
    })

    .post('/documents/:id/links/:interpretationId/delete', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, UNLINK)) return forbiddenPage(c, '或执行此操作');
      const doc = await findDocument(c.req.param('id'));
      const interpretationId = parseId(c.req.param('interpretationId'));
      if (!doc || interpretationId === null) return notFoundPage(c, doc ? '该解读材料' : '该文件');
      const result = await attempt(() => unlinkDocument(ctx, actor, interpretationId, doc.id));
      if (result.ok) return c.redirect(`/documents/${doc.id}`, 303);
      const message = Object.values(result.errors).join('；');
      return renderDetail(c, doc, { unlink: { interpretationId, message } }, result.status);
    });
}
