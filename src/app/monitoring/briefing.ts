import { sql } from 'drizzle-orm';
import type { IncidentStatus } from '../../domain/deadlines/commitments.js';
import type { Severity } from '../../domain/deadlines/response-policy.js';
import { DAY_MS, isValidDate, shanghaiDate, startOfShanghaiDay, toIsoUtc } from '../../domain/time.js';
import type { AppContext } from '../context.js';
import { departmentTable } from '../dashboard.js';
import { listDocuments } from '../documents.js';
import { listDepartments } from '../departments.js';
import { AppError, invalidField } from '../errors.js';
import { toCommitmentView, type CommitmentView } from '../incidents.js';
import { groupStories, heatOfIncidents, itemTimeOf, signalsOfIncidents, type StoryItemRow, type StoryView } from './incident-depth.js';

// The daily briefing (舆情日报, SPEC §14) for one Shanghai calendar date D, as of the end of D (or
// now, for today): the incidents opened on D or open at its end, the day's top stories with their
// reprint counts, the day's hot words, the commitments due or fulfilled on D and the documents
// overdue at the end of D. One read model for the JSON, the printable page and the DOCX file.

export interface BriefingIncident {
  id: number;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  departmentCode: string | null;
  startedAt: string;
  /** Opened on D (else: opened before and still open at the end of D). */
  openedOnDate: boolean;
  /** Whether it was still open at the end of D (or now, for today). */
  openAtEnd: boolean;
  heat: number;
  signal: number;
  signalWords: string[];
  /** Its commitments with their clocks as of the briefing's asOf. */
  timers: CommitmentView[];
}

export interface BriefingStory extends StoryView {
  incidentIds: number[];
}

export interface BriefingCommitment extends CommitmentView {
  incidentTitle: string;
}

export interface BriefingDocument {
  id: number;
  docNumber: string | null;
  title: string;
  departmentCode: string;
  publishedDate: string | null;
  interpretationDueDate: string | null;
}

export interface DailyBriefing {
  date: string;
  /** The end of D, or now when D is today: what heat, clocks and overdue are measured at. */
  asOf: string;
  incidents: BriefingIncident[];
  stories: BriefingStory[];
  hotWords: { word: string; weight: number }[];
  commitments: BriefingCommitment[];
  overdueDocuments: BriefingDocument[];
  /** The whole counts, where the lists stop at BRIEFING_LIMITS: incidents opened on D and open at its end, documents overdue. */
  totals: { incidents: number; openedOnDate: number; openAtEnd: number; overdueDocuments: number };
}

/** Top stories, hot words and overdue documents listed at most. */
export const BRIEFING_LIMITS = { stories: 10, hotWords: 20, overdueDocuments: 500, incidents: 500, hotWordItems: 2000 };

/**
 * The date a briefing is asked for, checked: a real `YYYY-MM-DD` not after today (Shanghai).
 * A missing date is today.
 */
export function briefingDate(ctx: AppContext, input: string | undefined): string {
  const today = shanghaiDate(ctx.now());
  if (input === undefined || input === '') return today;
  if (!isValidDate(input)) throw invalidField('date', `日期无效：${input}，应为 YYYY-MM-DD（北京时间的日期）`);
  if (input < '2000-01-01') throw invalidField('date', '日期不能早于 2000-01-01');
  if (input > today) throw invalidField('date', `日期不能晚于今天（${today}）`);
  return input;
}

export async function dailyBriefing(ctx: AppContext, date: string): Promise<DailyBriefing> {
  const from = startOfShanghaiDay(date);
  const to = from + DAY_MS;
  const asOf = Math.min(to, ctx.now());

  // Opened on D, or opened before its end and not closed by then; neither merged into another
  // incident nor dismissed as a false alarm (those are not incidents of the day).
  const ofTheDay = sql`merged_into_id IS NULL AND status <> 'dismissed' AND started_at < ${to}
      AND (started_at >= ${from} OR closed_at IS NULL OR closed_at >= ${to})`;
  const rows = await ctx.db.orm.all<{
    id: number;
    title: string;
    severity: Severity;
    status: IncidentStatus;
    departmentCode: string | null;
    startedAt: number;
    closedAt: number | null;
  }>(sql`
    SELECT id, title, severity, status, department_code AS departmentCode, started_at AS startedAt, closed_at AS closedAt
    FROM incidents
    WHERE ${ofTheDay}
    ORDER BY started_at DESC, id DESC
    LIMIT ${BRIEFING_LIMITS.incidents}`);
  const [incidentTotals] = await ctx.db.orm.all<{ incidents: number; openedOnDate: number; openAtEnd: number }>(sql`
    SELECT COUNT(*) AS incidents, COALESCE(SUM(started_at >= ${from}), 0) AS openedOnDate,
      COALESCE(SUM(closed_at IS NULL OR closed_at >= ${asOf}), 0) AS openAtEnd
    FROM incidents WHERE ${ofTheDay}`);
  const ids = rows.map((r) => r.id);
  const heat = await heatOfIncidents(ctx, ids, asOf);
  const signals = await signalsOfIncidents(ctx, ids);
  const commitmentRows = ids.length === 0 ? [] : await ctx.db.orm.all<CommitmentRow>(sql`
    SELECT ${COMMITMENT_COLUMNS} FROM json_each(${JSON.stringify(ids)}) AS x CROSS JOIN commitments AS c
    WHERE c.incident_id = x.value AND (c.cancelled_at IS NULL OR c.cancelled_at > ${asOf}) ORDER BY c.due_at, c.id`);
  const incidents: BriefingIncident[] = rows
    .map((r) => {
      const signalWords = signals.get(r.id) ?? [];
      return {
        id: r.id,
        title: r.title,
        severity: r.severity,
        status: r.status,
        departmentCode: r.departmentCode,
        startedAt: toIsoUtc(r.startedAt),
        openedOnDate: r.startedAt >= from,
        openAtEnd: r.closedAt === null || r.closedAt >= asOf,
        heat: heat.get(r.id) ?? 0,
        signal: signalWords.length,
        signalWords,
        timers: commitmentRows.filter((c) => c.incidentId === r.id).map((c) => toCommitmentView(c, r, asOf)),
      };
    })
    // The hottest first, then the most negative, then the latest.
    .sort((a, b) => b.heat - a.heat || b.signal - a.signal || b.startedAt.localeCompare(a.startedAt) || b.id - a.id);

  // The day's items of these incidents (by the incident-and-time index), grouped into stories.
  const storyRows = ids.length === 0 ? [] : await ctx.db.orm.all<StoryItemRow & { incident: number }>(sql`
    SELECT ii.incident_id AS incident, i.id AS id, COALESCE(i.story_id, i.id) AS story, i.feed_id AS feedId, f.name AS feedName,
      i.title AS title, i.link AS link, i.published_at AS publishedAt, ii.item_at AS at
    FROM json_each(${JSON.stringify(ids)}) AS x CROSS JOIN incident_items AS ii INDEXED BY incident_items_heat_idx
      CROSS JOIN items AS i CROSS JOIN feeds AS f
    WHERE ii.incident_id = x.value AND ii.item_at >= ${from} AND ii.item_at < ${to} AND i.id = ii.item_id AND f.id = i.feed_id`);
  const incidentsOfStory = new Map<number, Set<number>>();
  for (const r of storyRows) {
    const set = incidentsOfStory.get(r.story) ?? new Set<number>();
    set.add(r.incident);
    incidentsOfStory.set(r.story, set);
  }
  // An item linked to two incidents counts once.
  const uniqueRows = [...new Map(storyRows.map((r) => [r.id, r])).values()];
  const stories = groupStories(uniqueRows)
    .slice(0, BRIEFING_LIMITS.stories)
    .map((s) => ({ ...s, incidentIds: [...(incidentsOfStory.get(s.storyId) ?? [])].sort((a, b) => a - b) }));

  // The day's hot words: every item of the day (by its time: published, else fetched), the latest first.
  const textRows = await ctx.db.orm.all<{ title: string; summary: string }>(sql`
    SELECT i.title AS title, i.summary AS summary FROM items AS i
    WHERE i.fetched_at >= ${from} AND i.fetched_at < ${to + 7 * DAY_MS}
      AND ${itemTimeOf('i')} >= ${from} AND ${itemTimeOf('i')} < ${to}
    ORDER BY i.fetched_at DESC LIMIT ${BRIEFING_LIMITS.hotWordItems}`);
  const text = textRows.map((r) => `${r.title}\n${r.summary}`).join('\n');
  const hotWords = ctx.keywords && text ? ctx.keywords.extract(text, BRIEFING_LIMITS.hotWords) : [];

  // Commitments due on D or fulfilled on D (of incidents neither merged nor dismissed), with their status as of asOf
  // (one cancelled after it, by a lowered severity, was still running then).
  const dueRows = await ctx.db.orm.all<CommitmentRow & { incidentTitle: string; incidentStatus: IncidentStatus; incidentClosedAt: number | null }>(sql`
    SELECT ${COMMITMENT_COLUMNS}, inc.title AS incidentTitle, inc.status AS incidentStatus, inc.closed_at AS incidentClosedAt
    FROM commitments AS c CROSS JOIN incidents AS inc
    WHERE inc.id = c.incident_id AND inc.merged_into_id IS NULL AND inc.status <> 'dismissed'
      AND (c.cancelled_at IS NULL OR c.cancelled_at > ${asOf})
      AND ((c.due_at >= ${from} AND c.due_at < ${to}) OR (c.fulfilled_at >= ${from} AND c.fulfilled_at < ${to}))
    ORDER BY c.due_at, c.id`);
  const commitmentViews = dueRows.map((c) => ({ ...toCommitmentView(c, { status: c.incidentStatus, closedAt: c.incidentClosedAt }, asOf), incidentTitle: c.incidentTitle }));

  // Documents overdue at the end of D: due before it and without an interpretation by then.
  const overdue = await listDocuments(ctx, { status: 'overdue', asOf, limit: BRIEFING_LIMITS.overdueDocuments, offset: 0 });
  // All of them, as the board counts them (kept counts, not a scan), when the list is cut short.
  const overdueTotal =
    overdue.length < BRIEFING_LIMITS.overdueDocuments ? overdue.length : (await departmentTable(ctx, asOf)).reduce((n, r) => n + r.waiting - r.pending, 0);
  return {
    date,
    asOf: toIsoUtc(asOf),
    incidents,
    stories,
    hotWords,
    commitments: commitmentViews,
    totals: { ...incidentTotals!, overdueDocuments: overdueTotal },
    overdueDocuments: overdue.map((d) => ({
      id: d.id,
      docNumber: d.docNumber,
      title: d.title,
      departmentCode: d.departmentCode,
      publishedDate: d.publishedDate,
      interpretationDueDate: d.interpretationDueDate,
    })),
  };
}

interface CommitmentRow {
  id: number;
  incidentId: number;
  kind: string;
  dueAt: number;
  fulfilledAt: number | null;
  cancelledAt: number | null;
  url: string | null;
  note: string | null;
  policyVersion: number;
}

const COMMITMENT_COLUMNS = sql.raw(
  'c.id AS id, c.incident_id AS incidentId, c.kind AS kind, c.due_at AS dueAt, c.fulfilled_at AS fulfilledAt, c.cancelled_at AS cancelledAt, c.url AS url, c.note AS note, c.policy_version AS policyVersion',
);

/** Writes a briefing as a DOCX file (Word), for sending upward. */
export interface BriefingDocxEncoder {
  encode(briefing: DailyBriefing, departmentNames: ReadonlyMap<string, string>): Promise<Uint8Array>;
}

export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The briefing as a DOCX file; a 422 where the runtime cannot write one (Workers). */
export async function briefingDocxFile(ctx: AppContext, briefing: DailyBriefing): Promise<Response> {
  if (!ctx.docx) {
    throw new AppError(422, 'docx_unavailable', 'format: 当前运行环境（Cloudflare Workers）暂不支持生成 Word（DOCX）舆情日报，请打开 /briefings/daily 页面打印或另存为 PDF');
  }
  const names = new Map((await listDepartments(ctx, { limit: 1000, offset: 0 })).map((d) => [d.code, d.name]));
  const bytes = await ctx.docx.encode(briefing, names);
  const fileName = `舆情日报-${briefing.date}.docx`;
  return new Response(bytes, {
    status: 200,
    headers: {
      'Content-Type': DOCX_CONTENT_TYPE,
      'Content-Disposition': `attachment; filename="briefing-${briefing.date}.docx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
