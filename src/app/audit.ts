import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { DAY_MS, startOfShanghaiDay, toIsoUtc } from '../domain/time.js';
import type { Statement } from '../db/database.js';
import { auditLog } from '../db/schema.js';
import type { Actor } from './accounts/actor.js';
import type { AppContext } from './context.js';

export const AUDIT_ENTITIES = [
  'document', 'interpretation', 'department', 'incident', 'commitment', 'feed', 'rule', 'user', 'calendar_day', 'response_policy',
  'channel', 'delivery', 'calendar_feed',
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

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

export async function listAudit(
  ctx: AppContext,
  filter: {
    actor?: string;
    entity?: string;
    entityId?: string;
    /** Entries from this Beijing date on (inclusive), `YYYY-MM-DD`. */
    from?: string;
    /** Entries up to and including this Beijing date, `YYYY-MM-DD`. */
    to?: string;
    limit: number;
    offset: number;
  },
): Promise<AuditView[]> {
  const rows = await ctx.db.orm
    .select()
    .from(auditLog)
    .where(
      and(
        filter.actor ? eq(auditLog.actor, filter.actor) : undefined,
        filter.entity ? eq(auditLog.entity, filter.entity) : undefined,
        filter.entityId ? eq(auditLog.entityId, filter.entityId) : undefined,
        filter.from ? gte(auditLog.at, startOfShanghaiDay(filter.from)) : undefined,
        filter.to ? lt(auditLog.at, startOfShanghaiDay(filter.to) + DAY_MS) : undefined,
      ),
    )
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
