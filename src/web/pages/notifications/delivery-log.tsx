import type { Actor } from '../../../app/accounts/actor.js';
import { mayCall } from '../../../app/accounts/policy.js';
import type { ChannelView } from '../../../app/notifications/channels.js';
import { DELIVERY_STATUSES, type DeliveryView } from '../../../app/notifications/deliveries.js';
import { ALERT_TYPE_LABELS, type AlertType } from '../../../domain/notifications/messages.js';
import { beijing, FieldError, Pager } from '../../components.js';
import type { FieldErrors } from '../../forms.js';
import { invalid } from './forms.js';
import { Cell, DELIVERY_STATUS_LABELS, HEALTH_LABELS, logQuery, PAGE_SIZE, ROUTES, type LogData, type LogFilters } from './shared.js';

// The delivery log of /notifications, newest first: its filters (status, channel), the table
// with 重新发送 for what has not arrived, and the pager.

/** When a waiting delivery goes next, or why it waits on its channel. */
function NextAttempt(props: { delivery: DeliveryView; channel?: ChannelView; now: number }) {
  const d = props.delivery;
  if (d.status !== 'pending' || d.nextAttemptAt === null) return <>—</>;
  const held = props.channel && (props.channel.health === 'misconfigured' || props.channel.health === 'paused' || props.channel.health === 'disabled');
  return (
    <>
      {Date.parse(d.nextAttemptAt) <= props.now ? '已到期，等待发送' : <span class="nowrap">{beijing(d.nextAttemptAt)}</span>}
      {held && <div class="muted held">渠道{HEALTH_LABELS[props.channel!.health]}，暂不发送</div>}
    </>
  );
}

export function FilterForm(props: { filters: LogFilters; errors: FieldErrors; channels: ChannelView[] }) {
  const { filters: f, errors: e } = props;
  return (
    <form class="filters" id="delivery-filters" method="get" action="/notifications#deliveries" aria-label="筛选投递记录" novalidate>
      <label>
        状态
        <select name="status" aria-invalid={invalid(e, 'status')}>
          <option value="">全部</option>
          {DELIVERY_STATUSES.map((s) => (
            <option value={s} selected={s === f.status}>
              {DELIVERY_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
        <FieldError errors={e} name="status" />
      </label>
      <label>
        渠道
        <select name="channelId" aria-invalid={invalid(e, 'channelId')}>
          <option value="">全部</option>
          {props.channels.map((ch) => (
            <option value={String(ch.id)} selected={String(ch.id) === f.channelId}>
              {ch.name}
            </option>
          ))}
        </select>
        <FieldError errors={e} name="channelId" />
      </label>
      <span class="buttons">
        <button type="submit">筛选</button>
        <a href="/notifications#deliveries">清除</a>
      </span>
    </form>
  );
}

export function DeliveryTable(props: { log: LogData; channels: Map<number, ChannelView>; actor: Actor; back: string; now: number }) {
  const mayRetry = mayCall(props.actor, ROUTES.retryDelivery);
  return (
    <div class="table-wrap">
      <table class="stacked" id="delivery-log">
        <thead>
          <tr>
            <th>时间</th>
            <th>渠道</th>
            <th>提醒</th>
            <th>状态</th>
            <th>尝试次数</th>
            <th>下次尝试</th>
            <th>最近错误</th>
            {mayRetry && <th>操作</th>}
          </tr>
        </thead>
        <tbody>
          {props.log.deliveries.map((d) => (
            <tr id={`delivery-${d.id}`} data-id={String(d.id)} data-status={d.status}>
              <Cell label="时间">
                <span class="nowrap">{beijing(d.createdAt)}</span>
              </Cell>
              <Cell label="渠道" class="chan wrap">
                <a href={`#channel-${d.channelId}`}>{d.channelName}</a>
              </Cell>
              <Cell label="提醒" class="msg wrap">
                <b class="alert-type">{ALERT_TYPE_LABELS[d.alertType as AlertType] ?? d.alertType}</b>
                <div class="alert-message">{d.alertMessage}</div>
              </Cell>
              <Cell label="状态">
                <span class={`st st-${d.status}`}>{DELIVERY_STATUS_LABELS[d.status]}</span>
                {d.sentAt && <div class="muted nowrap">{beijing(d.sentAt)}</div>}
              </Cell>
              <Cell label="尝试次数">{d.attempts}</Cell>
              <Cell label="下次尝试">
                <NextAttempt delivery={d} channel={props.channels.get(d.channelId)} now={props.now} />
              </Cell>
              <Cell label="最近错误" class="wrap">
                {d.lastError ? <span class="error-text">{d.lastError}</span> : '—'}
                {d.response && (
                  <details class="answer">
                    <summary>平台应答</summary>
                    <code class="answer">{d.response}</code>
                  </details>
                )}
              </Cell>
              {mayRetry && (
                <Cell label="操作">
                  {d.status === 'dead' || d.status === 'pending' ? (
                    <form class="inline" method="post" action={`/notifications/deliveries/${d.id}/retry${props.back}`}>
                      <button type="submit" aria-label={`重新发送投递 ${d.id}`}>
                        重新发送
                      </button>
                    </form>
                  ) : (
                    <span class="muted">—</span>
                  )}
                </Cell>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function LogPager(props: { log: LogData }) {
  const { filters, offset, deliveries, hasNext } = props.log;
  return (
    <Pager
      offset={offset}
      shown={deliveries.length}
      pageSize={PAGE_SIZE}
      hasNext={hasNext}
      href={(at) => `/notifications${logQuery(filters, at)}#deliveries`}
    />
  );
}

