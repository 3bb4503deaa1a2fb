import { and, between, desc, eq, sql } from 'drizzle-orm';
import { SEVERITY_RANK } from '../../domain/deadlines/response-policy.js';
import { itemIdentity } from '../../domain/monitoring/identity.js';
import type { RuleMatch } from '../../domain/monitoring/matcher.js';
import { normalizeText } from '../../domain/monitoring/normalize.js';
import type { Statement } from '../../db/database.js';
import { incidentItems, incidents, itemRuleHits, items } from '../../db/schema.js';
import type { Actor } from '../accounts/actor.js';
import type { AppContext } from '../context.js';
import { openIncidentStatements } from '../incidents.js';
import { currentPolicy, type ResponsePolicy } from '../response-policy.js';
import type { ParsedItem } from './parse-feed.js';
import { activeRules } from './rules.js';

/** An incident an item joins: its id, or the origin key of one this same poll opens. */
type IncidentRef = number | string;

export interface IngestPlan {
  statements: Statement[];
  fetched: number;
  newItems: number;
  matched: number;
}

// Many rows go to SQLite as ONE bound parameter, a JSON array that json_each() expands: one
// statement however many items a poll brings, far under D1's 100 parameters per statement, and
// no per-value query building. A JSON text stays under MAX_JSON_CHARS (D1 allows 2 MB a value).
const MAX_JSON_CHARS = 500_000;

/** `rows` as JSON arrays of at most MAX_JSON_CHARS characters each. */
function jsonChunks(rows: readonly unknown[]): string[] {
  if (rows.length === 0) return [];
  const whole = JSON.stringify(rows);
  if (whole.length <= MAX_JSON_CHARS) return [whole];
  const out: string[] = [];
  let part: string[] = [];
  let size = 2;
  for (const row of rows) {
    const text = JSON.stringify(row);
    if (part.length > 0 && size + text.length + 1 > MAX_JSON_CHARS) {
      out.push(`[${part.join(',')}]`);
      part = [];
      size = 2;
    }
    part.push(text);
    size += text.length + 1;
  }
  if (part.length > 0) out.push(`[${part.join(',')}]`);
  return out;
}

/** json_extract of element `i` of json_each's current value. */
const at = (i: number) => sql.raw(`json_extract(j.value, '$[${i}]')`);

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
  for (const json of jsonChunks(identities)) {
    const rows = await ctx.db.orm
      .select({ identity: items.identity })
      .from(items)
      .where(and(eq(items.feedId, feedId), sql`${items.identity} IN (SELECT value FROM json_each(${json}))`));
    for (const r of rows) known.add(r.identity);
  }

  const { matcher, byId } = await activeRules(ctx);
  // The response policy is read only if this poll opens an incident.
  let policy: ResponsePolicy | undefined;
  const windowMs = ctx.config.incidentWindowHours * 3_600_000;
  // Items first, then hits, then incidents and links, which name items by (feed, identity).
  // [identity, title, normalizedTitle, link, summary, publishedAt] and [identity, ruleId, terms].
  const itemRows: [string, string, string, string | null, string, number | null][] = [];
  const hitRows: [string, number, string][] = [];
  const statements: Statement[] = [];

  // Pass 1: the new items, normalised and matched.
  const matchedItems: { identity: string; item: ParsedItem; normalizedTitle: string; hits: RuleMatch[] }[] = [];
  let newItems = 0;
  for (const [identity, item] of unique) {
    if (known.has(identity)) continue;
    newItems++;
    const normalizedTitle = normalizeText(item.title);
    itemRows.push([identity, item.title, normalizedTitle, item.link, item.summary, item.publishedAt]);
    const hits = matcher
      .match(`${item.title}\n${item.summary}`)
      .filter((h) => byId.has(h.ruleId))
      .sort((a, b) => SEVERITY_RANK[byId.get(b.ruleId)!.severity] - SEVERITY_RANK[byId.get(a.ruleId)!.severity] || a.ruleId - b.ruleId);
    if (hits.length === 0) continue;
    for (const h of hits) hitRows.push([identity, h.ruleId, JSON.stringify(h.terms)]);
    matchedItems.push({ identity, item, normalizedTitle, hits });
  }

  // Pass 2: each matched item joins or opens an incident. The open incidents that already hold
  // the same stories are looked up once for the whole poll, not once per item.
  const knownStories = await openIncidentsWithStories(ctx, matchedItems.map((m) => ({ link: m.item.link, normalizedTitle: m.normalizedTitle })));
  // Incidents opened or joined earlier in this same poll, by rule (with their start, for the
  // window) and by story key.
  const openedByRule = new Map<number, { ref: IncidentRef; startedAt: number }>();
  const openedByStory = new Map<string, IncidentRef>();
  // [item identity, incident id or null, origin key of an incident opened in this poll or null]
  const joinRows: [string, number | null, string | null][] = [];
  // A story without a usable publication time starts when we saw it (SPEC §5). Items are taken
  // oldest first, so that one poll decides exactly as the same items arriving in separate polls.
  const timed = matchedItems
    .map((m) => ({ ...m, itemTime: m.item.publishedAt !== null && m.item.publishedAt <= fetchedAt ? m.item.publishedAt : fetchedAt }))
    .sort((a, b) => a.itemTime - b.itemTime);
  for (const { identity, item, normalizedTitle, hits, itemTime } of timed) {
    const storyKeys = [normalizedTitle ? `t:${normalizedTitle}` : null, item.link ? `l:${item.link}` : null].filter((k): k is string => k !== null);
    const join = (ref: IncidentRef) => joinRows.push([identity, typeof ref === 'number' ? ref : null, typeof ref === 'string' ? ref : null]);

    // 1. The same story already in an open incident (same link or same normalised title).
    const sameStory = storyKeys.map((k) => openedByStory.get(k)).find((r) => r !== undefined) ?? knownStories.lookup(item.link, normalizedTitle);
    if (sameStory !== undefined && sameStory !== null) {
      join(sameStory);
      for (const k of storyKeys) openedByStory.set(k, sameStory);
      continue;
    }
    // 2. Each matching rule's open incident within the window.
    let joined = false;
    for (const h of hits) {
      // The same window, either side of the item, for an incident opened earlier in this poll as
      // for one already stored: the answer must not depend on how items are split into polls.
      const inPoll = openedByRule.get(h.ruleId);
      const found = inPoll && Math.abs(inPoll.startedAt - itemTime) <= windowMs ? inPoll : await openIncidentOfRule(ctx, h.ruleId, itemTime, windowMs);
      if (found) {
        join(found.ref);
        openedByRule.set(h.ruleId, found);
        for (const k of storyKeys) openedByStory.set(k, found.ref);
        joined = true;
      }
    }
    if (joined) continue;
    // 3. Otherwise the strictest matching rule opens a new incident.
    const rule = byId.get(hits[0]!.ruleId)!;
    const originKey = `feed:${feedId}:${identity}:rule:${rule.id}`;
    policy ??= await currentPolicy(ctx);
    const opened = openIncidentStatements(ctx, actor, policy, {
      title: item.title,
      severity: rule.severity,
      startedAt: itemTime,
      departmentCode: rule.departmentCode,
      summary: item.summary || null,
      ruleId: rule.id,
      originKey,
    });
    statements.push(...opened.statements);
    join(originKey);
    openedByRule.set(rule.id, { ref: originKey, startedAt: itemTime });
    for (const k of storyKeys) openedByStory.set(k, originKey);
  }
  // Every link of an item to an incident in one statement, after the incidents it names.
  statements.push(
    ...jsonChunks(joinRows).map((json) =>
      ctx.db.orm
        .insert(incidentItems)
        .select(
          sql`SELECT COALESCE(${at(1)}, (SELECT id FROM incidents WHERE origin_key = ${at(2)})), (SELECT id FROM items WHERE feed_id = ${feedId} AND identity = ${at(0)}), ${fetchedAt} FROM json_each(${json}) AS j WHERE true`,
        )
        // (WHERE true: SQLite would otherwise read ON CONFLICT as a join's ON.)
        .onConflictDoNothing(),
    ),
  );
  const matched = matchedItems.length;
  return {
    statements: [
      // Columns in table order: id (NULL: assigned), feed, identity, title, normalised title, link,
      // summary, published, fetched.
      ...jsonChunks(itemRows).map((json) =>
        ctx.db.orm
          .insert(items)
          .select(sql`SELECT NULL, ${feedId}, ${at(0)}, ${at(1)}, ${at(2)}, ${at(3)}, ${at(4)}, ${at(5)}, ${fetchedAt} FROM json_each(${json}) AS j`),
      ),
      // item (by feed and identity), rule, terms.
      ...jsonChunks(hitRows).map((json) =>
        ctx.db.orm
          .insert(itemRuleHits)
          .select(sql`SELECT (SELECT id FROM items WHERE feed_id = ${feedId} AND identity = ${at(0)}), ${at(1)}, ${at(2)} FROM json_each(${json}) AS j`),
      ),
      ...statements,
    ],
    fetched: parsed.length,
    newItems,
    matched,
  };
}

/**
 * The open incidents that hold items with any of these links or normalised titles, in one
 * query per kind of key (the keys go as JSON); `lookup` gives, for one item, the most recently started
 * of them that shares its link or its title.
 */
async function openIncidentsWithStories(ctx: AppContext, stories: { link: string | null; normalizedTitle: string }[]) {
  const titles = [...new Set(stories.map((s) => s.normalizedTitle).filter((t) => t))];
  const links = [...new Set(stories.map((s) => s.link).filter((l): l is string => !!l))];
  // Per key, the open incident started last (SQLite returns the row of MAX()). The EXISTS walks
  // the items carrying the key (by its index) and stops at the first one in the incident, rather
  // than walking the incident's items, which grow with every repost.
  const latest = async (column: 'normalized_title' | 'link', keys: string[]) => {
    const byKey = new Map<string, { id: number; startedAt: number }>();
    if (keys.length === 0) return byKey;
    const rows = await ctx.db.orm.all<{ k: string; id: number; startedAt: number }>(sql`
      SELECT k.value AS k, incidents.id AS id, MAX(incidents.started_at) AS startedAt
      FROM json_each(${JSON.stringify(keys)}) AS k
      JOIN incidents ON incidents.status = 'open'
      WHERE EXISTS (
        SELECT 1 FROM items INDEXED BY ${sql.raw(`items_${column}_idx`)}
        JOIN incident_items ON incident_items.incident_id = incidents.id AND incident_items.item_id = items.id
        WHERE ${sql.raw(`items.${column}`)} = k.value)
      GROUP BY k.value`);
    for (const r of rows) byKey.set(r.k, { id: r.id, startedAt: r.startedAt });
    return byKey;
  };
  const byTitle = await latest('normalized_title', titles);
  const byLink = await latest('link', links);
  return {
    lookup(link: string | null, normalizedTitle: string): number | null {
      const a = normalizedTitle ? byTitle.get(normalizedTitle) : undefined;
      const b = link ? byLink.get(link) : undefined;
      const best = a && b ? (b.startedAt > a.startedAt ? b : a) : (a ?? b);
      return best ? best.id : null;
    },
  };
}

/** The rule's open incident started within `windowMs` of `at` (either side), the latest first. */
async function openIncidentOfRule(ctx: AppContext, ruleId: number, at: number, windowMs: number): Promise<{ ref: number; startedAt: number } | null> {
  const [row] = await ctx.db.orm
    .select({ ref: incidents.id, startedAt: incidents.startedAt })
    .from(incidents)
    .where(and(eq(incidents.ruleId, ruleId), eq(incidents.status, 'open'), between(incidents.startedAt, at - windowMs, at + windowMs)))
    .orderBy(desc(incidents.startedAt))
    .limit(1);
  return row ?? null;
}
