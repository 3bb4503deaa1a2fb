// The platforms a channel can be (SPEC §10): how a message is written for each, and how each
// platform's answer is read. Success is HTTP 2xx *and* the platform's own success code; some
// answers mean the channel itself is wrong (no retry helps), some ask us to slow down.

import type { Message } from './messages.js';
import { dingtalkSignedUrl, feishuSignature, standardWebhookHeaders } from './signing.js';

export const CHANNEL_KINDS = ['dingtalk', 'wecom', 'feishu', 'webhook', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const CHANNEL_KIND_LABELS: Record<ChannelKind, string> = {
  dingtalk: '钉钉群机器人',
  wecom: '企业微信群机器人',
  feishu: '飞书群机器人',
  webhook: 'Webhook（Standard Webhooks 签名）',
  email: '电子邮件',
};

/** What a channel needs to address and sign a message. */
export interface ChannelTarget {
  kind: ChannelKind;
  url: string;
  secret: string | null;
  keyword: string | null;
  mentionMobiles: readonly string[];
}

export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A webhook message: its id (the delivery, or the digest) and its JSON payload. */
export interface WebhookEnvelope {
  id: string;
  payload: unknown;
}

// --- Retries (SPEC §10) -------------------------------------------------------------------------

const MINUTE = 60_000;
/** After the n-th failed attempt, wait RETRY_DELAYS_MS[n-1]; after the sixth, give up. */
export const RETRY_DELAYS_MS = [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 120 * MINUTE, 360 * MINUTE] as const;
/** DingTalk's 130101: "send too fast", the robot is throttled for 10 minutes. */
export const RATE_LIMIT_PAUSE_MS = 10 * MINUTE;
/** Messages a channel may carry per minute (DingTalk's and WeCom's limit, kept for every kind). */
export const MESSAGES_PER_MINUTE = 20;

/** When to try again after `attempts` failed attempts, or null: the delivery is dead. */
export function nextAttemptAt(attempts: number, now: number): number | null {
  const delay = RETRY_DELAYS_MS[attempts - 1];
  return delay === undefined ? null : now + delay;
}

// --- Writing ----------------------------------------------------------------------------------

const encoder = new TextEncoder();

/** `text` cut to at most `maxBytes` of UTF-8, ending in "…" when cut, never inside a character. */
export function cutUtf8(text: string, maxBytes: number): string {
  if (encoder.encode(text).length <= maxBytes) return text;
  const budget = maxBytes - encoder.encode('…').length;
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = encoder.encode(ch).length;
    if (bytes + size > budget) break;
    bytes += size;
    end += ch.length;
  }
  return `${text.slice(0, end)}…`;
}

const isAbsolute = (link: string) => /^https?:\/\//i.test(link);

/** A channel with a keyword (DingTalk, Feishu) rejects messages without it: make sure it is there. */
function withKeyword(message: Message, keyword: string | null): Message {
  if (!keyword) return message;
  const text = [message.title, ...message.lines].join('\n');
  return text.includes(keyword) ? message : { ...message, lines: [...message.lines, `（${keyword}）`] };
}

/** WeCom's markdown content limit. */
export const WECOM_MARKDOWN_MAX_BYTES = 4096;

export function dingtalkBody(message: Message, mentionMobiles: readonly string[]): unknown {
  const link = isAbsolute(message.link) ? `[查看详情](${message.link})` : `页面：${message.link}`;
  const mentions = mentionMobiles.length > 0 ? `\n\n${mentionMobiles.map((m) => `@${m}`).join(' ')}` : '';
  return {
    msgtype: 'markdown',
    markdown: { title: message.title, text: `### ${message.title}\n\n${message.lines.map((l) => `- ${l}`).join('\n')}\n\n${link}${mentions}` },
    at: { atMobiles: [...mentionMobiles], isAtAll: false },
  };
}

export function wecomBodies(message: Message, mentionMobiles: readonly string[]): unknown[] {
  const link = isAbsolute(message.link) ? `[查看详情](${message.link})` : `页面：${message.link}`;
  const content = cutUtf8(`**${message.title}**\n${message.lines.map((l) => `> ${l}`).join('\n')}\n${link}`, WECOM_MARKDOWN_MAX_BYTES);
  const bodies: unknown[] = [{ msgtype: 'markdown', markdown: { content } }];
  // Markdown cannot mention by mobile: a short text message does, right after.
  if (mentionMobiles.length > 0) {
    bodies.push({ msgtype: 'text', text: { content: cutUtf8(`请及时处理：${message.title}`, 2048), mentioned_mobile_list: [...mentionMobiles] } });
  }
  return bodies;
}

export function feishuBody(message: Message): Record<string, unknown> {
  const content: unknown[][] = message.lines.map((text) => [{ tag: 'text', text }]);
  content.push(isAbsolute(message.link) ? [{ tag: 'a', text: '查看详情', href: message.link }] : [{ tag: 'text', text: `页面：${message.link}` }]);
  return { msg_type: 'post', content: { post: { zh_cn: { title: message.title, content } } } };
}

/**
 * The HTTP requests that carry one message to a channel (WeCom with mentions takes two), signed
 * as the platform wants. `now` is the signing time; email is not HTTP and has no requests.
 */
export async function buildRequests(
  target: ChannelTarget,
  message: Message,
  webhook: WebhookEnvelope,
  now: number,
): Promise<OutboundRequest[]> {
  const json = { 'Content-Type': 'application/json; charset=utf-8' };
  switch (target.kind) {
    case 'dingtalk': {
      const url = target.secret ? await dingtalkSignedUrl(target.url, target.secret, now) : target.url;
      return [{ url, headers: json, body: JSON.stringify(dingtalkBody(withKeyword(message, target.keyword), target.mentionMobiles)) }];
    }
    case 'wecom':
      return wecomBodies(message, target.mentionMobiles).map((b) => ({ url: target.url, headers: json, body: JSON.stringify(b) }));
    case 'feishu': {
      const body = feishuBody(withKeyword(message, target.keyword));
      const signed = target.secret ? { ...(await feishuSignature(target.secret, Math.floor(now / 1000))), ...body } : body;
      return [{ url: target.url, headers: json, body: JSON.stringify(signed) }];
    }
    case 'webhook': {
      const body = JSON.stringify(webhook.payload);
      const signature = target.secret ? await standardWebhookHeaders(target.secret, webhook.id, Math.floor(now / 1000), body) : {};
      return [{ url: target.url, headers: { ...json, ...signature }, body }];
    }
    case 'email':
      return [];
  }
}

// --- Reading answers --------------------------------------------------------------------------

export type Verdict =
  | { outcome: 'sent' }
  /** Try again later (RETRY_DELAYS_MS). */
  | { outcome: 'retry'; reason: string }
  /** The channel is wrong (bad key, signature, keyword, address): no retry can help. */
  | { outcome: 'misconfigured'; reason: string }
  /** The platform throttles this channel: wait RATE_LIMIT_PAUSE_MS. */
  | { outcome: 'rate_limited'; reason: string };

const MISCONFIGURED_HTTP = new Set([401, 403, 404, 410]);
const MISCONFIGURED_CODES: Partial<Record<ChannelKind, Set<number>>> = {
  dingtalk: new Set([310000, 300001]),
  wecom: new Set([93000]),
  feishu: new Set([19021, 19024]),
};
const RATE_LIMITED_CODES: Partial<Record<ChannelKind, Set<number>>> = { dingtalk: new Set([130101]) };
const PLATFORM_NAMES: Record<ChannelKind, string> = { dingtalk: '钉钉', wecom: '企业微信', feishu: '飞书', webhook: 'Webhook', email: '邮件服务器' };

/** The platform's own result code and message, or null when the body does not carry one. */
function platformCode(kind: ChannelKind, text: string): { code: number; message: string } | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  if (kind === 'dingtalk' || kind === 'wecom') {
    return typeof b.errcode === 'number' ? { code: b.errcode, message: String(b.errmsg ?? '') } : null;
  }
  // Feishu answers {code, msg} today and {StatusCode, StatusMessage} in older deployments.
  if (typeof b.code === 'number') return { code: b.code, message: String(b.msg ?? '') };
  if (typeof b.StatusCode === 'number') return { code: b.StatusCode, message: String(b.StatusMessage ?? '') };
  return null;
}

/** Reads one HTTP answer of a platform. */
export function judgeAnswer(kind: ChannelKind, status: number, text: string): Verdict {
  const name = PLATFORM_NAMES[kind];
  if (MISCONFIGURED_HTTP.has(status)) return { outcome: 'misconfigured', reason: `${name}返回 HTTP ${status}：地址无效或无权访问，请检查渠道地址和密钥` };
  if (status < 200 || status > 299) return { outcome: 'retry', reason: `${name}返回 HTTP ${status}` };
  if (kind === 'webhook') return { outcome: 'sent' };
  const answer = platformCode(kind, text);
  if (!answer) return { outcome: 'retry', reason: `${name}的应答无法识别（HTTP ${status}）：${text.slice(0, 200)}` };
  if (answer.code === 0) return { outcome: 'sent' };
  const said = `${name}返回错误码 ${answer.code}${answer.message ? `：${answer.message.slice(0, 200)}` : ''}`;
  if (MISCONFIGURED_CODES[kind]?.has(answer.code)) {
    return { outcome: 'misconfigured', reason: `${said}（渠道配置有误：请检查 Webhook 地址、加签密钥或自定义关键词）` };
  }
  if (RATE_LIMITED_CODES[kind]?.has(answer.code)) return { outcome: 'rate_limited', reason: `${said}（发送过快，平台限流 10 分钟）` };
  return { outcome: 'retry', reason: said };
}
