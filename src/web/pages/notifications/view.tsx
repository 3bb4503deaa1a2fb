import { raw } from 'hono/html';
import type { Actor } from '../../../app/accounts/actor.js';
import { mayCall } from '../../../app/accounts/policy.js';
import type { DepartmentView } from '../../../app/departments.js';
import type { ChannelView } from '../../../app/notifications/channels.js';
import type { FailedForm } from '../../forms.js';
import { ChannelTable, SecretOnce, Summary, type TestOutcome } from './channels.js';
import { DeliveryTable, FilterForm, LogPager } from './delivery-log.js';
import { AddChannelForm } from './forms.js';
import { logQuery, ROUTES, type LogData } from './shared.js';

// The /notifications page (SPEC §10): the channels with their health, the 添加通知渠道 form, a
// test message per channel answered in place, and the delivery log with its filters and 重新发送.
// Every form posts back to this page; each control shows only for the roles whose API call it
// stands for (ROUTE_POLICY decides).

const PAGE_CSS = `
.notifications-page .wrap{overflow-wrap:anywhere}
.notifications-page td .cell{min-width:0}
@media (min-width:641px){.notifications-page td.name{min-width:8rem}.notifications-page td.wide{min-width:10rem}.notifications-page td.msg{min-width:12rem}.notifications-page td.chan{min-width:6.5rem}}
.cards{margin-bottom:1rem}.card.warn b{color:#9c4221}
.st-ok{background:#e3f4ea;color:#276749}.st-failing,.st-misconfigured,.st-dead{background:#fde8e7;color:#b42318}
.st-paused{background:#fdf0e2;color:#9c4221}.st-disabled{background:#eef0f3;color:#52606d}.st-unused,.st-pending,.st-sending{background:#e6f0fb;color:#0b5cad}
.st-sent,.st-merged{background:#e3f4ea;color:#276749}
.tag{display:inline-block;margin:.1rem .3rem 0 0;padding:0 .35rem;border:1px solid #8a96a3;border-radius:4px;font-size:.8em;color:#52606d;white-space:nowrap}
.tag.lead{border-color:#8b1a1a;color:#8b1a1a}
.error-text{color:#b42318}.nowrap{white-space:nowrap}
ul.scope{list-style:none;margin:0;padding:0;display:grid;gap:.1rem}ul.scope .k{color:#52606d}
.row-actions{display:flex;flex-wrap:wrap;gap:.4rem;align-items:flex-start}
details.confirm summary{list-style:none;font-size:.9em;padding:.2rem .6rem;border:1px solid #f3b4ae;border-radius:6px;color:#b42318;background:#fff;cursor:pointer;white-space:nowrap}
details.confirm summary::-webkit-details-marker{display:none}
details.confirm[open]{flex-basis:100%}details.confirm p{margin:.4rem 0;font-size:.9em}
details.confirm button{font:inherit;font-size:.9em;padding:.2rem .6rem;border:0;border-radius:6px;background:#b42318;color:#fff;cursor:pointer}
tr.test-row td{background:#fbfcfd}
.test-result{border-radius:8px;padding:.6rem .9rem;border:1px solid;overflow-wrap:anywhere}
.test-result.ok{background:#e3f4ea;border-color:#9ae6b4}.test-result.failed{background:#fde8e7;border-color:#f3b4ae}
.test-result strong{font-size:1.05rem;margin-right:.4rem}
code.answer{display:block;margin-top:.3rem;font:.85em/1.5 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;overflow-wrap:anywhere;background:#fff8;border-radius:4px;padding:.2rem .4rem}
.panel{background:#fff;border-radius:8px;padding:.75rem 1rem;box-shadow:0 1px 2px #0001;margin:0 0 1rem}
tr.edit-row td{padding-top:0;background:#fff}#channels tr:has(+ tr.edit-row) td{border-bottom:0}
details.edit summary{cursor:pointer;color:#0b5cad;font-size:.9em;padding:.1rem 0;width:max-content}
details.edit[open]{border:1px solid #8a96a3;border-radius:8px;padding:.4rem .9rem .9rem;margin:.2rem 0 .4rem;background:#fbfcfd}
details.edit[open] summary{font-weight:600;color:#8b1a1a}
.edit-form{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.8rem 1.5rem;margin-top:.6rem;align-items:start;max-width:56rem}
.edit-form .secret-field{display:grid;gap:.4rem}
.edit-form .wide-field{grid-column:1/-1}.edit-form .kind-field{display:grid;gap:.2rem}
.edit-form .buttons{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
.edit-form .url{overflow-wrap:anywhere}
.secret-once{border-left:6px solid #2f855a}.secret-once code{display:block;font:1rem/1.5 ui-monospace,Menlo,Consolas,monospace;background:#f4f6f8;border-radius:4px;padding:.4rem .6rem;margin:.4rem 0;overflow-wrap:anywhere;user-select:all}
fieldset{border:1px solid #8a96a3;border-radius:6px;padding:.3rem .7rem .5rem;margin:0;min-width:0}legend{padding:0 .3rem}
.checks{display:grid;grid-template-columns:repeat(auto-fill,minmax(8.5rem,1fr));gap:.1rem .8rem}
label.check{display:flex;gap:.45rem;align-items:center}label.check input{width:auto;margin:0}
.filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;margin-bottom:1rem}.filters label{flex:1 1 9rem}
.filters .buttons{display:flex;gap:.8rem;align-items:center}.filters button{font:inherit;padding:.45rem 1rem}
details.answer summary{cursor:pointer;color:#0b5cad;font-size:.85em}
@media (max-width:640px){table.stacked td.full{display:block;padding:.4rem .8rem}table.stacked td.full::before{content:none}
#channels tr:has(+ tr.edit-row){border-bottom:0}.edit-form{grid-template-columns:minmax(0,1fr)}}
`;

export interface PageExtras {
  failed?: FailedForm;
  tested?: TestOutcome;
  created?: { id: number; name: string; secret: string };
}

export function NotificationsPage(props: {
  actor: Actor;
  channels: ChannelView[];
  departments: DepartmentView[];
  log: LogData;
  publicUrl: string | null;
  now: number;
  extras: PageExtras;
}) {
  const { actor, channels, log, extras } = props;
  const names = new Map(props.departments.map((d) => [d.code, d.name]));
  const byId = new Map(channels.map((ch) => [ch.id, ch]));
  const back = logQuery(log.filters, log.offset);
  const rowError = extras.failed?.form === 'row' ? extras.failed.errors._form : undefined;
  const filtered = log.filters.status !== '' || log.filters.channelId !== '';
  const valid = Object.keys(log.errors).length === 0;
  return (
    <div class="notifications-page">
      <style>{raw(PAGE_CSS)}</style>
      <h1>通知</h1>
      <p class="muted">
        提醒按各渠道的接收范围发到钉钉、企业微信、飞书、Webhook 或邮件。发送失败的按 1 分钟、5 分钟、30 分钟、2 小时、6 小时重试，之后记为失败；平台答复地址或密钥有误时立即记为失败，并把渠道标为“配置错误”。时间均为北京时间。
      </p>
      {props.publicUrl === null && (
        <p class="notice" id="public-url-notice">
          尚未设置 PUBLIC_URL：消息中的链接只是页面路径（如 /incidents/12），在群聊中无法直接打开。请在服务的环境变量中设置 PUBLIC_URL（如 https://zwgk.example.gov.cn）后重启。
        </p>
      )}
      <Summary channels={channels} />
      {extras.created && <SecretOnce created={extras.created} />}
      {mayCall(actor, ROUTES.createChannel) && <AddChannelForm departments={props.departments} failed={extras.failed} action={`/notifications/channels${back}`} />}
      {rowError && (
        <p class="notice" role="alert" id="row-error">
          {rowError}
        </p>
      )}
      <h2>通知渠道</h2>
      {channels.length === 0 ? (
        <p class="empty">还没有通知渠道。</p>
      ) : (
        <ChannelTable
          channels={channels}
          actor={actor}
          departments={names}
          departmentList={props.departments}
          back={back}
          tested={extras.tested}
          failed={extras.failed}
        />
      )}
      {mayCall(actor, ROUTES.deliveries) && (
        <section aria-labelledby="deliveries">
          <h2 id="deliveries">投递记录</h2>
          <FilterForm filters={log.filters} errors={log.errors} channels={channels} />
          {!valid ? (
            <p class="notice" role="alert">
              筛选条件有误，请按提示修改后重试。
            </p>
          ) : log.deliveries.length === 0 ? (
            <p class="empty">{filtered ? '没有符合条件的投递记录。' : '还没有投递记录。'}</p>
          ) : (
            <DeliveryTable log={log} channels={byId} actor={actor} back={back} now={props.now} />
          )}
          <LogPager log={log} />
        </section>
      )}
    </div>
  );
}
