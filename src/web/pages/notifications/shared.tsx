import type { Child } from 'hono/jsx';
import type { ChannelHealth, ChannelView } from '../../../app/notifications/channels.js';
import { DELIVERY_STATUSES, type DeliveryStatus, type DeliveryView } from '../../../app/notifications/deliveries.js';
import type { FieldErrors } from '../../forms.js';

// What the parts of /notifications share: the API calls each control stands for (ROUTE_POLICY
// decides who sees it), the words for states, and the delivery log's filters, which every form
// on the page carries so that a post comes back to the list as it was.

export const ROUTES = {
  channels: 'GET /api/channels',
  createChannel: 'POST /api/channels',
  updateChannel: 'PATCH /api/channels/:id',
  deleteChannel: 'DELETE /api/channels/:id',
  testChannel: 'POST /api/channels/:id/test',
  deliveries: 'GET /api/deliveries',
  retryDelivery: 'POST /api/deliveries/:id/retry',
} as const;

export const PAGE_SIZE = 50;

export const HEALTH_LABELS: Record<ChannelHealth, string> = {
  ok: '正常',
  failing: '发送失败',
  misconfigured: '配置错误',
  paused: '限流暂停',
  disabled: '已停用',
  unused: '尚未使用',
};

export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = {
  pending: '待发送',
  sending: '发送中',
  sent: '已发送',
  merged: '已合并发送',
  dead: '失败',
};


/** One table cell, labelled for the stacked phone layout; its content in one element (see feeds.tsx). */
export function Cell(props: { label: string; class?: string; children?: Child }) {
  return (
    <td data-label={props.label} class={props.class}>
      <div class="cell">{props.children}</div>
    </td>
  );
}

export interface LogFilters {
  status: string;
  channelId: string;
}

export interface LogData {
  deliveries: DeliveryView[];
  filters: LogFilters;
  errors: FieldErrors;
  offset: number;
  hasNext: boolean;
}

/** '?status=dead&channelId=3&offset=50', or '' with no filters. */
export function logQuery(filters: LogFilters, offset: number): string {
  const params = new URLSearchParams();
  if (filters.status) params.set('status', filters.status);
  if (filters.channelId) params.set('channelId', filters.channelId);
  if (offset > 0) params.set('offset', String(offset));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The filters as typed into the address bar, checked against what GET /api/deliveries accepts. */
export function checkFilters(filters: LogFilters, channels: ChannelView[]): FieldErrors {
  const errors: FieldErrors = {};
  if (filters.status && !(DELIVERY_STATUSES as readonly string[]).includes(filters.status)) errors.status = '请从列表中选择状态';
  if (filters.channelId && !channels.some((ch) => String(ch.id) === filters.channelId)) errors.channelId = '请从列表中选择渠道（该渠道可能已删除）';
  return errors;
}
