import { eq, sql } from 'drizzle-orm';
import type { Severity } from '../../domain/deadlines/response-policy.js';
import type { AlertType } from '../../domain/notifications/messages.js';
import type { ChannelKind } from '../../domain/notifications/platforms.js';
import { isWebhookSecret, newWebhookSecret } from '../../domain/notifications/signing.js';
import { toIsoUtc } from '../../domain/time.js';
import { isUniqueViolation } from '../../db/database.js';
import { channels, deliveries, departments } from '../../db/schema.js';
import type { Actor } from '../accounts/actor.js';
import { auditStatement } from '../audit.js';
import type { AppContext } from '../context.js';
import { AppError, changedMeanwhile, invalidField, notFound, retriedOnChange } from '../errors.js';
import { nextUpdatedAt, unchangedSince } from '../../db/guard.js';
import { UnsafeUrlError } from '../security/addresses.js';

export interface ChannelInput {
  name: string;
  kind: ChannelKind;
  url: string;
  secret?: string | null;
  keyword?: string | null;
  alertTypes?: AlertType[];
  departmentCodes?: string[];
  minSeverity?: Severity | null;
  escalation?: boolean;
  mentionMobiles?: string[];
  enabled?: boolean;
}

export type ChannelPatch = Partial<Omit<ChannelInput, 'kind'>>;

export type ChannelHealth = 'ok' | 'failing' | 'misconfigured' | 'paused' | 'disabled' | 'unused';

export interface ChannelView {
  id: number;
  name: string;
  kind: ChannelKind;
  /** The address with its tokens masked: robot URLs carry their credential. */
  url: string;
  hasSecret: boolean;
  keyword: string | null;
  alertTypes: string[];
  departmentCodes: string[];
  minSeverity: Severity | null;
  escalation: boolean;
  mentionMobiles: string[];
  enabled: boolean;
  health: ChannelHealth;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  pausedUntil: string | null;
  misconfiguredAt: string | null;
  /** Deliveries waiting to be sent, and given up on. */
  pending: number;
  dead: number;
  createdAt: string;
  updatedAt: string;
}

type ChannelRow = typeof channels.$inferSelect;

/** Query values and long path segments of a robot URL are its credential: keep their ends only. */
export function maskUrl(url: string): string {
  const mask = (s: string) => (s.length > 12 ? `${s.slice(0, 4)}…${s.slice(-4)}` : s);
  if (url.startsWith('mailto:')) return url;
  try {
    const u = new URL(url);
    const path = u.pathname.split('/').map((seg) => (seg.length > 16 ? mask(seg) : seg)).join('/');
    const query = [...u.searchParams].map(([k, v]) => `${k}=${mask(v)}`).join('&');
    return `${u.protocol}//${u.host}${path}${query ? `?${query}` : ''}`;
  } catch {
    return mask(url);
  }
}

function healthOf(row: ChannelRow, now: number, pending: number): ChannelHealth {
  if (!row.enabled) return 'disabled';
  if (row.misconfiguredAt !== null) return 'misconfigured';
  if (row.pausedUntil !== null && row.pausedUntil > now) return 'paused';
  if (row.lastErrorAt !== null && (row.lastSuccessAt === null || row.lastErrorAt > row.lastSuccessAt)) return 'failing';
  if (row.lastSuccessAt === null) return pending > 0 ? 'failing' : 'unused';
  return 'ok';
}

const time = (ms: number | null) => (ms === null ? null : toIsoUtc(ms));

function toView(row: ChannelRow, counts: { pending: number; dead: number }, now: number): ChannelView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    url: maskUrl(row.url),
    hasSecret: row.secret !== null,
    keyword: row.keyword,
    alertTypes: JSON.parse(row.alertTypes) as string[],
    departmentCodes: JSON.parse(row.departmentCodes) as string[],
    minSeverity: row.minSeverity,
    escalation: row.escalation,
    mentionMobiles: JSON.parse(row.mentionMobiles) as string[],
    enabled: row.enabled,
    health: healthOf(row, now, counts.pending),
    lastSuccessAt: time(row.lastSuccessAt),
    lastError: row.lastError,
    lastErrorAt: time(row.lastErrorAt),
    pausedUntil: row.pausedUntil !== null && row.pausedUntil > now ? toIsoUtc(row.pausedUntil) : null,
    misconfiguredAt: time(row.misconfiguredAt),
    pending: counts.pending,
    dead: counts.dead,
    createdAt: toIsoUtc(row.createdAt),
    updatedAt: toIsoUtc(row.updatedAt),
  };
}

async function deliveryCounts(ctx: AppContext): Promise<Map<number, { pending: number; dead: number }>> {
  const rows = await ctx.db.orm
    .select({
      channelId: deliveries.channelId,
      pending: sql<number>`SUM(${deliveries.status} IN ('pending', 'sending'))`,
      dead: sql<number>`SUM(${deliveries.status} = 'dead')`,
    })
    .from(deliveries)
    .where(sql`${deliveries.status} IN ('pending', 'sending', 'dead')`)
    .groupBy(deliveries.channelId);
  return new Map(rows.map((r) => [r.channelId, { pending: Number(r.pending), dead: Number(r.dead) }]));
}

export async function listChannels(ctx: AppContext): Promise<ChannelView[]> {
  const rows = await ctx.db.orm.select().from(channels).orderBy(channels.id);
  const counts = await deliveryCounts(ctx);
  const now = ctx.now();
  return rows.map((r) => toView(r, counts.get(r.id) ?? { pending: 0, dead: 0 }, now));
}

export async function findChannelRow(ctx: AppContext, id: number): Promise<ChannelRow> {
  const [row] = await ctx.db.orm.select().from(channels).where(eq(channels.id, id));
  if (!row) throw notFound('通知渠道', id);
  return row;
}

export async function getChannel(ctx: AppContext, id: number): Promise<ChannelView> {
  const row = await findChannelRow(ctx, id);
  const counts = await deliveryCounts(ctx);
  return toView(row, counts.get(id) ?? { pending: 0, dead: 0 }, ctx.now());
}

const EMAIL_RE = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** The addresses of a `mailto:` list (`mailto:a@x.cn,b@y.cn`). */
export function mailRecipients(url: string): string[] {
  return decodeURIComponent(url.replace(/^mailto:/i, '').split('?')[0]!)
    .split(/[,;，；\s]+/)
    .filter((a) => a !== '');
}

/** Checks a channel's address for its kind; the same guard as feeds vets robot and webhook URLs. */
async function checkAddress(ctx: AppContext, kind: ChannelKind, url: string): Promise<void> {
  if (kind === 'email') {
    if (!/^mailto:/i.test(url)) throw invalidField('url', '邮件渠道的地址应写成 mailto:收件人（多个收件人用逗号分隔）');
    const to = mailRecipients(url);
    const bad = to.filter((a) => !EMAIL_RE.test(a));
    if (to.length === 0 || bad.length > 0) throw invalidField('url', `收件人地址无效：${bad.join('、') || '（空）'}`);
    if (!ctx.mailer) {
      throw new AppError(422, 'email_unavailable', 'kind: 本运行环境不能发送邮件（Cloudflare Workers 上没有 SMTP；在 Node 上请设置 SMTP_URL 和 MAIL_FROM）');
    }
    return;
  }
  if (!/^https?:\/\/[^\s]+$/i.test(url)) throw invalidField('url', '地址应以 http:// 或 https:// 开头');
  try {
    await ctx.urlGuard?.(url);
  } catch (err) {
    // Refused addresses are bad input; a host that does not resolve right now is not.
    if (err instanceof UnsafeUrlError) throw invalidField('url', err.message);
  }
}

function checkSecret(kind: ChannelKind, secret: string | null | undefined): void {
  if (secret === undefined || secret === null) return;
  if (kind === 'wecom' || kind === 'email') throw invalidField('secret', `${kind === 'wecom' ? '企业微信群机器人' : '邮件渠道'}没有签名密钥，请不要填写`);
  if (kind === 'webhook' && !isWebhookSecret(secret)) {
    throw invalidField('secret', 'Webhook 密钥应为 whsec_ 加 Base64（24–64 字节），或留空由系统生成');
  }
}

async function checkDepartments(ctx: AppContext, codes: string[] | undefined): Promise<void> {
  if (!codes || codes.length === 0) return;
  const known = await ctx.db.orm.select({ code: departments.code }).from(departments).where(sql`${departments.code} IN (SELECT value FROM json_each(${JSON.stringify(codes)}))`);
  const missing = codes.filter((c) => !known.some((k) => k.code === c));
  if (missing.length > 0) throw new AppError(422, 'unknown_department', `departmentCodes: 部门 ${missing.join('、')} 不存在`);
}

/** What the audit log keeps of a channel: never its secret, nor the credential in its URL. */
function auditFields(row: Omit<ChannelRow, 'id' | 'createdAt' | 'updatedAt' | 'misconfiguredAt' | 'lastError' | 'lastErrorAt' | 'lastSuccessAt' | 'pausedUntil'>) {
  const { secret, url, alertTypes, departmentCodes, mentionMobiles, ...rest } = row;
  return {
    ...rest,
    url: maskUrl(url),
    hasSecret: secret !== null,
    alertTypes: JSON.parse(alertTypes) as unknown,
    departmentCodes: JSON.parse(departmentCodes) as unknown,
    mentionMobiles: JSON.parse(mentionMobiles) as unknown,
  };
}

function duplicateName(name: string) {
  return new AppError(409, 'duplicate_channel', `name: 通知渠道「${name}」已存在`);
}

/** Creates a channel; a webhook without a secret gets one, returned here once (`secret`). */
export async function createChannel(ctx: AppContext, actor: Actor, input: ChannelInput): Promise<ChannelView & { secret?: string }> {
  checkSecret(input.kind, input.secret);
  await checkAddress(ctx, input.kind, input.url);
  await checkDepartments(ctx, input.departmentCodes);
  const generated = input.kind === 'webhook' && !input.secret ? newWebhookSecret(crypto.getRandomValues(new Uint8Array(32))) : undefined;
  const now = ctx.now();
  const row = {
    name: input.name,
    kind: input.kind,
    url: input.url,
    secret: generated ?? input.secret ?? null,
    keyword: input.keyword ?? null,
    alertTypes: JSON.stringify(input.alertTypes ?? []),
    departmentCodes: JSON.stringify(input.departmentCodes ?? []),
    minSeverity: input.minSeverity ?? null,
    escalation: input.escalation ?? false,
    mentionMobiles: JSON.stringify(input.mentionMobiles ?? []),
    enabled: input.enabled ?? true,
  };
  try {
    const [created] = (await ctx.db.batch([
      ctx.db.orm.insert(channels).values({ ...row, createdAt: now, updatedAt: now }).returning({ id: channels.id }),
      auditStatement(ctx, actor, 'channel', sql`(SELECT id FROM channels WHERE name = ${input.name})`, 'create', null, auditFields(row)),
    ])) as [{ id: number }[]];
    const view = await getChannel(ctx, created[0]!.id);
    return generated ? { ...view, secret: generated } : view;
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateName(input.name);
    throw err;
  }
}

/**
 * Changes a channel. A new address, secret or keyword is taken as a fix: the misconfiguration
 * mark goes, and deliveries held back by it are sent at the next run.
 */
export async function updateChannel(ctx: AppContext, actor: Actor, id: number, patch: ChannelPatch): Promise<ChannelView> {
  // (Guarded and retried as updateDocument: two PATCHes at once must not undo each other.)
  return retriedOnChange(() => updateChannelOnce(ctx, actor, id, patch), () => changedMeanwhile('通知渠道', id));
}

async function updateChannelOnce(ctx: AppContext, actor: Actor, id: number, patch: ChannelPatch): Promise<ChannelView> {
  const current = await findChannelRow(ctx, id);
  if (patch.secret !== undefined) checkSecret(current.kind, patch.secret);
  if (patch.url !== undefined) await checkAddress(ctx, current.kind, patch.url);
  await checkDepartments(ctx, patch.departmentCodes);
  const next = {
    name: patch.name ?? current.name,
    kind: current.kind,
    url: patch.url ?? current.url,
    secret: patch.secret !== undefined ? patch.secret : current.secret,
    keyword: patch.keyword !== undefined ? patch.keyword : current.keyword,
    alertTypes: patch.alertTypes ? JSON.stringify(patch.alertTypes) : current.alertTypes,
    departmentCodes: patch.departmentCodes ? JSON.stringify(patch.departmentCodes) : current.departmentCodes,
    minSeverity: patch.minSeverity !== undefined ? patch.minSeverity : current.minSeverity,
    escalation: patch.escalation ?? current.escalation,
    mentionMobiles: patch.mentionMobiles ? JSON.stringify(patch.mentionMobiles) : current.mentionMobiles,
    enabled: patch.enabled ?? current.enabled,
  };
  const fixed = patch.url !== undefined || patch.secret !== undefined || patch.keyword !== undefined;
  const now = ctx.now();
  try {
    await ctx.db.batch([
      unchangedSince(ctx.db.orm, channels, id, current.updatedAt),
      ctx.db.orm
        .update(channels)
        .set({ ...next, ...(fixed ? { misconfiguredAt: null, pausedUntil: null } : {}), updatedAt: nextUpdatedAt(channels.updatedAt, now) })
        .where(eq(channels.id, id)),
      auditStatement(ctx, actor, 'channel', id, 'update', auditFields(current), auditFields(next)),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateName(next.name);
    throw err;
  }
  return getChannel(ctx, id);
}

/** Deletes a channel and its delivery log. */
export async function deleteChannel(ctx: AppContext, actor: Actor, id: number): Promise<void> {
  const current = await findChannelRow(ctx, id);
  // Its deliveries and message log go with it (ON DELETE CASCADE).
  await ctx.db.batch([
    ctx.db.orm.delete(channels).where(eq(channels.id, id)),
    auditStatement(ctx, actor, 'channel', id, 'delete', auditFields(current), null),
  ]);
}
