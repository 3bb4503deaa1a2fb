import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { DAY_MS, startOfShanghaiDay, toIsoUtc } from '../domain/time.js';
import type { Statement } from '../db/database.js';
import { auditLog } from '../db/schema.js';
import type { Actor } from './accounts/actor.js';
import type { AppContext } from './context.js';

export const AUDIT_ENTITIES = [
  'document', 'interpretation', 'department', 'incident', 'commitment', 'feed', 'rule', 'user', 'calendar_day', 'response_policy',
  'channel', 'delivery', 'calendar_feed', 'disclosure_request', 'annual_report', 'setting', 'display_link',
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

/** Each kind of entry as people read it (the page and the export). */
export const AUDIT_ENTITY_LABELS: Record<AuditEntity, string> = {
  document: '文件',
  interpretation: '解读材料',
  department: '部门',
  incident: '舆情事件',
  commitment: '回应承诺',
  feed: '订阅源',
  rule: '监测规则',
  user: '用户',
  calendar_day: '工作日历',
  response_policy: '回应时限政策',
  channel: '通知渠道',
  delivery: '消息投递',
  calendar_feed: '日历订阅',
  disclosure_request: '依申请公开',
  annual_report: '年度报告',
  setting: '系统设置',
  display_link: '大屏链接',
};

export const AUDIT_ACTION_LABELS: Record<string, string> = {
  create: '新建',
  update: '修改',
  update_with_password: '修改（含密码）',
  link_document: '关联文件',
  unlink_document: '取消关联文件',
  override: '设置单日',
  reset: '恢复默认',
  import_year: '导入年度安排',
  token_create: '创建令牌',
  token_revoke: '撤销令牌',
  merge: '合并',
  fulfil: '完成承诺',
  record_event: '登记办理事件',
  revoke: '撤销',
  sign_off: '审签',
};

/**
 * The audit entry of a change, to go in the same batch as the change itself, so that a change
 * is never without its entry nor an entry without its change. `entityId` may be an SQL expression
 * naming a row the batch creates.
 */
export function auditStatement(
  ctx: AppContext,
  actor: Actor,
  entity: AuditEntity,
  entityId: number | string | SQL | null,
  action: string,
  before: unknown,
  after: unknown,
): Statement {
  return ctx.db.orm.insert(auditLog).values({
    at: ctx.now(),
    actor: actor.username,
    entity,
    entityId: entityId === null ? null : typeof entityId === 'object' ? entityId : String(entityId),
    action,
    before: before === undefined || before === null ? null : JSON.stringify(before),
    after: after === undefined || after === null ? null : JSON.stringify(after),
  });
}

export interface AuditView {
  id: number;
  at: string;
  actor: string;
  entity: string;
  entityId: string | null;
  action: string;
  before: unknown;
  after: unknown;
}

export interface AuditQuery {
  actor?: string;
  entity?: string;
  entityId?: string;
  /** Entries from this Beijing date on (inclusive), `YYYY-MM-DD`. */
  from?: string;
  /** Entries up to and including this Beijing date, `YYYY-MM-DD`. */
  to?: string;
}

/** The conditions of an audit query, shared by the list and its export. */
export function auditConditions(filter: AuditQuery): SQL | undefined {
  return and(
    filter.actor ? eq(auditLog.actor, filter.actor) : undefined,
    filter.entity ? eq(auditLog.entity, filter.entity) : undefined,
    filter.entityId ? eq(auditLog.entityId, filter.entityId) : undefined,
    filter.from ? gte(auditLog.at, startOfShanghaiDay(filter.from)) : undefined,
    filter.to ? lt(auditLog.at, startOfShanghaiDay(filter.to) + DAY_MS) : undefined,
  );
}

export async function listAudit(ctx: AppContext, filter: AuditQuery & { limit: number; offset: number }): Promise<AuditView[]> {
  const rows = await ctx.db.orm
    .select()
    .from(auditLog)
    .where(auditConditions(filter))
    .orderBy(desc(auditLog.id))
    .limit(filter.limit)
    .offset(filter.offset);
  return rows.map((r) => ({
    id: r.id,
    at: toIsoUtc(r.at),
    actor: r.actor,
    entity: r.entity,
    entityId: r.entityId,
    action: r.action,
    before: r.before === null ? null : JSON.parse(r.before),
    after: r.after === null ? null : JSON.parse(r.after),
  }));
}
