import { raw } from 'hono/html';
import { ROLE_LABELS } from '../../../app/accounts/actor.js';
import type { CalendarFeedStatus } from '../../../app/accounts/own-account.js';
import type { TokenView } from '../../../app/accounts/sessions.js';
import type { UserView } from '../../../app/accounts/users.js';
import { beijing, FieldError, FormError } from '../../components.js';
import { errorsOf, valuesOf, type FailedForm, type FieldErrors } from '../../forms.js';

// The /me page (SPEC §15): who the signed-in person is, their password, their personal tokens
// (a new one shown once) and their calendar address (shown once when issued or rotated).

const PAGE_CSS = `
.me-page .panel{background:#fff;border-radius:8px;padding:.75rem 1rem 1rem;box-shadow:0 1px 2px #0001;margin:0 0 1.2rem;min-width:0}
.me-page .panel h2{margin:.2rem 0 .6rem}
.me-page p{margin:.4rem 0}
dl.facts{display:grid;grid-template-columns:minmax(4.5rem,7rem) minmax(0,1fr);gap:.4rem 1rem;margin:0}
dl.facts dt{color:#52606d}dl.facts dd{margin:0}
.ok-notice{background:#e3f4ea;border:1px solid #9ae6b4;border-radius:6px;padding:.6rem .8rem}
.once{border:1px solid #9ae6b4;border-left:6px solid #2f855a;border-radius:6px;padding:.6rem .8rem;margin:.6rem 0 1rem;background:#f6fbf8}
.once h3{font-size:1rem;margin:0 0 .3rem}
code.secret{display:block;font:.95rem/1.5 ui-monospace,Menlo,Consolas,monospace;background:#fff;border:1px solid #8a96a3;border-radius:4px;padding:.4rem .6rem;margin:.3rem 0;overflow-wrap:anywhere;user-select:all}
.once .label{color:#52606d;font-size:.9em;margin-top:.5rem}
.warn-text{color:#b42318}
.st-active{background:#e3f4ea;color:#276749}.st-revoked{background:#eef0f3;color:#52606d}
.nowrap{white-space:nowrap}
.me-page td .cell{min-width:0}
.me-page .table-wrap{box-shadow:none;border:1px solid #e4e7eb;margin-bottom:1rem}
details.confirm summary{list-style:none;display:inline-block;font-size:.9em;padding:.2rem .6rem;border:1px solid #f3b4ae;border-radius:6px;color:#b42318;background:#fff;cursor:pointer;white-space:nowrap}
details.confirm summary::-webkit-details-marker{display:none}
details.confirm p{margin:.4rem 0;font-size:.9em}
details.confirm button{font:inherit;font-size:.9em;padding:.2rem .6rem;border:0;border-radius:6px;background:#b42318;color:#fff;cursor:pointer}
form.row{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;max-width:32rem}form.row label{flex:1 1 12rem}
form.row button{flex:0 0 auto}
.calendar-actions{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;margin-top:.6rem}
.calendar-actions form{margin:0}
ol.how{margin:.3rem 0 0;padding-left:1.3rem}ol.how li{margin:.2rem 0}
`;

export interface PageExtras {
  failed?: FailedForm;
  /** A token just created: its secret, shown this once. */
  createdToken?: { id: number; name: string; token: string };
  /** A calendar address just issued: shown this once. */
  feedUrl?: string;
  /** After a password change (redirected here): how many other sessions were ended. */
  passwordChanged?: { endedSessions: number };
}

const invalid = (e: FieldErrors | undefined, name: string) => (e?.[name] ? 'true' : undefined);

function Profile(props: { user: UserView; departments: Map<string, string> }) {
  const u = props.user;
  const names = u.departmentCodes.map((c) => props.departments.get(c) ?? c);
  return (
    <section class="panel" id="profile" aria-label="账户信息">
      <dl class="facts">
        <dt>用户名</dt>
        <dd data-field="username">{u.username}</dd>
        <dt>姓名</dt>
        <dd data-field="displayName">{u.displayName}</dd>
        <dt>角色</dt>
        <dd data-field="role">{ROLE_LABELS[u.role]}</dd>
        <dt>部门</dt>
        <dd data-field="departments">{names.length > 0 ? names.join('、') : u.role === 'drafter' ? '—' : '不限（可查看全部部门）'}</dd>
      </dl>
    </section>
  );
}

function PasswordForm(props: { failed?: FailedForm; changed?: { endedSessions: number } }) {
  const e = errorsOf(props.failed, 'password');
  return (
    <section class="panel" aria-labelledby="password">
      <h2 id="password">修改密码</h2>
      {props.changed && (
        <p class="ok-notice" role="status" id="password-changed">
          密码已修改。
          {props.changed.endedSessions > 0 ? `其他设备上的 ${props.changed.endedSessions} 个登录已退出，` : ''}
          本次登录保持有效。
        </p>
      )}
      <form class="stack" id="password-form" method="post" action="/me/password#password" novalidate aria-label="修改密码">
        <FormError errors={e} />
        <label>
          当前密码
          <input type="password" name="currentPassword" autocomplete="current-password" required aria-invalid={invalid(e, 'currentPassword')} />
          <FieldError errors={e} name="currentPassword" />
        </label>
        <label>
          新密码
          <input type="password" name="newPassword" autocomplete="new-password" required minlength={10} maxlength={200} aria-invalid={invalid(e, 'newPassword')} />
          <FieldError errors={e} name="newPassword" />
          {!e?.newPassword && <span class="muted">至少 10 个字符。</span>}
        </label>
        <label>
          再次输入新密码
          <input type="password" name="newPasswordRepeat" autocomplete="new-password" required aria-invalid={invalid(e, 'newPasswordRepeat')} />
          <FieldError errors={e} name="newPasswordRepeat" />
        </label>
        <p class="muted">修改后，其他设备上的登录会退出；个人令牌不受影响，如怀疑泄露请在下方撤销。</p>
        <button class="primary" type="submit">
          修改密码
        </button>
      </form>
    </section>
  );
}

function TokenOnce(props: { created: { id: number; name: string; token: string } }) {
  return (
    <div class="once" id="new-token" role="status">
      <h3>已创建令牌「{props.created.name}」</h3>
      <p>请立即复制。调用 API 时放在请求头中：Authorization: Bearer 令牌</p>
      <code class="secret">{props.created.token}</code>
      <p class="warn-text">令牌只显示这一次，离开或刷新本页后无法再查看；遗失后只能撤销并重新创建。</p>
    </div>
  );
}

function TokenTable(props: { tokens: TokenView[] }) {
  return (
    <div class="table-wrap">
      <table class="stacked" id="token-list">
        <thead>
          <tr>
            <th>名称</th>
            <th>创建时间</th>
            <th>最近使用</th>
            <th>状态</th>
            <th>操作</th>
          </tr>
        </thead>
        <tbody>
          {props.tokens.map((t) => (
            <tr id={`token-${t.id}`} data-id={String(t.id)} data-revoked={String(t.revokedAt !== null)}>
              <td data-label="名称">
                <div class="cell">{t.name}</div>
              </td>
              <td data-label="创建时间">
                <div class="cell nowrap">{beijing(t.createdAt)}</div>
              </td>
              <td data-label="最近使用">
                <div class="cell nowrap">{t.lastUsedAt ? beijing(t.lastUsedAt) : '从未使用'}</div>
              </td>
              <td data-label="状态">
                <div class="cell">
                  {t.revokedAt ? (
                    <>
                      <span class="st st-revoked">已撤销</span> <span class="muted nowrap">{beijing(t.revokedAt)}</span>
                    </>
                  ) : (
                    <span class="st st-active">有效</span>
                  )}
                </div>
              </td>
              <td data-label="操作">
                <div class="cell">
                  {t.revokedAt ? (
                    '—'
                  ) : (
                    <details class="confirm">
                      <summary aria-label={`撤销令牌“${t.name}”`}>撤销</summary>
                      <p>撤销后，使用该令牌的脚本立即无法访问，无法恢复。</p>
                      <form class="inline" method="post" action={`/me/tokens/${t.id}/revoke`}>
                        <button type="submit" aria-label={`确认撤销令牌“${t.name}”`}>
                          确认撤销
                        </button>
                      </form>
                    </details>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Tokens(props: { tokens: TokenView[]; failed?: FailedForm; created?: PageExtras['createdToken'] }) {
  const e = errorsOf(props.failed, 'token');
  const v = valuesOf(props.failed, 'token');
  return (
    <section class="panel" aria-labelledby="tokens">
      <h2 id="tokens">个人令牌</h2>
      <p class="muted">供脚本或其他系统调用本平台的 API，权限与本账户相同。停用账户后令牌随即失效。</p>
      {props.created && <TokenOnce created={props.created} />}
      {props.tokens.length === 0 ? <p class="empty">还没有个人令牌。</p> : <TokenTable tokens={props.tokens} />}
      <form class="row" id="token-form" method="post" action="/me/tokens#tokens" novalidate aria-label="创建令牌">
        <FormError errors={e} />
        <label>
          令牌名称
          <input name="name" value={v.name ?? ''} maxlength={100} required placeholder="如 舆情监测脚本" aria-invalid={invalid(e, 'name')} />
          <FieldError errors={e} name="name" />
        </label>
        <button class="primary" type="submit">
          创建令牌
        </button>
      </form>
    </section>
  );
}

function CalendarFeed(props: { status: CalendarFeedStatus | null; feedUrl?: string; scope: string; failed?: FailedForm }) {
  const { status, feedUrl } = props;
  const e = errorsOf(props.failed, 'calendar');
  const issued = status !== null || feedUrl !== undefined;
  const webcal = feedUrl?.replace(/^https?:\/\//i, 'webcal://');
  return (
    <section class="panel" aria-labelledby="calendar-feed">
      <h2 id="calendar-feed">日历订阅</h2>
      <p>
        把{props.scope}的截止时间订阅到 Outlook、Apple 日历等日历应用中：待解读和已逾期文件的解读截止日（全天事件），以及进行中舆情事件的回应时限。
      </p>
      <p class="muted">日历应用按自己的节奏刷新（网页版 Outlook 可能要几个小时），几小时内到期的回应时限请以群消息提醒为准。</p>
      <FormError errors={e} />
      {feedUrl && webcal && (
        <div class="once" id="feed-url" role="status">
          <h3>订阅地址</h3>
          <code class="secret" data-kind="https">{feedUrl}</code>
          <div class="label">在 iPhone、Mac 上可直接点击打开：</div>
          <a href={webcal} class="webcal">
            <code class="secret" data-kind="webcal">{webcal}</code>
          </a>
          <ol class="how">
            <li>Outlook：日历 →“添加日历”→“从 Internet 添加”（网页版为“从 Web 订阅”），粘贴上面第一个地址。</li>
            <li>Apple 日历：“文件”→“新建日历订阅…”，粘贴地址；或在 iPhone、Mac 上直接点击 webcal 链接。</li>
          </ol>
          <p class="warn-text">地址只显示这一次，地址本身就是凭据，请勿转发；遗失后可更换，旧地址随即失效。</p>
        </div>
      )}
      {!feedUrl && status && (
        <p id="feed-status">
          已于 <span class="nowrap">{beijing(status.issuedAt)}</span> 生成订阅地址；日历应用最近一次读取：
          {status.lastFetchedAt ? <span class="nowrap">{beijing(status.lastFetchedAt)}</span> : '尚未读取'}。地址只在生成时显示一次，如遗失请更换。
        </p>
      )}
      {!issued && <p id="feed-status">尚未生成订阅地址。</p>}
      <div class="calendar-actions">
        <form method="post" action="/me/calendar-feed#calendar-feed">
          <button class="primary" type="submit">
            {issued ? '更换订阅地址' : '生成订阅地址'}
          </button>
        </form>
        {issued && <span class="muted" id="rotate-note">更换后旧地址立即失效，已订阅的日历需改用新地址重新订阅。</span>}
      </div>
    </section>
  );
}

export function MePage(props: {
  user: UserView;
  departments: Map<string, string>;
  tokens: TokenView[];
  calendar: CalendarFeedStatus | null;
  extras: PageExtras;
}) {
  const { user, extras } = props;
  const scope =
    user.role === 'drafter' ? `本部门（${user.departmentCodes.map((c) => props.departments.get(c) ?? c).join('、') || '—'}）` : '全部部门';
  return (
    <div class="me-page">
      <style>{raw(PAGE_CSS)}</style>
      <h1>我的账户</h1>
      <Profile user={user} departments={props.departments} />
      <PasswordForm failed={extras.failed} changed={extras.passwordChanged} />
      <Tokens tokens={props.tokens} failed={extras.failed} created={extras.createdToken} />
      <CalendarFeed status={props.calendar} feedUrl={extras.feedUrl} scope={scope} failed={extras.failed} />
    </div>
  );
}
