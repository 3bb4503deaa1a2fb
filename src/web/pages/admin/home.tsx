import type { DisplayLinkView } from '../../../app/accounts/display-links.js';
import type { UserView } from '../../../app/accounts/users.js';
import type { DepartmentView } from '../../../app/departments.js';
import type { ResponsePolicy } from '../../../app/response-policy.js';
import { SEVERITIES, SEVERITY_LABELS } from '../../../domain/deadlines/response-policy.js';
import { beijing, FieldError, FormError } from '../../components.js';
import { errorsOf, valuesOf, type FailedForm } from '../../forms.js';
import { ruleSummary } from './policy.js';
import { Cell, invalid } from './shared.js';

// /admin: what there is to manage, each with a link, and the wall-screen links (大屏链接) — made,
// shown once, listed with when each screen last loaded the board, and revoked here.

export interface HomeExtras {
  failed?: FailedForm;
  /** A link just made: its address (with the secret), shown this once. */
  created?: { id: number; name: string; url: string };
}

/** A screen that loaded the board within this long is shown as live. */
const LIVE_MS = 5 * 60_000;

function Overview(props: { users: UserView[]; departments: DepartmentView[]; policy: ResponsePolicy }) {
  const active = props.users.filter((u) => !u.disabled).length;
  return (
    <div class="links">
      <a class="card" href="/admin/users">
        <strong>用户</strong>
        <p>
          {active} 个账户在用{props.users.length > active ? `，${props.users.length - active} 个已停用` : ''}。新建账户、调整角色与部门、停用、重置密码。
        </p>
      </a>
      <a class="card" href="/admin/departments">
        <strong>部门</strong>
        <p>已登记 {props.departments.length} 个部门。登记部门、修改名称。</p>
      </a>
      <a class="card" href="/admin/policy">
        <strong>回应时限</strong>
        <p>
          现行第 {props.policy.version} 版：{SEVERITIES.map((s) => `${SEVERITY_LABELS[s]} ${ruleSummary(props.policy.rules[s])}`).join('；')}。
        </p>
      </a>
      <a class="card" href="#display-links">
        <strong>大屏链接</strong>
        <p>值班室大屏无需登录即可显示看板；可随时撤销。</p>
      </a>
    </div>
  );
}

function CreatedLink(props: { created: NonNullable<HomeExtras['created']> }) {
  return (
    <div class="once" id="new-display-link" role="status">
      <h3>已创建大屏链接「{props.created.name}」</h3>
      <p>在大屏电脑的浏览器中打开下面的地址，按 F11 进入全屏。页面每秒走时，每分钟自动刷新数据，无需登录。</p>
      <code class="secret">{props.created.url}</code>
      <p class="warn-text">地址只显示这一次，地址本身就是凭据（只能查看看板），请勿外传；遗失或泄露时请撤销后重新创建。</p>
    </div>
  );
}

function LinkTable(props: { links: DisplayLinkView[]; now: number }) {
  return (
    <div class="table-wrap">
      <table class="stacked" id="display-link-list">
        <thead>
          <tr>
            <th>名称</th>
            <th>创建</th>
            <th>大屏最近载入</th>
            <th>状态</th>
            <th>操作</th>
          </tr>
        </thead>
        <tbody>
          {props.links.map((l) => {
            const live = l.revokedAt === null && l.lastSeenAt !== null && props.now - Date.parse(l.lastSeenAt) <= LIVE_MS;
            return (
              <tr id={`display-link-${l.id}`} data-revoked={String(l.revokedAt !== null)}>
                <Cell label="名称">{l.name}</Cell>
                <Cell label="创建">
                  <span class="nowrap">{beijing(l.createdAt)}</span> <span class="muted">{l.createdBy}</span>
                </Cell>
                <Cell label="大屏最近载入">
                  {l.lastSeenAt ? <span class="nowrap">{beijing(l.lastSeenAt)}</span> : <span class="muted">尚未打开</span>}
                  {live && <span class="muted">（在线）</span>}
                </Cell>
                <Cell label="状态">
                  {l.revokedAt ? (
                    <>
                      <span class="st st-off">已撤销</span> <span class="muted nowrap">{beijing(l.revokedAt)}</span>
                    </>
                  ) : (
                    <span class="st st-active">有效</span>
                  )}
                </Cell>
                <Cell label="操作">
                  {l.revokedAt ? (
                    '—'
                  ) : (
                    <details class="confirm">
                      <summary aria-label={`撤销大屏链接“${l.name}”`}>撤销</summary>
                      <p>撤销后，大屏在下次刷新时（至多一分钟）不再显示看板，无法恢复。</p>
                      <form class="inline" method="post" action={`/admin/display-links/${l.id}/revoke`}>
                        <button class="danger" type="submit" aria-label={`确认撤销大屏链接“${l.name}”`}>
                          确认撤销
                        </button>
                      </form>
                    </details>
                  )}
                </Cell>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Years whose official holiday schedule is not imported and soon matters: this year, and from
 * November (when the State Council publishes it) the next. Their deadlines are weekends-only guesses.
 */
export function missingSchedules(publishedYears: readonly number[], today: string): number[] {
  const year = Number(today.slice(0, 4));
  const wanted = Number(today.slice(5, 7)) >= 11 ? [year, year + 1] : [year];
  return wanted.filter((y) => !publishedYears.includes(y));
}

function MissingSchedules(props: { years: number[] }) {
  if (props.years.length === 0) return null;
  const years = props.years.map((y) => `${y} 年`).join('、');
  return (
    <div class="notice" id="missing-schedules" role="status" style="margin-bottom:1rem">
      <strong>{years}节假日安排尚未导入。</strong>
      {`涉及${props.years.length > 1 ? '这些年份' : '该年'}的解读截止日期和依申请公开答复期限暂按周六、周日休息推算（标为“暂定”），法定节假日和调休上班日均未计入。` +
        '国务院办公厅通常在上一年 11 月公布次年安排；公布后以 holiday-cn 格式导入（'}
      <code>POST /api/calendar/import</code>
      {'），受影响的截止日期自动重算。见 '}
      <a href={`/calendar?year=${props.years[0]}`}>工作日历</a>。
    </div>
  );
}

export function HomePage(props: {
  missingSchedules: number[];
  users: UserView[];
  departments: DepartmentView[];
  policy: ResponsePolicy;
  links: DisplayLinkView[];
  now: number;
  extras: HomeExtras;
}) {
  const e = errorsOf(props.extras.failed, 'display-link');
  const v = valuesOf(props.extras.failed, 'display-link');
  return (
    <>
      <h1>系统管理</h1>
      <MissingSchedules years={props.missingSchedules} />
      <Overview users={props.users} departments={props.departments} policy={props.policy} />
      <section class="panel" aria-labelledby="display-links">
        <h2 id="display-links">大屏链接</h2>
        <p class="muted">
          给值班室的大屏一个只读地址：全屏大字显示看板（回应时限计时、逾期未解读文件、各部门按时率），自动刷新，无需登录。该地址只能查看看板，不能调用任何接口或打开其他页面。
        </p>
        {props.extras.created && <CreatedLink created={props.extras.created} />}
        {props.links.length === 0 ? <p class="empty">还没有大屏链接。</p> : <LinkTable links={props.links} now={props.now} />}
        <form class="row" id="display-link-form" method="post" action="/admin/display-links#display-links" novalidate aria-label="创建大屏链接">
          <FormError errors={e} />
          <label>
            名称
            <input name="name" value={v.name ?? ''} maxlength={100} required placeholder="如 值班室大屏" aria-invalid={invalid(e, 'name')} />
            <FieldError errors={e} name="name" />
          </label>
          <button class="primary" type="submit">
            创建大屏链接
          </button>
        </form>
      </section>
    </>
  );
}
