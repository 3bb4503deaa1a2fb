import { sql } from 'drizzle-orm';
import { heatOf, heatSpanMs, storiesPerHour, type Heat, type StoryMark } from '../../domain/monitoring/heat.js';
import { toIsoUtc } from '../../domain/time.js';
import type { AppContext } from '../context.js';

// What an incident looks like in depth (SPEC §14): its stories with their reprint counts and
// sources, its heat, and its negative-signal words. Read models for the incident API and pages,
// the board and the daily briefing.

/** An item of an incident as a story's source. */
export interface StorySource {
  feedId: number;
  feedName: string;
  itemId: number;
  title: string;
  link: string | null;
  publishedAt: string | null;
}

export interface StoryView {
  /** The id of the story's first item. */
  storyId: number;
  /** The title of its earliest item in the incident. */
  title: string;
  firstSeenAt: string;
  /** N in "N 家转载": distinct feeds carrying it, the first included. */
  reprints: number;
  /** Its items in the incident (a feed may carry it more than once). */
  items: number;
  /** One per feed, the feed's earliest item, in order of appearance. */
  sources: StorySource[];
}

/** An incident item as the story grouping reads it. */
export interface StoryItemRow {
  id: number;
  story: number;
  feedId: number;
  feedName: string;
  title: string;
  link: string | null;
  publishedAt: number | null;
  /** Publication time, or fetch time when missing or in the future. */
  at: number;
}

/** Items grouped by story: the most reprinted first, then the earliest. */
export function groupStories(rows: readonly StoryItemRow[]): StoryView[] {
  const byStory = new Map<number, StoryItemRow[]>();
  for (const r of [...rows].sort((a, b) => a.at - b.at || a.id - b.id)) {
    const list = byStory.get(r.story);
    if (list) list.push(r);
    else byStory.set(r.story, [r]);
  }
  const stories = [...byStory.entries()].map(([storyId, list]): StoryView => {
    const firstPerFeed = new Map<number, StoryItemRow>();
    for (const r of list) if (!firstPerFeed.has(r.feedId)) firstPerFeed.set(r.feedId, r);
    return {
      storyId,
      title: list[0]!.title,
      firstSeenAt: toIsoUtc(list[0]!.at),
      reprints: firstPerFeed.size,
      items: list.length,
      sources: [...firstPerFeed.values()].map((r) => ({
        feedId: r.feedId,
        feedName: r.feedName,
        itemId: r.id,
        title: r.title,
        link: r.link,
        publishedAt: r.publishedAt === null ? null : toIsoUtc(r.publishedAt),
      })),
    };
  });
  return stories.sort((a, b) => b.reprints - a.reprints || a.firstSeenAt.localeCompare(b.firstSeenAt) || a.storyId - b.storyId);
}

/** The item time heat and stories count by, in SQL, of the items table under `alias`. */
export const itemTimeOf = (alias: string) =>
  sql.raw(`CASE WHEN ${alias}.published_at IS NOT NULL AND ${alias}.published_at <= ${alias}.fetched_at THEN ${alias}.published_at ELSE ${alias}.fetched_at END`);
const ITEM_TIME = itemTimeOf('i');

/** Every item of one incident as the story grouping reads it. */
export async function storyItemsOf(ctx: AppContext, incidentId: number, range?: { from: number; to: number }): Promise<StoryItemRow[]> {
  const within = range ? sql` AND COALESCE(ii.item_at, ${ITEM_TIME}) >= ${range.from} AND COALESCE(ii.item_at, ${ITEM_TIME}) < ${range.to}` : sql``;
  return ctx.db.orm.all<StoryItemRow>(sql`
    SELECT i.id AS id, COALESCE(i.story_id, i.id) AS story, i.feed_id AS feedId, f.name AS feedName, i.title AS title, i.link AS link,
      i.published_at AS publishedAt, COALESCE(ii.item_at, ${ITEM_TIME}) AS at
    FROM incident_items AS ii CROSS JOIN items AS i CROSS JOIN feeds AS f
    WHERE ii.incident_id = ${incidentId} AND i.id = ii.item_id AND f.id = i.feed_id${within}`);
}

/** The stories of incidents' items within [from, to): what they carried in that time. */
export async function incidentStories(ctx: AppContext, incidentId: number, range?: { from: number; to: number }): Promise<StoryView[]> {
  return groupStories(await storyItemsOf(ctx, incidentId, range));
}

/** The (story, time) marks of incidents' items in (from, to], by incident; one query. */
async function marksOf(ctx: AppContext, ids: readonly number[], from: number, to: number): Promise<Map<number, StoryMark[]>> {
  const out = new Map<number, StoryMark[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await ctx.db.orm.all<{ incident: number; story: number; at: number }>(sql`
    SELECT ii.incident_id AS incident, COALESCE(i.story_id, i.id) AS story, ii.item_at AS at
    FROM json_each(${JSON.stringify(ids)}) AS x CROSS JOIN incident_items AS ii INDEXED BY incident_items_heat_idx CROSS JOIN items AS i
    WHERE ii.incident_id = x.value AND ii.item_at > ${from} AND ii.item_at <= ${to} AND i.id = ii.item_id`);
  for (const r of rows) out.get(r.incident)!.push({ story: r.story, at: r.at });
  return out;
}

/** Each incident's heat (c: distinct stories in the last window) as of `asOf`. */
export async function heatOfIncidents(ctx: AppContext, ids: readonly number[], asOf: number): Promise<Map<number, number>> {
  const window = ctx.config.heat.windowMinutes * 60_000;
  const marks = await marksOf(ctx, ids, asOf - window, asOf);
  return new Map([...marks].map(([id, list]) => [id, new Set(list.map((m) => m.story)).size]));
}

export interface HeatDetail {
  heat: Heat;
  /** Distinct stories per clock hour over the last 24 hours, the current hour last. */
  series: { hour: string; stories: number }[];
}

/** One incident's heat as of `asOf`, with its stories per hour for the chart. */
export async function heatDetail(ctx: AppContext, id: number, asOf: number): Promise<HeatDetail> {
  const settings = ctx.config.heat;
  const marks = (await marksOf(ctx, [id], asOf - Math.max(heatSpanMs(settings), 25 * 3_600_000), asOf)).get(id)!;
  return {
    heat: heatOf(marks, asOf, settings),
    series: storiesPerHour(marks, asOf, 24).map((b) => ({ hour: toIsoUtc(b.start), stories: b.stories })),
  };
}

/** Each incident's distinct negative-signal words, in the order they were first seen. */
export async function signalsOfIncidents(ctx: AppContext, ids: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await ctx.db.orm.all<{ incident: number; word: string }>(sql`
    SELECT s.incident_id AS incident, s.word AS word
    FROM json_each(${JSON.stringify(ids)}) AS x CROSS JOIN incident_signals AS s
    WHERE s.incident_id = x.value ORDER BY s.rowid`);
  for (const r of rows) out.get(r.incident)!.push(r.word);
  return out;
}
