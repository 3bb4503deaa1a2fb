import type { Context } from 'hono';
import { Hono } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Actor } from '../../app/accounts/actor.js';
import { mayCall } from '../../app/accounts/policy.js';
import type { AppContext } from '../../app/context.js';
import { listDepartments, type DepartmentView } from '../../app/departments.js';
import { createFeed, DEFAULT_INTERVAL_MINUTES, getFeed, listFeeds, pollFeed, updateFeed, type FeedView } from '../../app/monitoring/feeds.js';
import { checkQuery, createRule, listRules, testRule, updateRule, type RuleView } from '../../app/monitoring/rules.js';
import { SEVERITIES, SEVERITY_LABELS, type Severity } from '../../domain/deadlines/response-policy.js';
import { parseRuleQuery, RuleQueryError } from '../../domain/monitoring/rule-query.js';
import type { AuthEnv } from '../../http/auth.js';
import { FeedInput, RuleInput, RuleTestInput } from '../../http/monitoring-schemas.js';
import { beijing, FieldError, FormError, pageOffset, Pager } from '../components.js';
import { forbiddenPage, notFoundPage } from '../errors.js';
import { attempt, formFields, readableErrors, type FieldErrors, errorsOf, valuesOf, type FailedForm, type PageStatus } from '../forms.js';
import { Layout } from '../layout.js';

// The press office's monitoring pages: /feeds (each feed's health, the 添加订阅源 form, enable /
// disable and 立即抓取) and /rules (the keyword rules, the 新建规则 form, enable / disable and the
// 测试 box). Forms post to these pages, never to /api; each post is checked against the same
// ROUTE_POLICY entry as the API call it stands for, and runs the same use case with the signed-in
// actor (so a feed URL passes the same address guard as POST /api/feeds).

const ROUTES = {
  feeds: 'GET /api/feeds',
  createFeed: 'POST /api/feeds',
  updateFeed: 'PATCH /api/feeds/:id',
  pollFeed: 'POST /api/feeds/:id/poll',
  rules: 'GET /api/rules',
  createRule: 'POST /api/rules',
  updateRule: 'PATCH /api/rules/:id',
  testRule: 'POST /api/rules/test',
} as const;

/** Feeds are few (declared under feeds/ or added by the press office): one page holds them all. */
const MAX_FEEDS = 500;
const RULES_PAGE_SIZE = 100;

// Stacked cards under 640 px (each cell labelled by its column), like the documents list.
const PAGE_CSS = `
.monitoring-page .notice,.monitoring-page .wrap{overflow-wrap:anywhere}
.monitoring-page td .cell{min-width:0}
@media (min-width:641px){.monitoring-page td.wide{min-width:11rem}.monitoring-page td.name{min-width:8rem}}
.cards{margin-bottom:1rem}.card.warn b{color:#9c4221}.card.off b{color:#52606d}
.st-ok{background:#e3f4ea;color:#276749}.st-error{background:#fde8e7;color:#b42318}.st-off{background:#eef0f3;color:#52606d}.st-new{background:#e6f0fb;color:#0b5cad}
.tag{display:inline-block;margin-left:.3rem;padding:0 .35rem;border:1px solid #8a96a3;border-radius:4px;font-size:.8em;color:#52606d;white-space:nowrap}
.error-text{color:#b42318}
code.query{font:.95em/1.5 ui-monospace,Menlo,Consolas,monospace;background:#f4f6f8;border-radius:4px;padding:0 .25rem;overflow-wrap:anywhere}
.query-marker{display:block;font:.95em/1.6 ui-monospace,Menlo,Consolas,monospace;background:#fff4e5;border-radius:4px;padding:.2rem .4rem;overflow-wrap:anywhere;white-space:pre-wrap}
.query-marker mark{background:#b42318;color:#fff;border-radius:2px;padding:0 .1rem}
.nowrap{white-space:nowrap}
.row-actions{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}
.panel{background:#fff;border-radius:8px;padding:.75rem 1rem;box-shadow:0 1px 2px #0001;margin:1.5rem 0 1rem}
.test-result{border-radius:8px;padding:.6rem .9rem;margin-top:.8rem;border:1px solid}
.test-result.matched{background:#e3f4ea;border-color:#9ae6b4}.test-result.unmatched{background:#f8fafc;border-color:#cbd2d9}
.test-result strong{font-size:1.1rem}
.syntax{margin:.3rem 0 0;padding-left:1.2rem}.syntax li{margin:.15rem 0}
`;

const PageStyle = () => <style>{raw(PAGE_CSS)}</style>;

const invalid = (e: FieldErrors | undefined, name: string) => (e?.[name] ? 'true' : undefined);

/** A form post's single-valued fields (the first of repeated ones). */
async function postedValues(c: Context<AuthEnv>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(await formFields(c))) out[k] = Array.isArray(v) ? (v[0] ?? '') : v;
  return out;
}

const FEED_WORDS = {
  name: { blank: '请填写订阅源名称', wrong: '订阅源名称不能超过 200 个字' },
  url: { blank: '请填写订阅源地址', wrong: null }, // the schema's own message says what is wrong
  intervalMinutes: { blank: '请填写抓取间隔', wrong: '抓取间隔应为 1 到 1440 之间的整数（分钟）' },
};

const RULE_WORDS = {
  name: { blank: '请填写规则名称', wrong: '规则名称不能超过 100 个字' },
  query: { blank: '请填写检索式', wrong: '检索式不能超过 2000 个字符' },
  severity: { blank: '请选择严重程度', wrong: '请从列表中选择严重程度' },
  departmentCode: { blank: '请选择责任部门', wrong: '请从列表中选择责任部门' },
  text: { blank: '请填写要测试的文字', wrong: '测试文字不能超过 100000 个字符' },
};

/** A positive integer id from a path, else null. */
const idOf = (value: string | undefined): number | null =>
  value !== undefined && /^[1-9]\d{0,14}$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : null;


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

/**
 * One table cell, labelled for the stacked phone layout. Its content is wrapped in one element:
 * there the cell is a two-column grid (label, value), and loose children would each take a column.
 */
function Cell(props: { label: string; class?: string; children?: Child }) {
  return (
    <td data-label={props.label} class={props.class}>
      <div class="cell">{props.children}</div>
    </td>
  );
}

/** The posts of one row (enable / disable, poll now) answer 404 for an id that names nothing. */
function ToggleButton(props: { action: string; enabled: boolean; what: string }) {
  return (
    <form class="inline" method="post" action={props.action}>
      <input type="hidden" name="enabled" value={props.enabled ? 'false' : 'true'} />
      <button type="submit" aria-label={`${props.enabled ? '停用' : '启用'}${props.what}`}>
        {props.enabled ? '停用' : '启用'}
      </button>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// /feeds

type Health = 'off' | 'error' | 'new' | 'ok';
const HEALTH_LABELS: Record<Health, string> = { off: '已停用', error: '异常', new: '待抓取', ok: '正常' };

function healthOf(f: FeedView): Health {
  if (!f.enabled) return 'off';
  if (f.consecutiveErrors > 0) return 'error';
  if (f.lastPolledAt === null) return 'new';
  return 'ok';
}

/** When the scheduler polls the feed next, and the backed-off interval after errors. */
function NextPoll(props: { feed: FeedView; now: number }) {
  const f = props.feed;
  if (!f.enabled) return <span class="muted">不自动抓取</span>;
  const next = Date.parse(f.nextPollAt);
  const when = next <= props.now ? '已到期，等待下次调度' : <span class="nowrap">{beijing(f.nextPollAt)}</span>;
  if (f.consecutiveErrors === 0 || f.lastPolledAt === null) return <>{when}</>;
  const waitMinutes = Math.max(1, Math.round((next - Date.parse(f.lastPolledAt)) / 60_000));
  return (
    <>
      {when}
      <br />
      <span class="muted backoff">
        退避中：间隔由 {f.intervalMinutes} 分钟延长至 {waitMinutes} 分钟
      </span>
    </>
  );
}

function FeedTable(props: { feeds: FeedView[]; actor: Actor; now: number }) {
  const { actor } = props;
  const mayUpdate = mayCall(actor, ROUTES.updateFeed);
  const mayPoll = mayCall(actor, ROUTES.pollFeed);
  return (
    <div class="table-wrap">
      <table class="stacked" id="feeds">
        <thead>
          <tr>
            <th>名称</th>
            <th>地址</th>
            <th>状态</th>
            <th>抓取间隔</th>
            <th>上次抓取</th>
            <th>上次成功</th>
            <th>下次抓取</th>
            <th>连续失败</th>
            <th>最近错误</th>
            <th>条目数</th>
            {(mayUpdate || mayPoll) && <th>操作</th>}
          </tr>
        </thead>
        <tbody>
          {props.feeds.map((f) => {
            const health = healthOf(f);
            return (
              <tr id={`feed-${f.id}`} data-id={String(f.id)}>
                <Cell label="名称" class="name wrap">
                  {f.name}
                  {f.source === 'config' && (
                    <span class="tag" title="在 feeds/sources.json 中声明，每次启动时加载">
                      配置文件
                    </span>
                  )}
                </Cell>
                <Cell label="地址" class="wide wrap">
                  <a href={f.url} rel="noopener noreferrer">
                    {f.url}
                  </a>
                </Cell>
                <Cell label="状态">
                  <span class={`st st-${health}`} data-health={health}>
                    {HEALTH_LABELS[health]}
                  </span>
                </Cell>
                <Cell label="抓取间隔">{f.intervalMinutes} 分钟</Cell>
                <Cell label="上次抓取">{f.lastPolledAt ? <span class="nowrap">{beijing(f.lastPolledAt)}</span> : '从未抓取'}</Cell>
                <Cell label="上次成功">{f.lastSuccessAt ? <span class="nowrap">{beijing(f.lastSuccessAt)}</span> : '—'}</Cell>
                <Cell label="下次抓取">
                  <NextPoll feed={f} now={props.now} />
                </Cell>
                <Cell label="连续失败">{f.consecutiveErrors === 0 ? '0' : `${f.consecutiveErrors} 次`}</Cell>
                <Cell label="最近错误" class="wrap">{f.lastError ? <span class="error-text">{f.lastError}</span> : '—'}</Cell>
                <Cell label="条目数">{f.itemCount}</Cell>
                {(mayUpdate || mayPoll) && (
                  <Cell label="操作">
                    <div class="row-actions">
                      {mayPoll && (
                        <form class="inline" method="post" action={`/feeds/${f.id}/poll`}>
                          <button type="submit" aria-label={`立即抓取“${f.name}”`}>
                            立即抓取
                          </button>
                        </form>
                      )}
                      {mayUpdate && <ToggleButton action={`/feeds/${f.id}/enabled`} enabled={f.enabled} what={`“${f.name}”`} />}
                    </div>
                  </Cell>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function FeedSummary(props: { feeds: FeedView[] }) {
  const count = (h: Health) => props.feeds.filter((f) => healthOf(f) === h).length;
  return (
    <div class="cards" id="feed-summary">
      <div class="card">
        订阅源<b>{props.feeds.length}</b>
      </div>
      <div class="card">
        正常<b>{count('ok')}</b>
      </div>
      <div class={`card${count('error') > 0 ? ' alert' : ''}`}>
        异常<b>{count('error')}</b>
      </div>
      <div class="card off">
        已停用<b>{count('off')}</b>
      </div>
    </div>
  );
}

function AddFeedForm(props: { failed?: FailedForm }) {
  const e = errorsOf(props.failed, 'feed');
  const v = valuesOf(props.failed, 'feed');
  return (
    <details class="register" open={e !== undefined}>
      <summary>添加订阅源</summary>
      <form class="stack" id="feed-form" method="post" action="/feeds" novalidate aria-label="添加订阅源">
        <FormError errors={e} />
        <label>
          名称
          <input name="name" value={v.name ?? ''} maxlength={200} required placeholder="如 市政府门户网站 · 政务要闻" aria-invalid={invalid(e, 'name')} />
          <FieldError errors={e} name="name" />
        </label>
        <label>
          地址（RSS 2.0、RSS 1.0 或 Atom）
          <input type="url" name="url" value={v.url ?? ''} required placeholder="https://" aria-invalid={invalid(e, 'url')} />
          <FieldError errors={e} name="url" />
        </label>
        <label>
          抓取间隔（分钟）
          <input
            type="number"
            name="intervalMinutes"
            inputmode="numeric"
            min={1}
            max={1440}
            value={v.intervalMinutes ?? String(DEFAULT_INTERVAL_MINUTES)}
            aria-invalid={invalid(e, 'intervalMinutes')}
          />
          <FieldError errors={e} name="intervalMinutes" />
        </label>
        <p class="muted">只接受 http:// 和 https:// 地址；内网、本机地址会被拒绝。</p>
        <button class="primary" type="submit">
          添加
        </button>
      </form>
    </details>
  );
}

function FeedsPage(props: { actor: Actor; feeds: FeedView[]; truncated: boolean; now: number; failed?: FailedForm }) {
  const { actor, feeds } = props;
  const toggleError = props.failed?.form === 'row' ? props.failed.errors._form : undefined;
  return (
    <div class="monitoring-page">
      <PageStyle />
      <h1>订阅源</h1>
      <FeedSummary feeds={feeds} />
      {mayCall(actor, ROUTES.createFeed) && <AddFeedForm failed={props.failed} />}
      {toggleError && (
        <p class="notice" role="alert">
          {toggleError}
        </p>
      )}
      {feeds.length === 0 ? <p class="empty">还没有订阅源。</p> : <FeedTable feeds={feeds} actor={actor} now={props.now} />}
      {props.truncated && <p class="muted">仅显示前 {MAX_FEEDS} 个订阅源。</p>}
      <p class="muted">
        抓取失败时记录错误并按连续失败次数加倍延长间隔（最长 6 小时），不影响其他订阅源；抓取成功后恢复原间隔。时间均为北京时间。
      </p>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// /rules

/** The query with the character the parser stopped at marked (an error at the end marks a blank). */
function QueryMarker(props: { query: string }) {
  let position: number;
  try {
    parseRuleQuery(props.query);
    return null;
  } catch (err) {
    if (!(err instanceof RuleQueryError)) return null;
    position = err.position;
  }
  const before = props.query.slice(0, position);
  const at = [...props.query.slice(position)][0];
  const after = at === undefined ? '' : props.query.slice(position + at.length);
  return (
    <span class="query-marker" aria-label="出错位置" data-position={String([...before].length + 1)}>
      {before}
      <mark>{at === undefined || at.trim() === '' ? '\u3000' : at}</mark>
      {after}
    </span>
  );
}

function SyntaxHelp() {
  return (
    <details>
      <summary>检索式语法</summary>
      <ul class="syntax muted">
        <li>
          空格或 <code>AND</code>：同时出现，如 <code>燃气 爆炸</code>
        </li>
        <li>
          <code>OR</code>：任一出现，如 <code>(暴雨 OR 内涝) 预警</code>
        </li>
        <li>
          <code>NOT</code>：不出现，如 <code>食品安全 NOT 演练</code>（规则中至少要有一个必须出现的词）
        </li>
        <li>
          <code>"短语"</code>：引号内整体匹配；<code>化工厂 NEAR/10 泄漏</code>：两词相距不超过 10 个字
        </li>
        <li>运算符须大写；不区分全角半角和大小写，按子串匹配（中文无需分词）。</li>
      </ul>
    </details>
  );
}

function RuleForm(props: { departments: DepartmentView[]; failed?: FailedForm }) {
  const e = errorsOf(props.failed, 'rule');
  const v = valuesOf(props.failed, 'rule');
  return (
    <details class="register" open={e !== undefined}>
      <summary>新建规则</summary>
      <form class="stack" id="rule-form" method="post" action="/rules" novalidate aria-label="新建规则">
        <FormError errors={e} />
        <label>
          规则名称
          <input name="name" value={v.name ?? ''} maxlength={100} required aria-invalid={invalid(e, 'name')} />
          <FieldError errors={e} name="name" />
        </label>
        <label>
          检索式
          <input name="query" value={v.query ?? ''} required placeholder="如 (燃气 OR 天然气) 爆炸 NOT 演练" aria-invalid={invalid(e, 'query')} />
          <FieldError errors={e} name="query" />
          {e?.query && <QueryMarker query={v.query ?? ''} />}
        </label>
        <SyntaxHelp />
        <label>
          严重程度（命中后新建事件的级别）
          <select name="severity" aria-invalid={invalid(e, 'severity')}>
            <Options options={SEVERITIES.map((s): [string, string] => [s, SEVERITY_LABELS[s]])} selected={v.severity ?? 'general'} />
          </select>
          <FieldError errors={e} name="severity" />
        </label>
        <label>
          责任部门（可选）
          <select name="departmentCode" aria-invalid={invalid(e, 'departmentCode')}>
            <Options options={[['', '（不指定）'], ...props.departments.map((d): [string, string] => [d.code, d.name])]} selected={v.departmentCode ?? ''} />
          </select>
          <FieldError errors={e} name="departmentCode" />
        </label>
        <label>
          负面信号门槛（可选，0–20）
          <input name="minSignal" type="number" min={0} max={20} step={1} inputmode="numeric" value={v.minSignal ?? ''} placeholder="0" aria-invalid={invalid(e, 'minSignal')} />
          <span class="muted">条目中不同负面信号词（feeds/signals.txt）至少这么多个，才据本规则新建或归入事件</span>
          <FieldError errors={e} name="minSignal" />
        </label>
        <button class="primary" type="submit">
          新建
        </button>
      </form>
    </details>
  );
}

interface TestOutcome {
  matched: boolean;
  terms: string[];
}

function TestBox(props: { failed?: FailedForm; prefill?: string; tested?: { values: Record<string, string>; outcome: TestOutcome } }) {
  const e = errorsOf(props.failed, 'test');
  const v = props.tested?.values ?? valuesOf(props.failed, 'test');
  const outcome = props.tested?.outcome;
  return (
    <section class="panel" id="rule-test" aria-labelledby="rule-test-heading">
      <h2 id="rule-test-heading" style="margin-top:0">
        测试
      </h2>
      <p class="muted">输入检索式和一段文字，查看是否命中（不保存任何内容）。</p>
      <form class="stack" id="test-form" method="post" action="/rules/test#rule-test" novalidate aria-label="测试检索式">
        <FormError errors={e} />
        <label>
          检索式
          <input name="query" value={v.query ?? props.prefill ?? ''} aria-invalid={invalid(e, 'query')} />
          <FieldError errors={e} name="query" />
          {e?.query && <QueryMarker query={v.query ?? ''} />}
        </label>
        <label>
          文字
          <textarea name="text" rows={4} aria-invalid={invalid(e, 'text')}>
            {v.text ?? ''}
          </textarea>
          <FieldError errors={e} name="text" />
        </label>
        <button class="primary" type="submit">
          测试
        </button>
      </form>
      {outcome && (
        <div class={`test-result ${outcome.matched ? 'matched' : 'unmatched'}`} id="test-result" role="status" data-matched={String(outcome.matched)}>
          <strong>{outcome.matched ? '命中' : '未命中'}</strong>
          <br />
          <span class="terms">
            {outcome.terms.length === 0 ? '文字中没有出现检索式中的任何词。' : `文字中出现的词：${outcome.terms.join('、')}`}
          </span>
        </div>
      )}
    </section>
  );
}

function RuleTable(props: { rules: RuleView[]; actor: Actor; departments: Map<string, string> }) {
  const mayUpdate = mayCall(props.actor, ROUTES.updateRule);
  const mayTest = mayCall(props.actor, ROUTES.testRule);
  return (
    <div class="table-wrap">
      <table class="stacked" id="rules">
        <thead>
          <tr>
            <th>名称</th>
            <th>检索式</th>
            <th>严重程度</th>
            <th>责任部门</th>
            <th title="条目中不同负面信号词至少这么多个才据本规则新建或归入事件">负面信号门槛</th>
            <th>状态</th>
            <th>更新时间</th>
            {(mayUpdate || mayTest) && <th>操作</th>}
          </tr>
        </thead>
        <tbody>
          {props.rules.map((r) => (
            <tr id={`rule-${r.id}`} data-id={String(r.id)}>
              <Cell label="名称" class="name wrap">
                {r.name}
                {r.source === 'config' && (
                  <span class="tag" title="在 feeds/rules.json 中声明，每次启动时加载">
                    配置文件
                  </span>
                )}
              </Cell>
              <Cell label="检索式" class="wide wrap">
                <code class="query">{r.query}</code>
              </Cell>
              <Cell label="严重程度">{SEVERITY_LABELS[r.severity as Severity] ?? r.severity}</Cell>
              <Cell label="责任部门">{r.departmentCode ? (props.departments.get(r.departmentCode) ?? r.departmentCode) : '—'}</Cell>
              <Cell label="信号门槛">
                <span data-min-signal={String(r.minSignal ?? 0)}>{r.minSignal ? r.minSignal : '—'}</span>
              </Cell>
              <Cell label="状态">
                <span class={`st ${r.enabled ? 'st-ok' : 'st-off'}`} data-enabled={String(r.enabled)}>
                  {r.enabled ? '启用' : '已停用'}
                </span>
              </Cell>
              <Cell label="更新时间">
                <span class="nowrap">{beijing(r.updatedAt)}</span>
              </Cell>
              {(mayUpdate || mayTest) && (
                <Cell label="操作">
                  <div class="row-actions">
                    {mayTest && <a href={`/rules?query=${encodeURIComponent(r.query)}#rule-test`}>测试</a>}
                    {mayUpdate && <ToggleButton action={`/rules/${r.id}/enabled`} enabled={r.enabled} what={`规则“${r.name}”`} />}
                  </div>
                </Cell>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface RulesData {
  rules: RuleView[];
  offset: number;
  hasNext: boolean;
  departments: DepartmentView[];
}

function RulesPage(props: {
  actor: Actor;
  data: RulesData;
  failed?: FailedForm;
  prefill?: string;
  tested?: { values: Record<string, string>; outcome: TestOutcome };
}) {
  const { actor, data } = props;
  const names = new Map(data.departments.map((d) => [d.code, d.name]));
  const rowError = props.failed?.form === 'row' ? props.failed.errors._form : undefined;
  const page = (offset: number) => (offset > 0 ? `/rules?offset=${offset}` : '/rules');
  return (
    <div class="monitoring-page">
      <PageStyle />
      <h1>监测规则</h1>
      <p class="muted">新抓取的条目命中启用的规则时，归入该规则 72 小时内的进行中事件，或按规则的严重程度和责任部门新建舆情事件。</p>
      {mayCall(actor, ROUTES.createRule) && <RuleForm departments={data.departments} failed={props.failed} />}
      {rowError && (
        <p class="notice" role="alert">
          {rowError}
        </p>
      )}
      {data.rules.length === 0 ? <p class="empty">还没有监测规则。</p> : <RuleTable rules={data.rules} actor={actor} departments={names} />}
      <Pager offset={data.offset} shown={data.rules.length} pageSize={RULES_PAGE_SIZE} hasNext={data.hasNext} href={page} />
      {mayCall(actor, ROUTES.testRule) && <TestBox failed={props.failed} prefill={props.prefill} tested={props.tested} />}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Routes

type Ctx = Context<AuthEnv>;

/** /feeds and /rules, with their forms. */
export function feedPages(ctx: AppContext) {
  const refuse = (c: Ctx) => forbiddenPage(c, '或执行此操作');

  async function feedsPage(c: Ctx, failed?: FailedForm, status: PageStatus = 200) {
    const rows = await listFeeds(ctx, { limit: MAX_FEEDS + 1, offset: 0 });
    return c.html(
      <Layout title="订阅源" actor={c.get('actor')} current="/feeds">
        <FeedsPage actor={c.get('actor')} feeds={rows.slice(0, MAX_FEEDS)} truncated={rows.length > MAX_FEEDS} now={ctx.now()} failed={failed} />
      </Layout>,
      status,
    );
  }

  async function rulesPage(
    c: Ctx,
    opts: { failed?: FailedForm; prefill?: string; tested?: { values: Record<string, string>; outcome: TestOutcome }; offset?: number } = {},
    status: PageStatus = 200,
  ) {
    const offset = opts.offset ?? 0;
    const rows = await listRules(ctx, { limit: RULES_PAGE_SIZE + 1, offset });
    const data: RulesData = {
      rules: rows.slice(0, RULES_PAGE_SIZE),
      offset,
      hasNext: rows.length > RULES_PAGE_SIZE,
      departments: await listDepartments(ctx, { limit: 500, offset: 0 }),
    };
    return c.html(
      <Layout title="监测规则" actor={c.get('actor')} current="/rules">
        <RulesPage actor={c.get('actor')} data={data} failed={opts.failed} prefill={opts.prefill} tested={opts.tested} />
      </Layout>,
      status,
    );
  }

  /** The feed of a path's :id, or null when there is none. */
  async function existingFeed(id: number | null): Promise<FeedView | null> {
    if (id === null) return null;
    const found = await attempt(() => getFeed(ctx, id));
    return found.ok ? found.value : null;
  }

  return new Hono<AuthEnv>()
    .get('/feeds', (c) => (mayCall(c.get('actor'), ROUTES.feeds) ? feedsPage(c) : refuse(c)))

    .post('/feeds', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, ROUTES.createFeed)) return refuse(c);
      const values = await postedValues(c);
      const interval = (values.intervalMinutes ?? '').trim();
      const parsed = FeedInput.safeParse({
        name: values.name ?? '',
        url: values.url ?? '',
        // Blank keeps the API's default; anything but digits stays text, for the schema to refuse.
        intervalMinutes: interval === '' ? undefined : /^\d{1,6}$/.test(interval) ? Number(interval) : interval,
      });
      if (!parsed.success) return feedsPage(c, { form: 'feed', values, errors: readableErrors(parsed.error, values, FEED_WORDS) }, 400);
      const result = await attempt(() => createFeed(ctx, actor, parsed.data));
      if (!result.ok) return feedsPage(c, { form: 'feed', values, errors: result.errors }, result.status);
      return c.redirect(`/feeds#feed-${result.value.id}`, 303);
    })

    .post('/feeds/:id/enabled', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, ROUTES.updateFeed)) return refuse(c);
      const feed = await existingFeed(idOf(c.req.param('id')));
      if (!feed) return notFoundPage(c, '该订阅源');
      const enabled = (await postedValues(c)).enabled;
      if (enabled !== 'true' && enabled !== 'false') return feedsPage(c, { form: 'row', values: {}, errors: { _form: '请求无效：请使用页面上的“启用”或“停用”按钮' } }, 400);
      const result = await attempt(() => updateFeed(ctx, actor, feed.id, { enabled: enabled === 'true' }));
      if (!result.ok) return feedsPage(c, { form: 'row', values: {}, errors: { _form: Object.values(result.errors).join('；') } }, result.status);
      return c.redirect(`/feeds#feed-${feed.id}`, 303);
    })

    .post('/feeds/:id/poll', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, ROUTES.pollFeed)) return refuse(c);
      const feed = await existingFeed(idOf(c.req.param('id')));
      if (!feed) return notFoundPage(c, '该订阅源');
      // A failed poll is recorded on the feed (lastError, consecutiveErrors, backoff): the list shows it.
      await pollFeed(ctx, actor, feed.id);
      return c.redirect(`/feeds#feed-${feed.id}`, 303);
    })

    .get('/rules', (c) => {
      if (!mayCall(c.get('actor'), ROUTES.rules)) return refuse(c);
      const offset = pageOffset(c.req.query('offset'));
      const prefill = c.req.query('query')?.slice(0, 2000);
      return rulesPage(c, { offset, prefill });
    })

    .post('/rules', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, ROUTES.createRule)) return refuse(c);
      const values = await postedValues(c);
      const parsed = RuleInput.safeParse({
        name: values.name ?? '',
        query: values.query ?? '',
        severity: values.severity ?? '',
        departmentCode: values.departmentCode?.trim() ? values.departmentCode : null,
        // Not a whole number: -1, which the schema refuses with its own words.
        ...(values.minSignal?.trim() ? { minSignal: /^\d{1,3}$/.test(values.minSignal.trim()) ? Number(values.minSignal.trim()) : -1 } : {}),
      });
      if (!parsed.success) {
        const errors = readableErrors(parsed.error, values, RULE_WORDS);
        // The query's syntax is the rule's own check, after the schema's: said now too, so that
        // one submit shows every mistake.
        if (!errors.query && values.query?.trim()) {
          const syntax = await attempt(async () => checkQuery(values.query!));
          if (!syntax.ok) Object.assign(errors, syntax.errors);
        }
        return rulesPage(c, { failed: { form: 'rule', values, errors } }, 400);
      }
      const result = await attempt(() => createRule(ctx, actor, parsed.data));
      if (!result.ok) return rulesPage(c, { failed: { form: 'rule', values, errors: result.errors } }, result.status);
      return c.redirect(`/rules#rule-${result.value.id}`, 303);
    })

    // The test box answers its post in place, so the address bar shows /rules/test: opened again
    // (a bookmark, the history), it leads back to the box.
    .get('/rules/test', (c) => c.redirect('/rules#rule-test', 303))

    .post('/rules/test', async (c) => {
      if (!mayCall(c.get('actor'), ROUTES.testRule)) return refuse(c);
      const values = await postedValues(c);
      const parsed = RuleTestInput.safeParse({ query: values.query ?? '', text: values.text ?? '' });
      if (!parsed.success) return rulesPage(c, { failed: { form: 'test', values, errors: readableErrors(parsed.error, values, RULE_WORDS) } }, 400);
      const { query, text } = parsed.data;
      const result = await attempt(async () => testRule(query, text));
      if (!result.ok) return rulesPage(c, { failed: { form: 'test', values, errors: result.errors } }, result.status);
      return rulesPage(c, { tested: { values, outcome: result.value } });
    })

    .post('/rules/:id/enabled', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, ROUTES.updateRule)) return refuse(c);
      const id = idOf(c.req.param('id'));
      if (id === null) return notFoundPage(c, '该规则');
      const enabled = (await postedValues(c)).enabled;
      if (enabled !== 'true' && enabled !== 'false') {
        return rulesPage(c, { failed: { form: 'row', values: {}, errors: { _form: '请求无效：请使用页面上的“启用”或“停用”按钮' } } }, 400);
      }
      const result = await attempt(() => updateRule(ctx, actor, id, { enabled: enabled === 'true' }));
      if (result.ok) return c.redirect(`/rules#rule-${id}`, 303);
      if (result.status === 404) return notFoundPage(c, '该规则');
      return rulesPage(c, { failed: { form: 'row', values: {}, errors: { _form: Object.values(result.errors).join('；') } } }, result.status);
    });
}
