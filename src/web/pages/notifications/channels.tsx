import type { Actor } from '../../../app/accounts/actor.js';
import { mayCall } from '../../../app/accounts/policy.js';
import type { ChannelView } from '../../../app/notifications/channels.js';
import { SEVERITY_LABELS, type Severity } from '../../../domain/deadlines/response-policy.js';
import { ALERT_TYPE_LABELS, type AlertType } from '../../../domain/notifications/messages.js';
import { CHANNEL_KIND_LABELS } from '../../../domain/notifications/platforms.js';
import type { DepartmentView } from '../../../app/departments.js';
import { beijing } from '../../components.js';
import type { FailedForm } from '../../forms.js';
import { EditChannelForm } from './forms.js';
import { Cell, HEALTH_LABELS, logQuery, ROUTES } from './shared.js';

// The channels of /notifications: each with its health, what it receives, its counts and its
// row actions; the answer to 发送测试消息 under its row; a generated webhook secret, once.

/** What a test message came to, shown under its channel. */
export interface TestOutcome {
  channelId: number;
  ok: boolean;
  status: number | null;
  response: string;
  error: string | null;
}

/** Which alerts reach the channel, in words. */
function Scope(props: { channel: ChannelView; departments: Map<string, string> }) {
  const ch = props.channel;
  const types = ch.alertTypes.length === 0 ? '全部' : ch.alertTypes.map((t) => ALERT_TYPE_LABELS[t as AlertType] ?? t).join('、');
  const depts = ch.departmentCodes.length === 0 ? '全部' : ch.departmentCodes.map((c) => props.departments.get(c) ?? c).join('、');
  return (
    <ul class="scope">
      <li data-scope="alertTypes">
        <span class="k">提醒：</span>
        {types}
      </li>
      <li data-scope="departments">
        <span class="k">部门：</span>
        {depts}
      </li>
      <li data-scope="minSeverity">
        <span class="k">级别：</span>
        {ch.minSeverity ? `${SEVERITY_LABELS[ch.minSeverity as Severity] ?? ch.minSeverity}及以上` : '不限'}
      </li>
      {ch.escalation && (
        <li data-scope="escalation">
          <span class="tag lead">领导群</span>超时、逾期提醒不论部门
        </li>
      )}
      {ch.mentionMobiles.length > 0 && (
        <li data-scope="mentionMobiles">
          <span class="k">@：</span>
          {ch.mentionMobiles.join('、')}
        </li>
      )}
    </ul>
  );
}

function HealthCell(props: { channel: ChannelView }) {
  const ch = props.channel;
  return (
    <>
      <span class={`st st-${ch.health}`} data-health={ch.health}>
        {HEALTH_LABELS[ch.health]}
      </span>
      {ch.health === 'misconfigured' && <div class="muted">已暂停发送；管理员在“编辑”中修正地址、密钥或关键词后，或测试消息发送成功后，即恢复</div>}
      {ch.health === 'paused' && ch.pausedUntil && <div class="muted">平台限流，暂停至 {beijing(ch.pausedUntil)}</div>}
      <div class="muted last-success">上次成功：{ch.lastSuccessAt ? <span class="nowrap">{beijing(ch.lastSuccessAt)}</span> : '从未'}</div>
    </>
  );
}

function LastError(props: { channel: ChannelView }) {
  const ch = props.channel;
  if (!ch.lastError) return <>—</>;
  const recovered = ch.lastSuccessAt !== null && ch.lastErrorAt !== null && ch.lastSuccessAt > ch.lastErrorAt;
  return (
    <>
      <span class={recovered ? 'muted' : 'error-text'}>{ch.lastError}</span>
      <div class="muted nowrap">
        {beijing(ch.lastErrorAt)}
        {recovered && '（之后已恢复）'}
      </div>
    </>
  );
}

function TestResult(props: { outcome: TestOutcome }) {
  const o = props.outcome;
  return (
    <div class={`test-result ${o.ok ? 'ok' : 'failed'}`} id="test-result" role="status" data-ok={String(o.ok)}>
      <span class="muted">测试消息</span> <strong>{o.ok ? '成功' : '失败'}</strong>
      <span class="what">{o.ok ? `已发送，平台已确认收到${o.status === null ? '' : `（HTTP ${o.status}）`}。` : o.error}</span>
      {o.response && (
        <code class="answer">
          平台应答：{o.response}
        </code>
      )}
    </div>
  );
}

export function ChannelTable(props: {
  channels: ChannelView[];
  actor: Actor;
  departments: Map<string, string>;
  /** For the 编辑 forms' department choices. */
  departmentList: DepartmentView[];
  back: string;
  tested?: TestOutcome;
  /** A refused 编辑 form, shown open under its row. */
  failed?: FailedForm;
}) {
  const { actor, back } = props;
  const mayTest = mayCall(actor, ROUTES.testChannel);
  const mayUpdate = mayCall(actor, ROUTES.updateChannel);
  const mayDelete = mayCall(actor, ROUTES.deleteChannel);
  const actions = mayTest || mayUpdate || mayDelete;
  const columns = actions ? 8 : 7;
  return (
    <div class="table-wrap">
      <table class="stacked" id="channels">
        <thead>
          <tr>
            <th>名称</th>
            <th>地址</th>
            <th>接收范围</th>
            <th>状态</th>
            <th>最近错误</th>
            <th>待发送</th>
            <th>失败</th>
            {actions && <th>操作</th>}
          </tr>
        </thead>
        <tbody>
          {props.channels.map((ch) => {
            const anchor = `#channel-${ch.id}`;
            const tested = props.tested?.channelId === ch.id ? props.tested : undefined;
            return (
              <>
                <tr id={`channel-${ch.id}`} data-id={String(ch.id)}>
                  <Cell label="名称" class="name wrap">
                    {ch.name}
                    <div class="muted kind">{CHANNEL_KIND_LABELS[ch.kind]}</div>
                    <div>
                      {ch.hasSecret && <span class="tag">已设置密钥</span>}
                      {ch.keyword && <span class="tag">关键词：{ch.keyword}</span>}
                    </div>
                  </Cell>
                  <Cell label="地址" class="wide wrap">
                    <span class="url">{ch.url}</span>
                  </Cell>
                  <Cell label="接收范围" class="wide">
                    <Scope channel={ch} departments={props.departments} />
                  </Cell>
                  <Cell label="状态">
                    <HealthCell channel={ch} />
                  </Cell>
                  <Cell label="最近错误" class="wide wrap">
                    <LastError channel={ch} />
                  </Cell>
                  <Cell label="待发送">
                    <a href={`/notifications${logQuery({ status: 'pending', channelId: String(ch.id) }, 0)}#deliveries`} title="查看待发送的消息">
                      {ch.pending}
                    </a>
                  </Cell>
                  <Cell label="失败">
                    <a
                      class={ch.dead > 0 ? 'error-text' : undefined}
                      href={`/notifications${logQuery({ status: 'dead', channelId: String(ch.id) }, 0)}#deliveries`}
                      title="查看发送失败的消息"
                    >
                      {ch.dead}
                    </a>
                  </Cell>
                  {actions && (
                    <Cell label="操作">
                      <div class="row-actions">
                        {mayTest && (
                          <form class="inline" method="post" action={`/notifications/channels/${ch.id}/test${back}${anchor}`}>
                            <button type="submit" aria-label={`向“${ch.name}”发送测试消息`}>
                              发送测试消息
                            </button>
                          </form>
                        )}
                        {mayUpdate && (
                          <form class="inline" method="post" action={`/notifications/channels/${ch.id}/enabled${back}`}>
                            <input type="hidden" name="enabled" value={ch.enabled ? 'false' : 'true'} />
                            <button type="submit" aria-label={`${ch.enabled ? '停用' : '启用'}“${ch.name}”`}>
                              {ch.enabled ? '停用' : '启用'}
                            </button>
                          </form>
                        )}
                        {mayDelete && (
                          <details class="confirm">
                            <summary aria-label={`删除“${ch.name}”`}>删除</summary>
                            <p>删除后，该渠道的投递记录一并删除，无法恢复。</p>
                            <form class="inline" method="post" action={`/notifications/channels/${ch.id}/delete${back}`}>
                              <button type="submit" aria-label={`确认删除“${ch.name}”`}>
                                确认删除
                              </button>
                            </form>
                          </details>
                        )}
                      </div>
                    </Cell>
                  )}
                </tr>
                {tested && (
                  <tr class="test-row" data-test-for={String(ch.id)}>
                    <td colspan={columns} class="full">
                      <TestResult outcome={tested} />
                    </td>
                  </tr>
                )}
                {mayUpdate && (
                  <tr class="edit-row" data-edit-for={String(ch.id)}>
                    <td colspan={columns} class="full">
                      <EditChannelForm
                        channel={ch}
                        departments={props.departmentList}
                        failed={props.failed}
                        action={`/notifications/channels/${ch.id}/edit${back}#edit-${ch.id}`}
                      />
                    </td>
                  </tr>
                )}
              </>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function Summary(props: { channels: ChannelView[] }) {
  const chs = props.channels;
  const attention = chs.filter((c) => c.health === 'failing' || c.health === 'misconfigured' || c.health === 'paused').length;
  const pending = chs.reduce((n, c) => n + c.pending, 0);
  const dead = chs.reduce((n, c) => n + c.dead, 0);
  return (
    <div class="cards" id="channel-summary">
      <div class="card">
        渠道<b>{chs.length}</b>
      </div>
      <div class="card">
        正常<b>{chs.filter((c) => c.health === 'ok').length}</b>
      </div>
      <div class={`card${attention > 0 ? ' alert' : ''}`}>
        需要处理<b>{attention}</b>
      </div>
      <div class={`card${pending > 0 ? ' warn' : ''}`}>
        待发送<b>{pending}</b>
      </div>
      <div class={`card${dead > 0 ? ' alert' : ''}`}>
        发送失败<b>{dead}</b>
      </div>
    </div>
  );
}

/** A generated webhook secret, shown this once. */
export function SecretOnce(props: { created: { id: number; name: string; secret: string } }) {
  return (
    <section class="panel secret-once" id="new-secret" role="status" aria-labelledby="new-secret-heading">
      <h2 id="new-secret-heading" style="margin-top:0">
        已添加 Webhook 渠道「{props.created.name}」
      </h2>
      <p>系统生成的签名密钥如下。请立即复制，配置到接收端用于验证签名（Standard Webhooks）：</p>
      <code class="secret">{props.created.secret}</code>
      <p class="notice">密钥只显示这一次，离开或刷新本页后无法再查看；如遗失，只能重新设置密钥。</p>
    </section>
  );
}

