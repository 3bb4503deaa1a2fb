// What a notification says (SPEC §10): short Chinese text a duty officer can act on from a phone
// notification — what happened, whose it is, the deadline in Beijing time, the time left or
// overdue, and a link. Pure: the send time and the public address are passed in.

import { SEVERITY_LABELS, type Severity } from '../deadlines/response-policy.js';
import { SHANGHAI_OFFSET_MS, shanghaiDate } from '../time.js';

export const ALERT_TYPES = [
  'interpretation_due_soon',
  'interpretation_overdue',
  'interpretation_leader_missing',
  'incident_opened',
  'incident_heating',
  'commitment_due_soon',
  'commitment_missed',
  'feed_failing',
  'disclosure_due_soon',
  'disclosure_overdue',
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export const ALERT_TYPE_LABELS: Record<AlertType, string> = {
  interpretation_due_soon: '解读今日到期',
  interpretation_overdue: '解读逾期',
  interpretation_leader_missing: '缺主要负责人解读',
  incident_opened: '新舆情事件',
  incident_heating: '舆情升温',
  commitment_due_soon: '回应时限将到',
  commitment_missed: '回应超时',
  feed_failing: '订阅源故障',
  disclosure_due_soon: '依申请公开即将到期',
  disclosure_overdue: '依申请公开逾期',
};

/** Alerts that also reach escalation channels (the leaders' group), whatever their filters. */
export const ESCALATED_TYPES: readonly AlertType[] = ['commitment_missed', 'interpretation_overdue'];

/** The facts of one alert a message is made from. */
export interface AlertFacts {
  id: number;
  type: string;
  /** The sentence recorded with the alert. */
  message: string;
  /** The document's or incident's title, or the feed's name. */
  subject: string | null;
  departmentName: string | null;
  severity: Severity | null;
  /** Epoch ms; for an interpretation due date, the midnight that ends it. */
  deadlineAt: number | null;
  documentId: number | null;
  incidentId: number | null;
  feedId: number | null;
  /** For disclosure_* alerts: the request for disclosure (SPEC §13). */
  disclosureRequestId?: number | null;
}

export interface Message {
  /** One line, for the notification banner and the mail subject. */
  title: string;
  /** Each line a fact ("部门：…"). */
  lines: string[];
  /** Absolute when PUBLIC_URL is set, else the page path. */
  link: string;
}

/** 'YYYY-MM-DD HH:mm' in Beijing time. */
export function beijingMinute(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** "2 天 3 小时", "4 小时 5 分", "12 分钟" (rounded down to the minute; under a minute: "不到 1 分钟"). */
export function formatSpan(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return '不到 1 分钟';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} 天 ${hours} 小时` : `${days} 天`;
  if (hours > 0) return mins > 0 ? `${hours} 小时 ${mins} 分` : `${hours} 小时`;
  return `${mins} 分钟`;
}

/** The deadline as people write it: a due date ends at "24:00" of that date. */
function deadlineText(type: string, deadlineAt: number): string {
  if (type.startsWith('interpretation_') || type.startsWith('disclosure_')) return `${shanghaiDate(deadlineAt - 1)} 24:00（北京时间）`;
  return `${beijingMinute(deadlineAt)}（北京时间）`;
}

function timeLeft(deadlineAt: number, now: number): string {
  return deadlineAt > now ? `剩余 ${formatSpan(deadlineAt - now)}` : `已超时 ${formatSpan(now - deadlineAt)}`;
}

/** PUBLIC_URL + path, or the bare path when no public address is configured. */
export function pageLink(publicUrl: string | null, path: string): string {
  return publicUrl ? `${publicUrl.replace(/\/+$/, '')}${path}` : path;
}

function pagePath(alert: AlertFacts): string {
  if (alert.documentId !== null) return `/documents/${alert.documentId}`;
  if (alert.incidentId !== null) return `/incidents/${alert.incidentId}`;
  if (alert.feedId !== null) return '/feeds';
  if (alert.disclosureRequestId != null) return `/disclosure/${alert.disclosureRequestId}`;
  return '/';
}

function label(type: string): string {
  return ALERT_TYPE_LABELS[type as AlertType] ?? type;
}

/** The message for one alert, as of the moment it is sent. */
export function composeMessage(alert: AlertFacts, now: number, publicUrl: string | null): Message {
  const severity = alert.severity ? SEVERITY_LABELS[alert.severity] : null;
  const heading = alert.type === 'incident_opened' && severity ? `${label(alert.type)}·${severity}` : label(alert.type);
  const subject = alert.subject ?? '';
  const lines: string[] = [alert.message];
  if (alert.departmentName) lines.push(`${alert.documentId !== null ? '起草部门' : '责任部门'}：${alert.departmentName}`);
  if (severity && alert.type !== 'incident_opened') lines.push(`级别：${severity}`);
  if (alert.deadlineAt !== null) {
    lines.push(`时限：${deadlineText(alert.type, alert.deadlineAt)}`);
    lines.push(`状态：${timeLeft(alert.deadlineAt, now)}`);
  }
  return { title: `【${heading}】${subject}`, lines, link: pageLink(publicUrl, pagePath(alert)) };
}

/** How many alerts a digest lists by title before "另有 N 条". */
export const DIGEST_LISTED = 10;

/** One message for several alerts, when a channel's 20-a-minute allowance is spent. */
export function composeDigest(messages: Message[], publicUrl: string | null): Message {
  const listed = messages.slice(0, DIGEST_LISTED).map((m) => m.title);
  const rest = messages.length - listed.length;
  const lines = [`本分钟内提醒较多（共 ${messages.length} 条），合并发送：`, ...listed];
  if (rest > 0) lines.push(`另有 ${rest} 条提醒，请登录平台查看`);
  return { title: `【提醒汇总】共 ${messages.length} 条`, lines, link: pageLink(publicUrl, '/') };
}

/** What "发送测试消息" sends. */
export function composeTest(channelName: string, now: number, publicUrl: string | null): Message {
  return {
    title: `【测试消息】${channelName}`,
    lines: [`这是一条测试消息，说明通知渠道「${channelName}」配置正确。`, `发送时间：${beijingMinute(now)}（北京时间）`],
    link: pageLink(publicUrl, '/notifications'),
  };
}
