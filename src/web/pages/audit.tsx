import type { Context } from 'hono';
import { Hono } from 'hono';
import { raw } from 'hono/html';
import { ROLE_LABELS } from '../../app/accounts/actor.js';
import { FORM_LABELS, SERVICE_ACTOR_LABELS } from '../labels.js';
import { mayCall } from '../../app/accounts/policy.js';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITIES, AUDIT_ENTITY_LABELS, listAudit, type AuditEntity, type AuditView } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { listDepartments } from '../../app/departments.js';
import { DOC_TYPE_LABELS } from '../../app/documents.js';
import { isSupportedDate, MAX_YEAR, MIN_YEAR } from '../../domain/calendar/calendar.js';
import { COMMITMENT_LABELS, SEVERITY_LABELS } from '../../domain/deadlines/response-policy.js';
import { CHANNEL_LABELS as PLAN_CHANNEL_LABELS } from '../../domain/deadlines/interpretation-plan.js';
import { APPLICANT_TYPE_LABELS, CHANNEL_LABELS as REQUEST_CHANNEL_LABELS, EVENT_LABELS } from '../../domain/disclosure/vocabulary.js';
import { SHANGHAI_OFFSET_MS } from '../../domain/time.js';
import type { AuthEnv } from '../../http/auth.js';
import { FieldError, pageOffset, Pager } from '../components.js';
import { forbiddenPage } from '../errors.js';
import type { FieldErrors } from '../forms.js';
import { ExportLinks } from '../export-links.js';
import { Layout } from '../layout.js';

// 审计日志: every change, newest first, for the roles that may call GET /api/audit, with the same
// filters (actor, entity, entity id, a range of Beijing dates) and paging. Each entry shows only
// what changed: the fields whose value differs between before and after.

const ROUTE = 'GET /api/audit';
const PAGE_SIZE = 50;

// The names people read for each kind of entry live beside AUDIT_ENTITIES (the export uses them too).
const ENTITY_LABELS = AUDIT_ENTITY_LABELS;
const ACTION_LABELS = AUDIT_ACTION_LABELS;

const FIELD_LABELS: Record<string, string> = {
  docNumber: '文号',
  title: '标题',
  departmentCode: '部门',
  departmentCodes: '所属部门',
  publishedAt: '发布时间',
  url: '链接',
  requiresInterpretation: '需要解读',
  exemptReason: '免于解读理由',
  importance: '重要程度',
  interpretationDueDate: '解读截止',
  dueProvisional: '截止日期暂定',
  form: '解读形式',
  documentIds: '关联文件',
  documentId: '文件',
  code: '代码',
  name: '名称',
  severity: '严重程度',
  status: '状态',
  startedAt: '开始时间',
  summary: '摘要',
  ruleId: '监测规则',
  mergedIntoId: '并入事件',
  query: '查询式',
  enabled: '启用',
  source: '来源',
  intervalMinutes: '轮询间隔（分钟）',
  username: '用户名',
  displayName: '姓名',
  role: '角色',
  disabled: '已停用',
  tokenId: '令牌编号',
  kind: '类型',
  date: '日期',
  year: '年份',
  notice: '依据',
  days: '日期清单',
  fulfilledAt: '完成时间',
  note: '备注',
  rules: '规则',
  docType: '文件类别',
  drafting: '起草中',
  interpretationPlan: '解读方案',
  signedOffAt: '审签时间',
  signedOffBy: '审签人',
  signOffNote: '审签意见',
  planAtSignOff: '审签时附解读方案',
  canSignOff: '可审签',
  leaderLed: '主要负责人解读',
  channels: '发布渠道',
  firstInterpretationAt: '首份解读发布时间',
  firstLeaderLedAt: '首份主要负责人解读时间',
  closedAt: '关闭时间',
  closedBy: '关闭人',
  cancelledAt: '取消时间',
  dueAt: '时限',
  policyVersion: '回应规则版本',
  minSignal: '负面信号门槛',
  minSeverity: '最低严重程度',
  alertTypes: '提醒类型',
  escalation: '超时升级提醒',
  keyword: '关键词',
  mentionMobiles: '提醒手机号',
  receivedDate: '收到申请日期',
  channel: '申请方式',
  applicantType: '申请人类型',
  applicantName: '申请人',
  contact: '联系方式',
  subject: '申请内容',
  number: '编号',
  dueDate: '答复期限',
  type: '事项',
  occurredAt: '发生时间',
  details: '详情',
  expiresAt: '到期时间',
  revokedAt: '撤销时间',
  version: '版本',
};

/**
 * Bookkeeping a person does not change and need not read (the full record still has them): ids,
 * the search text kept from the title, creation and update times, hashes.
 */
const HIDDEN_FIELDS = new Set(['id', 'searchText', 'createdAt', 'updatedAt', 'passwordHash', 'tokenHash', 'secretHash', 'normalizedTitle', 'simhash', 'dueRevision']);


const VALUE_LABELS: Record<string, Record<string, string>> = {
  kind: { holiday: '休息日（节假日）', makeup_workday: '调休上班日', ...COMMITMENT_LABELS },
  severity: SEVERITY_LABELS,
  role: ROLE_LABELS,
  importance: { normal: '普通', major: '重大' },
  status: { open: '进行中', closed: '已关闭', dismissed: '已排除' },
  source: { config: '配置文件', api: '接口' },
  form: FORM_LABELS,
  docType: DOC_TYPE_LABELS,
  channels: PLAN_CHANNEL_LABELS,
  channel: REQUEST_CHANNEL_LABELS,
  applicantType: APPLICANT_TYPE_LABELS,
  type: EVENT_LABELS,
};

/** A 解读方案 in words: its forms, channels, leader-led and who is responsible. */
function planInWords(plan: Record<string, unknown>): string {
  const list = (v: unknown, labels: Record<string, string>) => (Array.isArray(v) ? v.map((x) => labels[String(x)] ?? String(x)).join('、') : '');
  const parts = [`形式：${list(plan.forms, FORM_LABELS) || '（无）'}`];
  const channels = list(plan.channels, PLAN_CHANNEL_LABELS);
  if (channels) parts.push(`渠道：${channels}`);
  if (plan.leaderLed === true) parts.push('主要负责人解读');
  const who = typeof plan.responsibleName === 'string' ? plan.responsibleName : null;
  if (who) parts.push(`责任人：${who}`);
  if (typeof plan.note === 'string' && plan.note) parts.push(`说明：${plan.note}`);
  return clip(parts.join('；'));
}

const PAGE_CSS = `
.filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;margin-bottom:1rem}.filters label{flex:1 1 9rem}
.filters .buttons{display:flex;gap:.8rem;align-items:center}.filters button{font:inherit;padding:.45rem 1rem}
td{overflow-wrap:anywhere}
@media (min-width:641px){td.nw{white-space:nowrap}}
.when{white-space:nowrap}.chg{min-width:0}
ul.changes{list-style:none;margin:0;padding:0;display:grid;gap:.15rem}
ul.changes .f{color:#52606d}
ul.changes del{color:#b42318}ul.changes ins{text-decoration:none;color:#276749}
details.raw summary{cursor:pointer;color:#0b5cad;font-size:.85em}
details.raw pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.8em;background:#f8fafc;padding:.4rem;border-radius:4px;margin:.3rem 0 0;max-height:20rem;overflow-y:auto}
@media (max-width:640px){table.stacked td{grid-template-columns:4.5em minmax(0,1fr)}}
`;

const PageStyle = () => <style>{raw(PAGE_CSS)}</style>;

// ---------------------------------------------------------------------------------------------
// Showing an entry

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const MAX_TEXT = 200;
const MAX_LIST = 10;

/** 'YYYY-MM-DD HH:mm:ss' in Beijing time. */
function beijingSeconds(iso: string): string {
  return new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s);

/** A recorded value in words: times in Beijing, yes/no, the Chinese names of codes, long lists counted. */
function show(field: string, v: unknown, departments: ReadonlyMap<string, string>): string {
  if (v === null || v === undefined || v === '') return '（空）';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') {
    if (ISO_UTC.test(v)) return beijingSeconds(v);
    if (field === 'departmentCode' || field === 'departmentCodes') return clip(departments.get(v) ?? v);
    return clip(VALUE_LABELS[field]?.[v] ?? v);
  }
  if (field === 'interpretationPlan' && isRecord(v)) return planInWords(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '（无）';
    if (v.length > MAX_LIST || v.some((x) => typeof x === 'object' && x !== null)) return `共 ${v.length} 项`;
    return v.map((x) => show(field, x, departments)).join('、');
  }
  return clip(JSON.stringify(v));
}

interface Change {
  field: string;
  before?: unknown;
  after?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const blank = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * What an entry changed: for an update, the fields whose value differs; for a creation, the
 * fields it was created with (empty ones left out); for a removal, what there was.
 */
function changesOf(entry: AuditView): Change[] {
  const { before, after } = entry;
  if (isRecord(before) && isRecord(after)) {
    // A field an entry did not record after (an update that wrote only what it changed) did not
    // change: only fields present on both sides, or new after, are compared.
    const keys = [...new Set([...Object.keys(after), ...Object.keys(before).filter((k) => k in after)])].filter((k) => !HIDDEN_FIELDS.has(k));
    return keys.filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)).map((k) => ({ field: k, before: before[k], after: after[k] }));
  }
  const shown = ([k, v]: [string, unknown]) => !blank(v) && !HIDDEN_FIELDS.has(k);
  if (before === null && isRecord(after)) return Object.entries(after).filter(shown).map(([k, v]) => ({ field: k, after: v }));
  if (after === null && isRecord(before)) return Object.entries(before).filter(shown).map(([k, v]) => ({ field: k, before: v }));
  if (before === null && after === null) return [];
  return [{ field: '', before: before ?? undefined, after: after ?? undefined }];
}

function ChangeList(props: { entry: AuditView; departments: ReadonlyMap<string, string> }) {
  const changes = changesOf(props.entry);
  if (changes.length === 0) return <span class="muted">无字段变化</span>;
  return (
    <ul class="changes">
      {changes.map((ch) => {
        const label = ch.field === '' ? '内容' : (FIELD_LABELS[ch.field] ?? ch.field);
        const hasBefore = 'before' in ch && ch.before !== undefined;
        const hasAfter = 'after' in ch && ch.after !== undefined;
        return (
          <li data-field={ch.field}>
            <span class="f">{label}</span>：{hasBefore && <del>{show(ch.field, ch.before, props.departments)}</del>}
            {hasBefore && hasAfter && ' → '}
            {hasAfter && <ins>{show(ch.field, ch.after, props.departments)}</ins>}
          </li>
        );
      })}
    </ul>
  );
}

/** The full record, for when the summary left something out. */
function RawRecord(props: { entry: AuditView }) {
  const { before, after } = props.entry;
  return (
    <details class="raw">
      <summary>完整记录</summary>
      <pre>{JSON.stringify({ 改前: before, 改后: after }, null, 1)}</pre>
    </details>
  );
}

/** The entity and its id, linked to its page where it has one. */
function EntityCell(props: { entry: AuditView }) {
  const { entity, entityId } = props.entry;
  const label = ENTITY_LABELS[entity as AuditEntity] ?? entity;
  let href: string | undefined;
  if (entityId !== null) {
    if (entity === 'document' && /^\d+$/.test(entityId)) href = `/documents/${entityId}`;
    else if (entity === 'incident' && /^\d+$/.test(entityId)) href = `/incidents/${entityId}`;
    else if (entity === 'calendar_day' && /^\d{4}(-\d{2}-\d{2})?$/.test(entityId)) {
      href = `/calendar?year=${entityId.slice(0, 4)}${entityId.length > 4 ? `#d-${entityId}` : ''}`;
    }
  }
  const id = entityId === null ? '' : entity === 'calendar_day' ? ` ${entityId}` : ` #${entityId}`;
  return href ? (
    <a href={href}>
      {label}
      {id}
    </a>
  ) : (
    <>
      {label}
      {id}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// The page

interface Filters {
  actor: string;
  entity: string;
  entityId: string;
  from: string;
  to: string;
}

const FILTER_NAMES: (keyof Filters)[] = ['actor', 'entity', 'entityId', 'from', 'to'];

function listHref(f: Filters, offset: number): string {
  const params = new URLSearchParams();
  for (const k of FILTER_NAMES) if (f[k]) params.set(k, f[k]);
  if (offset > 0) params.set('offset', String(offset));
  const s = params.toString();
  return s ? `/audit?${s}` : '/audit';
}

/** The filters in plain words: what GET /api/audit would refuse, said next to its field. */
function checkFilters(f: Filters): FieldErrors {
  const errors: FieldErrors = {};
  const dateError = `请填写 ${MIN_YEAR}–${MAX_YEAR} 年间的日期（年-月-日）`;
  if (f.actor.length > 100) errors.actor = '操作人不能超过 100 个字';
  if (f.entity && !(AUDIT_ENTITIES as readonly string[]).includes(f.entity)) errors.entity = '请从列表中选择对象类型';
  if (f.entityId.length > 50) errors.entityId = '对象编号不能超过 50 个字';
  if (f.from && !isSupportedDate(f.from)) errors.from = `起始日期无效：${dateError}`;
  if (f.to && !isSupportedDate(f.to)) errors.to = `截止日期无效：${dateError}`;
  if (!errors.from && !errors.to && f.from && f.to && f.to < f.from) errors.to = '截止日期不能早于起始日期';
  return errors;
}

function FilterForm(props: { filters: Filters; errors: FieldErrors }) {
  const { filters: f, errors: e } = props;
  const invalid = (name: string) => (e[name] ? 'true' : undefined);
  return (
    <form class="filters" id="audit-filters" method="get" action="/audit" aria-label="筛选" novalidate>
      <label>
        操作人（用户名）
        <input name="actor" value={f.actor} aria-invalid={invalid('actor')} />
        <FieldError errors={e} name="actor" />
      </label>
      <label>
        对象类型
        <select name="entity" aria-invalid={invalid('entity')}>
          <option value="">全部</option>
          {AUDIT_ENTITIES.map((x) => (
            <option value={x} selected={x === f.entity}>
              {ENTITY_LABELS[x]}
            </option>
          ))}
        </select>
        <FieldError errors={e} name="entity" />
      </label>
      <label>
        对象编号
        <input name="entityId" value={f.entityId} aria-invalid={invalid('entityId')} />
        <FieldError errors={e} name="entityId" />
      </label>
      <label>
        起始日期
        <input type="date" name="from" value={f.from} aria-invalid={invalid('from')} />
        <FieldError errors={e} name="from" />
      </label>
      <label>
        截止日期
        <input type="date" name="to" value={f.to} aria-invalid={invalid('to')} />
        <FieldError errors={e} name="to" />
      </label>
      <span class="buttons">
        <button type="submit">筛选</button>
        <a href="/audit">清除</a>
      </span>
    </form>
  );
}

function AuditTable(props: { entries: AuditView[]; filters: Filters; departments: ReadonlyMap<string, string> }) {
  return (
    <div class="table-wrap">
      <table class="stacked" id="audit">
        <thead>
          <tr>
            <th>时间</th>
            <th>操作人</th>
            <th>操作</th>
            <th>对象</th>
            <th>变更内容</th>
          </tr>
        </thead>
        <tbody>
          {props.entries.map((entry) => (
            <tr data-id={String(entry.id)} data-entity={entry.entity} data-entity-id={entry.entityId ?? undefined}>
              <td data-label="时间" class="when">
                {beijingSeconds(entry.at)}
              </td>
              <td data-label="操作人">
                <a href={listHref({ ...props.filters, actor: entry.actor }, 0)} title="只看此人的操作">
                  {SERVICE_ACTOR_LABELS[entry.actor] ?? entry.actor}
                </a>
              </td>
              <td data-label="操作" class="nw">{ACTION_LABELS[entry.action] ?? entry.action}</td>
              <td data-label="对象" class="nw">
                <EntityCell entry={entry} />
              </td>
              <td data-label="变更内容">
                <div class="chg">
                  <ChangeList entry={entry} departments={props.departments} />
                  <RawRecord entry={entry} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Ctx = Context<AuthEnv>;

/** /audit: the audit log, for admins and leaders (whoever ROUTE_POLICY lets call GET /api/audit). */
export function auditPages(ctx: AppContext) {
  return new Hono<AuthEnv>().get('/audit', async (c: Ctx) => {
    const actor = c.get('actor');
    if (!mayCall(actor, ROUTE)) return forbiddenPage(c, '审计日志');
    const filters = Object.fromEntries(FILTER_NAMES.map((k) => [k, (c.req.query(k) ?? '').trim()])) as unknown as Filters;
    const offset = pageOffset(c.req.query('offset'));
    const errors = checkFilters(filters);
    const valid = Object.keys(errors).length === 0;
    const rows = valid
      ? await listAudit(ctx, {
          actor: filters.actor || undefined,
          entity: filters.entity || undefined,
          entityId: filters.entityId || undefined,
          from: filters.from || undefined,
          to: filters.to || undefined,
          limit: PAGE_SIZE + 1,
          offset,
        })
      : [];
    const entries = rows.slice(0, PAGE_SIZE);
    const filtered = FILTER_NAMES.some((k) => filters[k]);
    return c.html(
      <Layout title="审计日志" actor={actor} current="/audit">
        <PageStyle />
        <h1>审计日志</h1>
        <p class="muted">每一项修改都记录在案：谁、何时、改了什么（改前 → 改后）。时间为北京时间，最新的在前。</p>
        <FilterForm filters={filters} errors={errors} />
        {valid && <ExportLinks path="/api/audit/export" params={{ ...filters }} />}
        {!valid ? (
          <p class="notice" role="alert">
            筛选条件有误，请按提示修改后重试。
          </p>
        ) : entries.length === 0 ? (
          <p class="empty">{filtered ? '没有符合条件的记录。' : '暂无审计记录。'}</p>
        ) : (
          <AuditTable entries={entries} filters={filters} departments={new Map((await listDepartments(ctx, { limit: 500, offset: 0 })).map((d) => [d.code, d.name]))} />
        )}
        <Pager offset={offset} shown={entries.length} pageSize={PAGE_SIZE} hasNext={rows.length > PAGE_SIZE} href={(at) => listHref(filters, at)} />
      </Layout>,
      valid ? 200 : 400,
    );
  });
}
