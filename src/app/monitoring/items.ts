import { and, desc, eq, gte, sql, type SQL } from 'drizzle-orm';
import { toIsoUtc } from '../../domain/time.js';
import { items } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import type { ItemView } from '../incidents.js';

/**
 * The ids of the rules an item (the outer query's `items` row) matched, comma-separated. Written
 * in plain SQL: drizzle renders an interpolated column without its table, which inside a
 * correlated subquery SQLite could resolve against the inner table.
 */
export const matchedRuleIdsOfItem = sql<string | null>`(SELECT group_concat(h.rule_id) FROM item_rule_hits h WHERE h.item_id = items.id)`;

export async function listItems(
  ctx: AppContext,
  filter: { feedId?: number; ruleId?: number; matched?: boolean; limit: number; offset: number },
): Promise<ItemView[]> {
  const conditions: SQL[] = [];
  if (filter.feedId !== undefined) conditions.push(eq(items.feedId, filter.feedId));
  if (filter.ruleId !== undefined) {
    conditions.push(sql`EXISTS (SELECT 1 FROM item_rule_hits h WHERE h.item_id = items.id AND h.rule_id = ${filter.ruleId})`);
  }
  if (filter.matched !== undefined) {
    conditions.push(sql`${sql.raw(filter.matched ? '' : 'NOT ')}EXISTS (SELECT 1 FROM item_rule_hits h WHERE h.item_id = items.id)`);
  }
  const rows = await ctx.db.orm
    .select({
      id: items.id,
      feedId: items.feedId,
      title: items.title,
      link: items.link,
      publishedAt: items.publishedAt,
      fetchedAt: items.fetchedAt,
      ruleIds: matchedRuleIdsOfItem,
    })
    .from(items)
    .where(and(...conditions))
    .orderBy(desc(items.id))
    .limit(filter.limit)
    .offset(filter.offset);
  return rows.map((r) => ({
    id: r.id,
    feedId: r.feedId,
    title: r.title,
    link: r.link,
    publishedAt: r.publishedAt === null ? null : toIsoUtc(r.publishedAt),
    fetchedAt: toIsoUtc(r.fetchedAt),
    matchedRuleIds: r.ruleIds ? r.ruleIds.split(',').map(Number).sort((a, b) => a - b) : [],
  }));
}

/** Hot words of the items fetched in the last `hours` (default 24), with how many items were read. */
export async function recentHotwords(ctx: AppContext, asOf: number, hours = 24, topN = 20) {
  const rows = await ctx.db.orm
    .select({ title: items.title, summary: items.summary })
    .from(items)
    .where(and(gte(items.fetchedAt, asOf - hours * 3_600_000), sql`${items.fetchedAt} <= ${asOf}`))
    .orderBy(desc(items.fetchedAt))
    .limit(2000);
  const text = rows.map((r) => `${r.title}\n${r.summary}`).join('\n');
  return { hours, itemCount: rows.length, items: ctx.keywords && text ? ctx.keywords.extract(text, topN) : [] };
}
