import type { Context } from 'hono';
import { Hono } from 'hono';
import { raw } from 'hono/html';
import type { ZodError } from 'zod';
import type { Actor } from '../../app/accounts/actor.js';
import { mayCall } from '../../app/accounts/policy.js';
import type { AppContext } from '../../app/context.js';
import { listDepartments, type DepartmentView } from '../../app/departments.js';
import {
  createIncident,
  fulfilCommitment,
  getIncident,
  listIncidents,
  mergeIncidents,
  updateIncident,
  type CommitmentView,
  type IncidentDetail,
  type IncidentView,
} from '../../app/incidents.js';
import type { CommitmentStatus, IncidentStatus } from '../../domain/deadlines/commitments.js';
import { SEVERITIES, SEVERITY_LABELS } from '../../domain/deadlines/response-policy.js';
import { parseInstant, SHANGHAI_OFFSET_MS } from '../../domain/time.js';
import type { AuthEnv } from '../../http/auth.js';
import { FulfilInput, IncidentInput, IncidentPatch } from '../../http/monitoring-schemas.js';
import { beijing, FieldError, FormError, pageOffset, VersionField } from '../components.js';
import { COUNTDOWN_SCRIPT, hms } from '../countdown.js';
import { forbiddenPage, notFoundPage } from '../errors.js';
import { attempt, formFields, postedVersion, fromLocalDateTime, zodFieldErrors, type FieldErrors, errorsOf, valuesOf, type FailedForm, type PageStatus } from '../forms.js';
import { Layout } from '../layout.js';
import { ExportLinks } from '../export-links.js';
import { MAX_QUERY_LENGTH } from '../../app/search.js';
import { DEPTH_CSS, DepthBadges, HeatChart, StoryList } from './incident-depth.js';

// The press office's incident pages: the list with its running clocks and the 登记事件 form, and
// one incident with its commitments, the forms that act on it, the feed items that raised it and
// its hot words. Forms post to these pages (never to /api); each post is checked against the
// same ROUTE_POLICY entry as the API call it stands for.

const ROUTES = {
  list: 'GET /api/incidents',
  read: 'GET /api/incidents/:id',
  create: 'POST /api/incidents',
  update: 'PATCH /api/incidents/:id',
  merge: 'POST /api/incidents/:id/merge',
  fulfil: 'POST /api/commitments/:id/fulfil',
} as const;

const STATUS_LABELS: Record<IncidentStatus, string> = { open: '进行中', closed: '已关闭', dismissed: '已排除' };
const STATUSES = Object.keys(STATUS_LABELS) as IncidentStatus[];

const COMMITMENT_STATUS_LABELS: Record<CommitmentStatus, string> = {
  open: '进行中',
  met: '已按时完成',
  late: '超时完成',
  missed: '已超时',
  cancelled: '已取消',
};

/** What each status button does, and the label it carries. */
const STATUS_ACTIONS: { status: IncidentStatus; label: string }[] = [
  { status: 'closed', label: '关闭事件' },
  { status: 'dismissed', label: '排除（误报）' },
  { status: 'open', label: '重新打开' },
];

const PAGE_SIZE = 50;

// Long titles, links and department codes wrap instead of widening the page at 390 px.
const PAGE_CSS = `
.incidents-page{overflow-wrap:anywhere}
.filters{display:flex;flex-wrap:wrap;gap:.4rem;margin:0 0 1rem}.filters a{background:#fff;border:1px solid #8a96a3;border-radius:999px;padding:.15rem .8rem;text-decoration:none}
.filters a[aria-current]{background:#8b1a1a;border-color:#8b1a1a;color:#fff}
.search{display:flex;gap:.5rem;margin:0 0 .8rem;max-width:32rem}.search button{font:inherit;padding:.45rem 1rem;white-space:nowrap}
.incident-list{list-style:none;padding:0;margin:0;display:grid;gap:.75rem}
.incident{background:#fff;border-radius:8px;padding:.75rem 1rem;box-shadow:0 1px 2px #0001}.incident h3{margin:0 0 .2rem;font-size:1.05rem}
.incident .timers{margin-top:.6rem}.incident .timer{box-shadow:none;background:#f8fafc}
.badge{display:inline-block;border-radius:4px;padding:0 .4rem;background:#e4e7eb;font-size:.85em}.badge.sev-especially_major,.badge.sev-major{background:#fde8e8;color:#9b1c1c}
.timer.settled{border-color:#9aa5b1}.timer.met{border-color:#276749}.timer.late-done{border-color:#dd6b20}
.timer form.stack,.timer details{flex-basis:100%}
details summary{cursor:pointer;color:#0b5cad}details form.stack{margin-top:.5rem}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}.actions button{font:inherit;border:1px solid #8a96a3;background:#fff;border-radius:6px;padding:.45rem .9rem;cursor:pointer}
.panel{background:#fff;border-radius:8px;padding:.75rem 1rem;box-shadow:0 1px 2px #0001;display:grid;gap:1rem}
.tags{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.4rem}.tags li{background:#fff;border:1px solid #e4e7eb;border-radius:999px;padding:.1rem .7rem}
.feed-items{padding-left:1.2rem}.feed-items li{margin:.3rem 0}
`;

const PageStyle = () => <style>{raw(PAGE_CSS + DEPTH_CSS)}</style>;


/** A form post's single-valued fields, trimmed. */
async function postedValues(c: Context<AuthEnv>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(await formFields(c))) out[k] = (Array.isArray(v) ? (v[0] ?? '') : v).trim();
  return out;
}

/** Empty optional fields are left out, so the API schemas' defaults apply. */
const optional = (value: string | undefined) => (value ? value : undefined);

/** A moment as a datetime-local value (Beijing time), for the `max` of a picker. */
const localDateTime = (ms: number) => new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16);

/** Messages people can act on, in place of the schemas' technical ones for these form fields. */
const FRIENDLY: Record<string, string> = {
  title: '请填写事件标题（最长 500 字）',
  severity: '请选择严重程度',
  startedAt: '请按“年-月-日 时:分”填写开始时间',
  at: '请按“年-月-日 时:分”填写完成时间',
};

function formErrors(error: ZodError): FieldErrors {
  const errors = zodFieldErrors(error);
  for (const field of Object.keys(errors)) errors[field] = FRIENDLY[field] ?? errors[field]!;
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Countdowns

/** Running = not fulfilled, not cancelled, on an open incident: what the leaders' board counts down. */
const isRunning = (incident: IncidentView, c: CommitmentView) => incident.status === 'open' && (c.status === 'open' || c.status === 'missed');

/** The classes the countdown script keeps up to date: overdue once due, urgent in the last fifth. */
function urgency(c: CommitmentView, startedAt: string, now: number): string {
  const due = Date.parse(c.dueAt);
  if (now > due) return ' overdue';
  return due - now <= (due - Date.parse(startedAt)) * 0.2 ? ' urgent' : '';
}

function Countdown(props: { c: CommitmentView; startedAt: string; now: number }) {
  const { c, now } = props;
  const left = (Date.parse(c.dueAt) - now) / 1000;
  return (
    <span class="countdown" role="timer" data-due={c.dueAt} data-start={props.startedAt} aria-label="剩余时间">
      {left >= 0 ? hms(left) : `超时 ${hms(-left)}`}
    </span>
  );
}

// ---------------------------------------------------------------------------------------------
// The list

/** The list's address with its filters (the search text is kept across status tabs and pages). */
function listLink(status: IncidentStatus, q: string, offset = 0): string {
  const params = new URLSearchParams({ status });
  if (q) params.set('q', q);
  if (offset > 0) params.set('offset', String(offset));
  return `/incidents?${params.toString()}`;
}

function StatusFilter(props: { current: IncidentStatus; q: string }) {
  return (
    <nav class="filters" aria-label="按状态筛选">
      {STATUSES.map((s) => (
        <a href={listLink(s, props.q)} aria-current={s === props.current ? 'page' : undefined}>
          {STATUS_LABELS[s]}
        </a>
      ))}
    </nav>
  );
}

function IncidentFacts(props: { incident: IncidentView; departments: Map<string, string> }) {
  const i = props.incident;
  return (
    <span class="muted">
      <span class={`badge sev-${i.severity}`}>{SEVERITY_LABELS[i.severity]}</span> · {STATUS_LABELS[i.status]}
      {i.departmentCode ? ` · ${props.departments.get(i.departmentCode) ?? i.departmentCode}` : ''} · 开始于 {beijing(i.startedAt)}{' '}
      <DepthBadges incident={i} />
    </span>
  );
}

// No id="timers" here: the countdown script would drop every timer missing from /api/timers,
// whose first 200 entries need not include the incidents of this page. A reload shows changes.
function IncidentCard(props: { incident: IncidentView; departments: Map<string, string>; now: number }) {
  const i = props.incident;
  const running = i.commitments.filter((c) => isRunning(i, c));
  return (
    <li class="incident" data-incident={String(i.id)}>
      <h3>
        <a href={`/incidents/${i.id}`}>{i.title}</a>
      </h3>
      <IncidentFacts incident={i} departments={props.departments} />
      {running.length > 0 && (
        <ul class="timers">
          {running.map((c) => (
            <li class={`timer${urgency(c, i.startedAt, props.now)}`} data-id={String(c.id)}>
              <span class="what">
                {c.label}
                <br />
                <span class="muted">时限 {beijing(c.dueAt)}</span>
              </span>
              <Countdown c={c} startedAt={i.startedAt} now={props.now} />
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function CreateIncidentForm(props: { departments: DepartmentView[]; failed?: FailedForm }) {
  const e = errorsOf(props.failed, 'create');
  const v = valuesOf(props.failed, 'create');
  return (
    <form class="stack" method="post" action="/incidents" novalidate>
      <FormError errors={e} />
      <label>
        事件标题
        <input name="title" value={v.title ?? ''} maxlength={500} required aria-invalid={e?.title ? 'true' : undefined} />
        <FieldError errors={e} name="title" />
      </label>
      <label>
        严重程度
        <select name="severity" aria-invalid={e?.severity ? 'true' : undefined}>
          {SEVERITIES.map((s) => (
            <option value={s} selected={(v.severity ?? 'general') === s}>
              {SEVERITY_LABELS[s]}
            </option>
          ))}
        </select>
        <FieldError errors={e} name="severity" />
      </label>
      <label>
        开始时间（北京时间，留空为当前时刻）
        <input type="datetime-local" name="startedAt" value={v.startedAt ?? ''} aria-invalid={e?.startedAt ? 'true' : undefined} />
        <FieldError errors={e} name="startedAt" />
      </label>
      <label>
        责任部门（可选）
        <select name="departmentCode" aria-invalid={e?.departmentCode ? 'true' : undefined}>
          <option value="">（不指定）</option>
          {props.departments.map((d) => (
            <option value={d.code} selected={v.departmentCode === d.code}>
              {d.name}（{d.code}）
            </option>
          ))}
        </select>
        <FieldError errors={e} name="departmentCode" />
      </label>
      <label>
        摘要（可选）
        <textarea name="summary" rows={3} maxlength={5000}>
          {v.summary ?? ''}
        </textarea>
        <FieldError errors={e} name="summary" />
      </label>
      <button class="primary" type="submit">
        登记事件
      </button>
    </form>
  );
}

function IncidentListPage(props: {
  actor: Actor;
  status: IncidentStatus;
  incidents: IncidentView[];
  hasMore: boolean;
  offset: number;
  departments: DepartmentView[];
  now: number;
  q: string;
  failed?: FailedForm;
}) {
  const names = new Map(props.departments.map((d) => [d.code, d.name]));
  const pageLink = (offset: number) => listLink(props.status, props.q, offset);
  return (
    <div class="incidents-page">
      <PageStyle />
      <h1>舆情事件</h1>
      <StatusFilter current={props.status} q={props.q} />
      {/* No action: a GET form goes to this very page, and the create form keeps action="/incidents" to itself. */}
      <form class="search" method="get" role="search" aria-label="检索舆情事件">
        <input type="hidden" name="status" value={props.status} />
        <input type="search" name="q" value={props.q} maxlength={MAX_QUERY_LENGTH} placeholder="标题中的文字" aria-label="检索标题" />
        <button type="submit">检索</button>
      </form>
      <ExportLinks path="/api/incidents/export" params={{ status: props.status, q: props.q }} note="（当前状态与检索条件下的全部事件，含回应承诺）" />
      {props.incidents.length === 0 ? (
        <p class="empty">{props.q ? `没有标题包含“${props.q}”的${STATUS_LABELS[props.status]}舆情事件。` : `没有${STATUS_LABELS[props.status]}的舆情事件。`}</p>
      ) : (
        <>
        <h2 class="sr-only">事件列表</h2>
        <ul class="incident-list">
          {props.incidents.map((i) => (
            <IncidentCard incident={i} departments={names} now={props.now} />
          ))}
        </ul>
        </>
      )}
      {(props.offset > 0 || props.hasMore) && (
        <p class="actions">
          {props.offset > 0 && <a href={pageLink(Math.max(0, props.offset - PAGE_SIZE))}>上一页</a>}
          {props.hasMore && <a href={pageLink(props.offset + PAGE_SIZE)}>下一页</a>}
        </p>
      )}
      {mayCall(props.actor, ROUTES.create) && (
        <section aria-labelledby="create-heading">
          <h2 id="create-heading">登记事件</h2>
          <p class="muted">登记后按严重程度自动生成回应承诺并开始计时。</p>
          <CreateIncidentForm departments={props.departments} failed={props.failed} />
        </section>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// One incident

function FulfilForm(props: { incidentId: number; c: CommitmentView; now: number; failed?: FailedForm }) {
  const form = `fulfil-${props.c.id}`;
  const e = errorsOf(props.failed, form);
  const v = valuesOf(props.failed, form);
  return (
    <details open={e !== undefined}>
      <summary>记录已完成</summary>
      <form class="stack" method="post" action={`/incidents/${props.incidentId}/commitments/${props.c.id}/fulfil`} novalidate>
        <FormError errors={e} />
        <label>
          完成时间（北京时间，留空为当前时刻）
          <input type="datetime-local" name="at" value={v.at ?? ''} max={localDateTime(props.now)} aria-invalid={e?.at ? 'true' : undefined} />
          <FieldError errors={e} name="at" />
        </label>
        <label>
          发布链接（可选）
          <input type="url" name="url" value={v.url ?? ''} placeholder="https://" aria-invalid={e?.url ? 'true' : undefined} />
          <FieldError errors={e} name="url" />
        </label>
        <label>
          备注（可选）
          <textarea name="note" rows={2} maxlength={2000}>
            {v.note ?? ''}
          </textarea>
          <FieldError errors={e} name="note" />
        </label>
        <button class="primary" type="submit">
          确认完成
        </button>
      </form>
    </details>
  );
}

function Fulfilment(props: { c: CommitmentView }) {
  const c = props.c;
  if (!c.fulfilledAt) return null;
  return (
    <span class="muted">
      完成于 {beijing(c.fulfilledAt)}
      {c.url && (
        <>
          {' · '}
          <a href={c.url} target="_blank" rel="noopener">
            {c.url}
          </a>
        </>
      )}
      {c.note && ` · ${c.note}`}
    </span>
  );
}

function commitmentClass(incident: IncidentView, c: CommitmentView, now: number): string {
  if (isRunning(incident, c)) return `timer${urgency(c, incident.startedAt, now)}`;
  if (c.status === 'met') return 'timer met';
  if (c.status === 'late') return 'timer late-done';
  return 'timer settled';
}

// Not inside id="timers": the countdown script would remove fulfilled and cancelled rows, which
// this page keeps on show.
function CommitmentItem(props: { incident: IncidentDetail; c: CommitmentView; mayFulfil: boolean; now: number; failed?: FailedForm }) {
  const { incident, c, now } = props;
  const fulfillable = props.mayFulfil && c.fulfilledAt === null && c.status !== 'cancelled';
  return (
    <li class={commitmentClass(incident, c, now)} data-id={String(c.id)}>
      <span class="what">
        <strong>{c.label}</strong> <span class="commitment-status">{COMMITMENT_STATUS_LABELS[c.status]}</span>
        <br />
        <span class="muted">时限 {beijing(c.dueAt)}（北京时间）</span>
        {c.fulfilledAt && <br />}
        <Fulfilment c={c} />
      </span>
      {isRunning(incident, c) && <Countdown c={c} startedAt={incident.startedAt} now={now} />}
      {fulfillable && <FulfilForm incidentId={incident.id} c={c} now={now} failed={props.failed} />}
    </li>
  );
}

function SeverityForm(props: { incident: IncidentDetail; failed?: FailedForm }) {
  const e = errorsOf(props.failed, 'severity');
  return (
    <form class="stack" method="post" action={`/incidents/${props.incident.id}`} novalidate>
      <FormError errors={e} />
      <VersionField updatedAt={props.incident.updatedAt} />
      <label>
        严重程度
        <select name="severity" aria-invalid={e?.severity ? 'true' : undefined}>
          {SEVERITIES.map((s) => (
            <option value={s} selected={props.incident.severity === s}>
              {SEVERITY_LABELS[s]}
            </option>
          ))}
        </select>
        <FieldError errors={e} name="severity" />
      </label>
      <button class="primary" type="submit">
        修改严重程度
      </button>
    </form>
  );
}

function StatusForm(props: { incident: IncidentDetail; failed?: FailedForm }) {
  const i = props.incident;
  const e = errorsOf(props.failed, 'status');
  // A merged incident stays closed: it lives on in the one it was merged into.
  const actions = STATUS_ACTIONS.filter((a) => a.status !== i.status && !(a.status === 'open' && i.mergedIntoId !== null));
  if (actions.length === 0) return null;
  return (
    <form method="post" action={`/incidents/${i.id}`} aria-label="事件状态">
      <FormError errors={e} />
      <VersionField updatedAt={i.updatedAt} />
      <FieldError errors={e} name="status" />
      <div class="actions">
        {actions.map((a) => (
          <button type="submit" name="status" value={a.status}>
            {a.label}
          </button>
        ))}
      </div>
    </form>
  );
}

function MergeForm(props: { incident: IncidentDetail; failed?: FailedForm }) {
  const e = errorsOf(props.failed, 'merge');
  const v = valuesOf(props.failed, 'merge');
  return (
    <form class="stack" method="post" action={`/incidents/${props.incident.id}/merge`} novalidate>
      <FormError errors={e} />
      <label>
        合并另一事件（填写其编号，该事件的条目并入本事件，其未完成的承诺取消）
        <input name="sourceId" inputmode="numeric" value={v.sourceId ?? ''} aria-invalid={e?.sourceId ? 'true' : undefined} />
        <FieldError errors={e} name="sourceId" />
      </label>
      <button class="primary" type="submit">
        合并
      </button>
    </form>
  );
}

/** Feed items an incident's page lists at most (the earliest: those that raised it). */
const ITEMS_SHOWN = 100;

function FeedItems(props: { items: IncidentDetail['items'] }) {
  if (props.items.length === 0) return <p class="empty">没有关联的订阅条目（手工登记的事件）。</p>;
  const shown = props.items.slice(0, ITEMS_SHOWN);
  return (
    <>
    {shown.length < props.items.length && (
      <p class="muted" id="items-cut">
        共 {props.items.length} 条，列出最早的 {shown.length} 条。
      </p>
    )}
    <ul class="feed-items">
      {shown.map((item) => (
        <li data-item={String(item.id)}>
          {item.link ? (
            <a href={item.link} target="_blank" rel="noopener">
              {item.title}
            </a>
          ) : (
            item.title
          )}{' '}
          <span class="muted">{item.publishedAt ? `发布于 ${beijing(item.publishedAt)}` : `抓取于 ${beijing(item.fetchedAt)}`}</span>
        </li>
      ))}
    </ul>
    </>
  );
}

function Hotwords(props: { words: IncidentDetail['hotwords'] }) {
  if (props.words.length === 0) return <p class="empty">暂无热词。</p>;
  return (
    <ul class="tags" aria-label="热词">
      {props.words.map((w) => (
        <li>{w.word}</li>
      ))}
    </ul>
  );
}

function IncidentDetailPage(props: { actor: Actor; incident: IncidentDetail; department: string | null; now: number; failed?: FailedForm }) {
  const { actor, incident: i, now, failed } = props;
  const mayUpdate = mayCall(actor, ROUTES.update);
  const mayMerge = mayCall(actor, ROUTES.merge);
  return (
    <div class="incidents-page">
      <PageStyle />
      <p class="muted">
        <a href="/incidents">← 舆情事件</a>
      </p>
      <h1>{i.title}</h1>
      <p>
        <span class={`badge sev-${i.severity}`}>{SEVERITY_LABELS[i.severity]}</span> · <span class="incident-status">{STATUS_LABELS[i.status]}</span>
        {' · '}编号 {i.id}
        {props.department ? ` · ${props.department}` : ''}
        <br />
        <span class="muted">开始于 {beijing(i.startedAt)}（北京时间）</span>
      </p>
      <p class="depth-facts">
        <DepthBadges incident={i} heating={i.heating} />
      </p>
      {i.mergedIntoId !== null && (
        <p class="notice">
          本事件已并入 <a href={`/incidents/${i.mergedIntoId}`}>事件 {i.mergedIntoId}</a>。
        </p>
      )}
      {i.summary && <p>{i.summary}</p>}

      <h2>回应承诺</h2>
      {i.commitments.length === 0 ? (
        <p class="empty">本事件没有回应承诺。</p>
      ) : (
        <ul class="timers commitments">
          {i.commitments.map((c) => (
            <CommitmentItem incident={i} c={c} mayFulfil={mayCall(actor, ROUTES.fulfil)} now={now} failed={failed} />
          ))}
        </ul>
      )}

      {(mayUpdate || mayMerge) && (
        <>
          <h2>处置</h2>
          <div class="panel">
            {mayUpdate && <SeverityForm incident={i} failed={failed} />}
            {mayUpdate && <StatusForm incident={i} failed={failed} />}
            {mayMerge && <MergeForm incident={i} failed={failed} />}
          </div>
        </>
      )}

      <h2>报道与转载</h2>
      <p class="muted">转载归并后每篇报道一次；“N 家转载”为刊载该报道的不同订阅源个数（含首发）。</p>
      <StoryList stories={i.stories} />

      <h2>热度</h2>
      <p class="muted">
        近 24 小时每小时不同报道篇数（北京时间）。近 1 小时 {i.heat} 篇，此前 24 小时平均每小时 {i.heatBaseline} 篇{i.heating ? '，热度上升' : ''}。
      </p>
      <HeatChart series={i.storiesPerHour} heating={i.heating} />

      <h2>引发事件的订阅条目</h2>
      <FeedItems items={i.items} />

      <h2>热词</h2>
      <Hotwords words={i.hotwords} />
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Routes

const idOf = (value: string): number | null => (/^[1-9]\d{0,15}$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : null);

const statusOf = (value: string | undefined): IncidentStatus => (STATUSES as string[]).includes(value ?? '') ? (value as IncidentStatus) : 'open';

/** /incidents and /incidents/:id. */
export function incidentPages(ctx: AppContext) {
  const departments = () => listDepartments(ctx, { limit: 500, offset: 0 });

  async function listPage(c: Context<AuthEnv>, status: IncidentStatus, offset: number, failed?: FailedForm, code: PageStatus = 200) {
    const now = ctx.now();
    const q = (c.req.query('q') ?? '').trim().slice(0, MAX_QUERY_LENGTH);
    const rows = await listIncidents(ctx, { status, q, asOf: now, limit: PAGE_SIZE + 1, offset });
    return c.html(
      <Layout title="舆情事件" actor={c.get('actor')} current="/incidents" script={COUNTDOWN_SCRIPT} serverNow={now}>
        <IncidentListPage
          actor={c.get('actor')}
          status={status}
          incidents={rows.slice(0, PAGE_SIZE)}
          hasMore={rows.length > PAGE_SIZE}
          offset={offset}
          departments={await departments()}
          now={now}
          q={q}
          failed={failed}
        />
      </Layout>,
      code,
    );
  }

  /** The detail page, or null when there is no such incident. */
  async function detailPage(c: Context<AuthEnv>, id: number, failed?: FailedForm, code: PageStatus = 200) {
    const now = ctx.now();
    const found = await attempt(() => getIncident(ctx, id, now));
    if (!found.ok) return notFoundPage(c, `舆情事件 ${id} `);
    const incident = found.value;
    const department = incident.departmentCode ? ((await departments()).find((d) => d.code === incident.departmentCode)?.name ?? incident.departmentCode) : null;
    return c.html(
      <Layout title={incident.title} actor={c.get('actor')} current="/incidents" script={COUNTDOWN_SCRIPT} serverNow={now}>
        <IncidentDetailPage actor={c.get('actor')} incident={incident} department={department} now={now} failed={failed} />
      </Layout>,
      code,
    );
  }

  /** The incident of a post's path, if it exists: every post about one incident starts here. */
  async function existing(id: number | null) {
    if (id === null) return null;
    const found = await attempt(() => getIncident(ctx, id, ctx.now()));
    return found.ok ? found.value : null;
  }

  const refuse = (c: Context<AuthEnv>) => forbiddenPage(c, '或执行此操作');

  return new Hono<AuthEnv>()
    .get('/incidents', (c) => {
      if (!mayCall(c.get('actor'), ROUTES.list)) return refuse(c);
      const offset = pageOffset(c.req.query('offset'));
      return listPage(c, statusOf(c.req.query('status')), offset);
    })
    .post('/incidents', async (c) => {
      if (!mayCall(c.get('actor'), ROUTES.create)) return refuse(c);
      const values = await postedValues(c);
      const parsed = IncidentInput.safeParse({
        title: values.title ?? '',
        severity: values.severity ?? '',
        startedAt: optional(values.startedAt && fromLocalDateTime(values.startedAt)),
        departmentCode: optional(values.departmentCode),
        summary: optional(values.summary),
      });
      if (!parsed.success) return listPage(c, 'open', 0, { form: 'create', values, errors: formErrors(parsed.error) }, 400);
      const input = parsed.data;
      const result = await attempt(() =>
        createIncident(ctx, c.get('actor'), { ...input, startedAt: input.startedAt === undefined ? undefined : parseInstant(input.startedAt)! }),
      );
      if (!result.ok) return listPage(c, 'open', 0, { form: 'create', values, errors: result.errors }, result.status);
      return c.redirect(`/incidents/${result.value.id}`, 303);
    })
    .get('/incidents/:id', async (c) => {
      if (!mayCall(c.get('actor'), ROUTES.read)) return refuse(c);
      const id = idOf(c.req.param('id'));
      if (id === null) return notFoundPage(c, '该舆情事件');
      return detailPage(c, id);
    })
    .post('/incidents/:id', async (c) => {
      if (!mayCall(c.get('actor'), ROUTES.update)) return refuse(c);
      const incident = await existing(idOf(c.req.param('id')));
      if (!incident) return notFoundPage(c, '该舆情事件');
      const values = await postedValues(c);
      const form = values.status !== undefined ? 'status' : 'severity';
      const parsed = IncidentPatch.safeParse({ severity: optional(values.severity), status: optional(values.status) });
      if (!parsed.success) return detailPage(c, incident.id, { form, values, errors: formErrors(parsed.error) }, 400);
      const result = await attempt(() =>
        updateIncident(ctx, c.get('actor'), incident.id, { severity: parsed.data.severity, status: parsed.data.status }, postedVersion(values)),
      );
      if (!result.ok) return detailPage(c, incident.id, { form, values, errors: result.errors }, result.status);
      return c.redirect(`/incidents/${incident.id}`, 303);
    })
    .post('/incidents/:id/merge', async (c) => {
      if (!mayCall(c.get('actor'), ROUTES.merge)) return refuse(c);
      const incident = await existing(idOf(c.req.param('id')));
      if (!incident) return notFoundPage(c, '该舆情事件');
      const values = await postedValues(c);
      const sourceId = idOf(values.sourceId ?? '');
      if (sourceId === null) return detailPage(c, incident.id, { form: 'merge', values, errors: { sourceId: '请填写要并入的事件编号（正整数）' } }, 400);
      const result = await attempt(() => mergeIncidents(ctx, c.get('actor'), incident.id, sourceId));
      if (!result.ok) return detailPage(c, incident.id, { form: 'merge', values, errors: result.errors }, result.status);
      return c.redirect(`/incidents/${incident.id}`, 303);
    })
    .post('/incidents/:id/commitments/:commitmentId/fulfil', async (c) => {
      if (!mayCall(c.get('actor'), ROUTES.fulfil)) return refuse(c);
      const incident = await existing(idOf(c.req.param('id')));
      const commitmentId = idOf(c.req.param('commitmentId'));
      if (!incident || !incident.commitments.some((x) => x.id === commitmentId)) return notFoundPage(c, '该回应承诺');
      const form = `fulfil-${commitmentId}`;
      const values = await postedValues(c);
      const parsed = FulfilInput.safeParse({
        at: optional(values.at && fromLocalDateTime(values.at)),
        url: optional(values.url),
        note: optional(values.note),
      });
      if (!parsed.success) return detailPage(c, incident.id, { form, values, errors: formErrors(parsed.error) }, 400);
      const input = parsed.data;
      const result = await attempt(() =>
        fulfilCommitment(ctx, c.get('actor'), commitmentId!, { ...input, at: input.at === undefined ? undefined : parseInstant(input.at)! }),
      );
      if (!result.ok) return detailPage(c, incident.id, { form, values, errors: result.errors }, result.status);
      return c.redirect(`/incidents/${incident.id}`, 303);
    });
}
