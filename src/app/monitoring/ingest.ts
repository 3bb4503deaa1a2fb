import { and, desc, eq, gte, inArray, or, sql, type SQL } from 'drizzle-orm';
import { SEVERITY_RANK } from '../../domain/deadlines/response-policy.js';
import { itemIdentity } from '../../domain/monitoring/identity.js';
import { normalizeText } from '../../domain/monitoring/normalize.js';
import type { Statement } from '../../db/database.js';
import { incidentItems, incidents, itemRuleHits, items } from '../../db/schema.js';
import type { Actor } from '../accounts/actor.js';
import type { AppContext } from '../context.js';
import { openIncidentStatements } from '../incidents.js';
import { currentPolicy } from '../response-policy.js';
import type { ParsedItem } from './parse-feed.js';
import { activeRules } from './rules.js';

export interface IngestPlan {
  statements: Statement[];
  fetched: number;
  newItems: number;
  matched: number;
}

// D1 binds at most 100 parameters per statement: look-ups by many keys, and multi-row inserts,
// go in chunks that stay under it.
const CHUNK = 90;
const ITEM_ROWS_PER_INSERT = 10; // 8 parameters a row
const HIT_ROWS_PER_INSERT = 20; // 4 a row

function chunks<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Plans the writes for one poll of one feed: new items (identity per SPEC §5, so a re-poll adds
 * nothing), their rule hits, and the incidents they join or open. Nothing is written here: the
 * caller commits these statements with the feed's new cursor in one batch, so a crash mid-poll
 * leaves no half-ingested poll behind and the next poll redoes it.
 */
export async function planIngest(
  ctx: AppContext,
  actor: Actor,
  feedId: number,
  parsed: readonly ParsedItem[],
  fetchedAt: number,
): Promise<IngestPlan> {
  const unique = new Map<string, ParsedItem>();
  for (const item of parsed) {
    const identity = itemIdentity(item);
    if (!unique.has(identity)) unique.set(identity, item);
  }
  const identities = [...unique.keys()];
  const known = new Set<string>();
  for (let i = 0; i < identities.length; i += CHUNK) {
    const rows = await ctx.db.orm
      .select({ identity: items.identity })
      .from(items)
      .where(and(eq(items.feedId, feedId), inArray(items.identity, identities.slice(i, i + CHUNK))));
    for (const r of rows) known.add(r.identity);
  }

  const { matcher, byId } = await activeRules(ctx);
  const policy = await currentPolicy(ctx);
  const windowMs = ctx.config.incidentWindowHours * 3_600_000;
  // Items first, then hits, then incidents and links, which name items by (feed, identity).
  const itemRows: (typeof items.$inferInsert)[] = [];
  const hitRows: { itemId: SQL; ruleId: number; terms: string }[] = [];
  const statements: Statement[] = [];
  // Incidents opened earlier in this same poll, by rule and by story, named by origin key.
  const openedByRule = new Map<number, SQL>();
  const openedByStory = new Map<string, SQL>();
  let newItems = 0;
  let matched = 0;

  for (const [identity, item] of unique) {
    if (known.has(identity)) continue;
    newItems++;
    const normalizedTitle = normalizeText(item.title);
    const itemRef = sql`(SELECT id FROM items WHERE feed_id = ${feedId} AND identity = ${identity})`;
    itemRows.push({
      feedId,
      identity,
      title: item.title,
      normalizedTitle,
      link: item.link,
      summary: item.summary,
      publishedAt: item.publishedAt,
      fetchedAt,
    });
    const hits = matcher
      .match(`${item.title}\n${item.summary}`)
      .filter((h) => byId.has(h.ruleId))
      .sort((a, b) => SEVERITY_RANK[byId.get(b.ruleId)!.severity] - SEVERITY_RANK[byId.get(a.ruleId)!.severity] || a.ruleId - b.ruleId);
    if (hits.length === 0) continue;
    matched++;
    for (const h of hits) hitRows.push({ itemId: itemRef, ruleId: h.ruleId, terms: JSON.stringify(h.terms) });
    const storyKeys = [normalizedTitle ? `t:${normalizedTitle}` : null, item.link ? `l:${item.link}` : null].filter((k): k is string => k !== null);
    // A story without a usable publication time starts when we saw it (SPEC §5).
    const itemTime = item.publishedAt !== null && item.publishedAt <= fetchedAt ? item.publishedAt : fetchedAt;
    const join = (ref: SQL) =>
      statements.push(ctx.db.orm.insert(incidentItems).values({ incidentId: ref, itemId: itemRef, linkedAt: fetchedAt }).onConflictDoNothing());

    // 1. The same story already in an open incident (same link or same normalised title).
    const sameStory = storyKeys.map((k) => openedByStory.get(k)).find((r) => r) ?? (await openIncidentWithStory(ctx, item.link, normalizedTitle));
    if (sameStory) {
      join(sameStory);
      for (const k of storyKeys) openedByStory.set(k, sameStory);
      continue;
    }
    // 2. Each matching rule's open incident within the window.
    let joined = false;
    for (const h of hits) {
      const ref = openedByRule.get(h.ruleId) ?? (await openIncidentOfRule(ctx, h.ruleId, itemTime - windowMs));
      if (ref) {
        join(ref);
        openedByRule.set(h.ruleId, ref);
        for (const k of storyKeys) openedByStory.set(k, ref);
        joined = true;
      }
    }
    if (joined) continue;
    // 3. Otherwise the strictest matching rule opens a new incident.
    const rule = byId.get(hits[0]!.ruleId)!;
    const opened = openIncidentStatements(ctx, actor, policy, {
      title: item.title,
      severity: rule.severity,
      startedAt: itemTime,
      departmentCode: rule.departmentCode,
      summary: item.summary || null,
      ruleId: rule.id,
      originKey: `feed:${feedId}:${identity}:rule:${rule.id}`,
    });
    statements.push(...opened.statements);
    join(opened.ref);
    openedByRule.set(rule.id, opened.ref);
    for (const k of storyKeys) openedByStory.set(k, opened.ref);
  }
  return {
    statements: [
      ...chunks(itemRows, ITEM_ROWS_PER_INSERT).map((rows) => ctx.db.orm.insert(items).values(rows)),
      ...chunks(hitRows, HIT_ROWS_PER_INSERT).map((rows) => ctx.db.orm.insert(itemRuleHits).values(rows)),
      ...statements,
    ],
    fetched: parsed.length,
    newItems,
    matched,
  };
}

async function openIncidentWithStory(ctx: AppContext, link: string | null, normalizedTitle: string): Promise<SQL | null> {
  const same = [normalizedTitle ? eq(items.normalizedTitle, normalizedTitle) : undefined, link ? eq(items.link, link) : undefined].filter(
    (c): c is SQL => c !== undefined,
  );
  if (same.length === 0) return null;
  const [row] = await ctx.db.orm
    .select({ id: incidents.id })
    .from(items)
    .innerJoin(incidentItems, eq(incidentItems.itemId, items.id))
    .innerJoin(incidents, eq(incidents.id, incidentItems.incidentId))
    .where(and(eq(incidents.status, 'open'), or(...same)))
    .orderBy(desc(incidents.startedAt))
    .limit(1);
  return row ? sql`${row.id}` : null;
}

async function openIncidentOfRule(ctx: AppContext, ruleId: number, since: number): Promise<SQL | null> {
  const [row] = await ctx.db.orm
    .select({ id: incidents.id })
    .from(incidents)
    .where(and(eq(incidents.ruleId, ruleId), eq(incidents.status, 'open'), gte(incidents.startedAt, since)))
    .orderBy(desc(incidents.startedAt))
    .limit(1);
  return row ? sql`${row.id}` : null;
}
