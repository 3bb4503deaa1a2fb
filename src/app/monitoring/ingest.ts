import { and, between, desc, eq, sql } from 'drizzle-orm';
import { SEVERITY_RANK, type Severity } from '../../domain/deadlines/response-policy.js';
import { heatingSlot, heatOf, heatSpanMs, type Heat, type HeatSettings, type StoryMark } from '../../domain/monitoring/heat.js';
import { itemIdentity } from '../../domain/monitoring/identity.js';
import type { RuleMatch } from '../../domain/monitoring/matcher.js';
import { normalizeText } from '../../domain/monitoring/normalize.js';
import { compileSignals, type SignalFinder } from '../../domain/monitoring/signals.js';
import type { Database, Statement } from '../../db/database.js';
import { bound, type PreparedQuery } from '../../db/bound.js';
import { alerts, incidentItems, incidents, incidentSignals, itemRuleHits, items } from '../../db/schema.js';
import type { Actor } from '../accounts/actor.js';
import type { AppContext } from '../context.js';
import { openIncidentStatements } from '../incidents.js';
import { currentPolicy, type ResponsePolicy } from '../response-policy.js';
import { nextTurn } from '../turns.js';
import type { ParsedItem } from './parse-feed.js';
import { activeRules, type ActiveRules, type RuleRow } from './rules.js';
import { fileQuery, filingKeys, keyFilter, PollStories, preparedAll, probeFor, StoryCandidates, type StoryProbe, type StoryRef } from './stories.js';

/**
 * Items a poll plans in one turn of the event loop (~10 ms of normalising, matching and
 * fingerprinting); a poll of thousands gives other requests a turn between chunks.
 */
export const TURN_ITEMS = 250;

/** An incident an item joins: its id, or the origin key of one this same poll opens. */
type IncidentRef = number | string;

export interface IngestPlan {
  statements: Statement[];
  fetched: number;
  newItems: number;
  matched: number;
  /** Alerts the statements record (incidents opened, incidents heating up): worth sending at once. */
  alerts: number;
}

// Many rows go to SQLite as ONE bound parameter, a JSON array that json_each() expands: one
// statement however many items a poll brings, far under D1's 100 parameters per statement, and
// no per-value query building. A JSON text stays under MAX_JSON_CHARS (D1 allows 2 MB a value).
const MAX_JSON_CHARS = 500_000;

/** `rows` as JSON arrays of at most MAX_JSON_CHARS characters each. */
export function jsonChunks(rows: readonly unknown[]): string[] {
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

/** A new item of a poll, normalised, matched and fingerprinted. */
interface NewItem {
  identity: string;
  item: ParsedItem;
  normalizedTitle: string;
  /** Publication time, or the fetch time when it has none or it lies in the future (SPEC §5). */
  itemTime: number;
  hits: RuleMatch[];
  /** Title and body as rules read them. */
  text: string;
  /** The signal words in text, once looked for. */
  signals: string[] | null;
  probe: StoryProbe;
}

/** The signal-word finder of the configured list, compiled once per context. */
const signalFinders = new WeakMap<AppContext, { words: string[]; find: SignalFinder }>();
function signalFinder(ctx: AppContext): SignalFinder {
  const cached = signalFinders.get(ctx);
  if (cached?.words === ctx.config.signalWords) return cached.find;
  const find = compileSignals(ctx.config.signalWords);
  signalFinders.set(ctx, { words: ctx.config.signalWords, find });
  return find;
}

/**
 * Plans the writes for one poll of one feed: new items (identity per SPEC §5, so a re-poll adds
 * nothing), their rule hits, their stories, and the incidents they join or open (SPEC §14: an
 * item that reprints a story of an open incident joins it, rule or no rule), with the heat alerts
 * that follow. Nothing is written here: the caller commits these statements with the feed's new
 * cursor in one batch, so a crash mid-poll leaves no half-ingested poll behind and the next poll
 * redoes it.
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
    const rows = await preparedAll<{ identity: string }>(
      ctx.db,
      'known-items',
      () => sql`SELECT identity FROM items WHERE feed_id = ${sql.placeholder('feedId')} AND identity IN (SELECT value FROM json_each(${sql.placeholder('json')}))`,
      { feedId, json },
    );
    for (const r of rows) known.add(r.identity);
  }

  const rules = await activeRules(ctx);
  const { byId } = rules;
  const windowMs = ctx.config.incidentWindowHours * 3_600_000;

  // Pass 1: the new items, normalised, matched and fingerprinted; a long poll in chunks of
  // TURN_ITEMS, giving other requests a turn of the event loop between them.
  const fresh: NewItem[] = [];
  const hitRows: [string, number, string][] = [];
  const entries = [...unique].filter(([identity]) => !known.has(identity));
  for (let from = 0; from < entries.length; from += TURN_ITEMS) {
    if (from > 0) await nextTurn();
    newItemsOfPoll(ctx, entries, from, Math.min(entries.length, from + TURN_ITEMS), rules, fetchedAt, fresh, hitRows);
  }

  // The stored stories these items may reprint, and the open incidents that hold them, read once
  // for the whole poll; so are the open incidents that hold the same links or titles (items
  // stored before stories were tracked are found that way).
  const candidates = await StoryCandidates.load(ctx, fresh.map((f) => f.probe));
  const matchedItems = fresh.filter((f) => f.hits.length > 0);
  const knownStories = await openIncidentsWithStories(ctx, matchedItems.map((m) => ({ link: m.item.link, normalizedTitle: m.normalizedTitle })));

  // Pass 2, oldest first, so that one poll decides exactly as the same items arriving in
  // separate polls: each item's story, then the incident it joins or opens. What an item needs
  // read first (a rule's open incident, the response policy) is read here, then it is placed.
  // (Array.prototype.sort is stable: items of the same time keep the feed's order.)
  const plan = new PollPlan(ctx, actor, feedId, byId, signalFinder(ctx), candidates, knownStories, windowMs);
  const ordered = fresh.slice().sort((a, b) => a.itemTime - b.itemTime);
  for (let i = 0; i < ordered.length; i++) {
    if (i > 0 && i % TURN_ITEMS === 0) await nextTurn();
    const f = ordered[i]!;
    for (let need = plan.place(f); need !== null; need = plan.place(f)) {
      if (need === 'policy') plan.policy = await currentPolicy(ctx);
      else plan.ruleIncidents.set(ruleIncidentKey(need.ruleId, need.at), await openIncidentOfRule(ctx, need.ruleId, need.at, windowMs));
    }
  }
  const { itemRows, dependentRows, statements, joinRows, signalRows, fileRows, marks, opened } = plan;

  // The keys filed here may be looked up before this poll commits (polls run concurrently).
  keyFilter(ctx.db)?.add(fileRows.flatMap((r) => r[1]));
  const heating = await heatAlerts(ctx, marks, opened, fetchedAt);
  const w = writeStatements(ctx.db);
  // In this order: items (those whose story is an earlier item of this poll after it), their hits,
  // the incidents opened, then what names both. (Pushed one by one: spreading arrays of varying
  // kinds here made V8 discard this function's optimised code.)
  const out: Statement[] = [];
  const add = (query: PreparedQuery, rows: readonly unknown[]) => {
    for (const json of jsonChunks(rows)) out.push(bound(query, { feedId, fetchedAt, json }));
  };
  if (ctx.db.rowsStatement) {
    if (itemRows.length > 0) out.push(ctx.db.rowsStatement(INSERT_ITEMS, ITEM_TUPLE, itemRows.map((r) => [feedId, ...r.slice(0, 6), fetchedAt, r[6], r[7]])));
    if (dependentRows.length > 0) out.push(ctx.db.rowsStatement(INSERT_ITEMS, DEPENDENT_ITEM_TUPLE, dependentRows.map((r) => [feedId, ...r.slice(0, 6), fetchedAt, feedId, r[6], r[7]])));
  } else {
    add(w.items, itemRows);
    add(w.dependentItems, dependentRows);
  }
  add(w.hits, hitRows);
  for (const st of statements) out.push(st);
  add(w.links, joinRows);
  add(w.signals, signalRows);
  add(w.file, fileRows);
  for (const st of heating) out.push(st);
  return {
    statements: out,
    fetched: parsed.length,
    newItems: fresh.length,
    matched: matchedItems.length,
    alerts: opened.size + heating.length,
  };
}

/** What pass 2 must read before it can place an item: a rule's open incident around a time, or the response policy. */
type PlanNeed = { ruleId: number; at: number } | 'policy';

const ruleIncidentKey = (ruleId: number, at: number) => `${ruleId}@${at}`;

/**
 * Pass 2 of a poll (see planIngest): each item's story and the incident it joins or opens, and the
 * rows that say so. `place` is synchronous, and changes nothing until it can place an item whole:
 * when it needs a read first it says which, and is called again once the read is in
 * `ruleIncidents` or `policy`. (A class of its own rather than a loop in planIngest: V8 optimises
 * a small method called for every item long before a large async function called once a poll,
 * and recompiles it much faster when its optimised code is thrown away.)
 */
class PollPlan {
  readonly pollStories: PollStories;
  /** Incidents opened or joined earlier in this poll, by rule (with their start, for the window). */
  readonly openedByRule = new Map<number, { ref: IncidentRef; startedAt: number }>();
  /** … by story, and by normalised title (t:) and link (l:). */
  readonly openedByStory = new Map<StoryRef, IncidentRef>();
  readonly openedByText = new Map<string, IncidentRef>();
  /** Incidents opened in this poll: what their heat alert says. */
  readonly opened = new Map<string, { title: string; severity: Severity; departmentCode: string | null }>();
  readonly statements: Statement[] = [];
  /** [identity, incident id or null, origin key of an incident opened in this poll or null, item time] */
  readonly joinRows: [string, number | null, string | null, number][] = [];
  /** [incident id or null, origin key or null, signal word] */
  readonly signalRows: [number | null, string | null, string][] = [];
  /** [identity, reprint index keys] */
  readonly fileRows: [string, number[]][] = [];
  /** Items as stored, and those whose story is a first item of this very poll (named by identity). */
  readonly itemRows: [string, string, string, string | null, string, number | null, number | null, string | null][] = [];
  readonly dependentRows: [string, string, string, string | null, string, number | null, string, string | null][] = [];
  readonly marks = new Map<IncidentRef, StoryMark[]>();
  /** Rules' open incidents read for this poll, by ruleIncidentKey (the database does not change while a poll is planned). */
  readonly ruleIncidents = new Map<string, { ref: number; startedAt: number } | null>();
  /** The response policy, read only if this poll opens an incident. */
  policy: ResponsePolicy | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly actor: Actor,
    private readonly feedId: number,
    private readonly rulesById: ActiveRules['byId'],
    private readonly findSignals: SignalFinder,
    private readonly candidates: StoryCandidates,
    private readonly knownStories: { lookup(link: string | null, normalizedTitle: string): number | null },
    private readonly windowMs: number,
  ) {
    this.pollStories = new PollStories(ctx.config.reprints);
  }

  place(f: NewItem): PlanNeed | null {
    const { identity, item, normalizedTitle, hits, itemTime, probe } = f;
    const stored = this.candidates.find(probe, this.pollStories);
    const local = this.pollStories.find(probe);
    const match = local && (!stored || local.closeness > stored.closeness) ? local : stored;
    const story: StoryRef = match?.story ?? identity;

    let joined: IncidentRef[] = [];
    const foundByRule: [number, { ref: IncidentRef; startedAt: number }][] = [];
    let opening: { rule: RuleRow; originKey: string } | null = null;
    // 1. The story is already in an open incident: one opened or joined earlier in this poll, or a
    //    stored one. For items that match a rule, also the same normalised title or link.
    const sameStory =
      this.openedByStory.get(story) ??
      (typeof story === 'number' ? this.candidates.openIncidentOfStory.get(story)?.id : undefined) ??
      (hits.length > 0
        ? ((normalizedTitle ? this.openedByText.get(`t:${normalizedTitle}`) : undefined) ??
          (item.link ? this.openedByText.get(`l:${item.link}`) : undefined) ??
          this.knownStories.lookup(item.link, normalizedTitle) ??
          undefined)
        : undefined);
    if (sameStory !== undefined) {
      joined = [sameStory];
    } else if (hits.length > 0) {
      // 2. Each matching rule's open incident within the window.
      for (const h of hits) {
        // The same window, either side of the item, for an incident opened earlier in this poll as
        // for one already stored: the answer must not depend on how items are split into polls.
        const inPoll = this.openedByRule.get(h.ruleId);
        let found: { ref: IncidentRef; startedAt: number } | null | undefined;
        if (inPoll && Math.abs(inPoll.startedAt - itemTime) <= this.windowMs) found = inPoll;
        else {
          found = this.ruleIncidents.get(ruleIncidentKey(h.ruleId, itemTime));
          if (found === undefined) return { ruleId: h.ruleId, at: itemTime };
        }
        if (found) {
          joined.push(found.ref);
          foundByRule.push([h.ruleId, found]);
        }
      }
      // 3. Otherwise the strictest matching rule opens a new incident.
      if (joined.length === 0) {
        if (this.policy === undefined) return 'policy';
        const rule = this.rulesById.get(hits[0]!.ruleId)!;
        opening = { rule, originKey: `feed:${this.feedId}:${identity}:rule:${rule.id}` };
        joined = [opening.originKey];
      }
    }

    // Placed: from here on, what the poll writes.
    if (typeof story === 'string' && story !== identity) {
      this.dependentRows.push([identity, item.title, normalizedTitle, item.link, item.summary, item.publishedAt, story, probe.fp.simhash]);
    } else {
      this.itemRows.push([identity, item.title, normalizedTitle, item.link, item.summary, item.publishedAt, typeof story === 'number' ? story : null, probe.fp.simhash]);
    }
    for (const [ruleId, found] of foundByRule) this.openedByRule.set(ruleId, found);
    if (opening) {
      const { rule, originKey } = opening;
      const statements = openIncidentStatements(this.ctx, this.actor, this.policy!, {
        title: item.title,
        severity: rule.severity,
        startedAt: itemTime,
        departmentCode: rule.departmentCode,
        summary: item.summary || null,
        ruleId: rule.id,
        originKey,
      }).statements;
      for (const st of statements) this.statements.push(st);
      this.opened.set(originKey, { title: item.title, severity: rule.severity, departmentCode: rule.departmentCode });
      this.openedByRule.set(rule.id, { ref: originKey, startedAt: itemTime });
    }
    if (joined.length === 0) return null;
    this.openedByStory.set(story, joined[0]!);
    if (normalizedTitle) this.openedByText.set(`t:${normalizedTitle}`, joined[0]!);
    if (item.link) this.openedByText.set(`l:${item.link}`, joined[0]!);
    const keys = filingKeys(probe, this.ctx.config.reprints, match?.duplicate);
    this.pollStories.add(probe, story, keys);
    this.fileRows.push([identity, keys]);
    // (Not stored back into f: a field that changes from null to an array changes the object's
    // shape, and V8 threw the optimised code away when it did.)
    const signals = f.signals ?? this.findSignals(f.text);
    for (const ref of joined) {
      const id = typeof ref === 'number' ? ref : null;
      const key = typeof ref === 'string' ? ref : null;
      this.joinRows.push([identity, id, key, itemTime]);
      for (const word of signals) this.signalRows.push([id, key, word]);
      const list = this.marks.get(ref);
      if (list) list.push({ story, at: itemTime });
      else this.marks.set(ref, [{ story, at: itemTime }]);
    }
    return null;
  }
}

/**
 * Pass 1 of a poll, for its new items entries[from..to): each normalised once (for rules, signals
 * and the body's fingerprint), matched and fingerprinted, added to `fresh`, with its rule hits
 * added to `hitRows`. A rule with minSignal ignores items with fewer signal words. (A function of
 * its own: V8 optimises and, when a new context comes by, re-optimises a small function much
 * faster than the whole of planIngest.)
 */
function newItemsOfPoll(
  ctx: AppContext,
  entries: readonly [string, ParsedItem][],
  from: number,
  to: number,
  rules: ActiveRules,
  fetchedAt: number,
  fresh: NewItem[],
  hitRows: [string, number, string][],
): void {
  const { matcher, byId } = rules;
  const findSignals = signalFinder(ctx);
  for (let i = from; i < to; i++) {
    const [identity, item] = entries[i]!;
    const normalizedTitle = normalizeText(item.title);
    const normalizedBody = normalizeText(item.summary);
    const text = normalizedBody ? `${normalizedTitle} ${normalizedBody}` : normalizedTitle;
    // The signal words are looked for only where they count: for a rule with minSignal, and in
    // items that join an incident (pass 2).
    let signals: string[] | null = null;
    const found = matcher.matchNormalized(text);
    const hits =
      found.length === 0
        ? found
        : found
            .filter((h) => {
              const rule = byId.get(h.ruleId);
              return rule !== undefined && (rule.minSignal <= 0 || (signals ??= findSignals(text)).length >= rule.minSignal);
            })
            .sort((a, b) => SEVERITY_RANK[byId.get(b.ruleId)!.severity] - SEVERITY_RANK[byId.get(a.ruleId)!.severity] || a.ruleId - b.ruleId);
    for (const h of hits) hitRows.push([identity, h.ruleId, JSON.stringify(h.terms)]);
    const itemTime = item.publishedAt !== null && item.publishedAt <= fetchedAt ? item.publishedAt : fetchedAt;
    const probe = probeFor(ctx, { title: item.title, normalizedTitle, normalizedBody, link: item.link }, itemTime);
    fresh.push({ identity, item, normalizedTitle, text, itemTime, hits, signals, probe });
  }
}

// The same inserts of items, ten rows to a statement, where the driver offers rowsStatement (see Database).
const ITEM_COLUMNS = 'feed_id, identity, title, normalized_title, link, summary, published_at, fetched_at, story_id, simhash';
const INSERT_ITEMS = `INSERT INTO items (${ITEM_COLUMNS})`;
const ITEM_TUPLE = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const DEPENDENT_ITEM_TUPLE = '(?, ?, ?, ?, ?, ?, ?, ?, (SELECT id FROM items WHERE feed_id = ? AND identity = ?), ?)';

// --- The writes of every poll, compiled once per database -----------------------------------------
//
// Every poll writes its rows with the same few statements (the rows go as one JSON parameter), so
// they are built and prepared once per database with placeholders and batched with each poll's
// values, as the notification sender does: building and preparing them cost about as much as
// running them.

function prepareWrites(db: Database) {
  const orm = db.orm;
  const feedId = sql.placeholder('feedId');
  const fetchedAt = sql.placeholder('fetchedAt');
  const json = sql.placeholder('json');
  const incidentRef = (i: number, k: number) => sql`COALESCE(${at(i)}, (SELECT id FROM incidents WHERE origin_key = ${at(k)}))`;
  const prepared = (query: { prepare(): unknown }) => query.prepare() as PreparedQuery;
  return {
    // Columns in table order: id (NULL: assigned), feed, identity, title, normalised title, link,
    // summary, published, fetched, story (null: its own), simhash, in an incident (0: the trigger
    // of incident_items sets it).
    items: prepared(
      orm
        .insert(items)
        .select(sql`SELECT NULL, ${feedId}, ${at(0)}, ${at(1)}, ${at(2)}, ${at(3)}, ${at(4)}, ${at(5)}, ${fetchedAt}, ${at(6)}, ${at(7)}, 0 FROM json_each(${json}) AS j`),
    ),
    // Items whose story began with another item of this poll: that item is stored by now.
    dependentItems: prepared(
      orm
        .insert(items)
        .select(
          sql`SELECT NULL, ${feedId}, ${at(0)}, ${at(1)}, ${at(2)}, ${at(3)}, ${at(4)}, ${at(5)}, ${fetchedAt}, (SELECT id FROM items WHERE feed_id = ${feedId} AND identity = ${at(6)}), ${at(7)}, 0 FROM json_each(${json}) AS j`,
        ),
    ),
    // item (by feed and identity), rule, terms.
    hits: prepared(
      orm.insert(itemRuleHits).select(sql`SELECT (SELECT id FROM items WHERE feed_id = ${feedId} AND identity = ${at(0)}), ${at(1)}, ${at(2)} FROM json_each(${json}) AS j`),
    ),
    // Every link of an item to an incident in one statement, after the incidents it names.
    links: prepared(
      orm
        .insert(incidentItems)
        .select(
          sql`SELECT ${incidentRef(1, 2)}, (SELECT id FROM items WHERE feed_id = ${feedId} AND identity = ${at(0)}), ${fetchedAt}, ${at(3)} FROM json_each(${json}) AS j WHERE true`,
        )
        // (WHERE true: SQLite would otherwise read ON CONFLICT as a join's ON.)
        .onConflictDoNothing(),
    ),
    signals: prepared(orm.insert(incidentSignals).select(sql`SELECT ${incidentRef(0, 1)}, ${at(2)} FROM json_each(${json}) AS j WHERE true`).onConflictDoNothing()),
    file: prepared(fileQuery(orm, feedId, json)),
  };
}

const writesByDb = new WeakMap<Database, ReturnType<typeof prepareWrites>>();

function writeStatements(db: Database) {
  let prepared = writesByDb.get(db);
  if (!prepared) writesByDb.set(db, (prepared = prepareWrites(db)));
  return prepared;
}

/**
 * `incident_heating` (SPEC §14) for the incidents this poll added items to, as of the fetch: their
 * stories over the last 25 hours (the stored ones read in one query) with this poll's. At most
 * one per incident in `alertEveryHours`: the last one is looked up, and the key names the slot,
 * so that two polls at once cannot both record one.
 */
async function heatAlerts(
  ctx: AppContext,
  marks: Map<IncidentRef, StoryMark[]>,
  opened: Map<string, { title: string; severity: Severity; departmentCode: string | null }>,
  asOf: number,
): Promise<Statement[]> {
  if (marks.size === 0) return [];
  const settings = ctx.config.heat;
  const stored = [...marks.keys()].filter((r): r is number => typeof r === 'number');
  const facts = new Map<IncidentRef, { title: string; severity: Severity; departmentCode: string | null; lastAlertAt: number | null }>();
  for (const [key, f] of opened) facts.set(key, { ...f, lastAlertAt: null });
  const now = ctx.now();
  const recentlyAlerted = (f: { lastAlertAt: number | null }) => f.lastAlertAt !== null && f.lastAlertAt > now - settings.alertEveryHours * 3_600_000;
  /** Stored incidents whose marks are complete: those that may be heating. */
  const complete = new Set<number>();
  if (stored.length > 0) {
    const incidentRows = await preparedAll<{ id: number; title: string; severity: Severity; departmentCode: string | null; lastAlertAt: number | null }>(
      ctx.db,
      'heat-incidents',
      () => sql`
      SELECT inc.id AS id, inc.title AS title, inc.severity AS severity, inc.department_code AS departmentCode,
        (SELECT MAX(a.created_at) FROM alerts AS a WHERE a.type = 'incident_heating' AND a.incident_id = inc.id) AS lastAlertAt
      FROM json_each(${sql.placeholder('ids')}) AS x CROSS JOIN incidents AS inc WHERE inc.id = x.value`,
      { ids: JSON.stringify(stored) },
    );
    for (const r of incidentRows) facts.set(r.id, r);
    // Only incidents that could be alerted now need their stored heat: not those alerted within
    // alertEveryHours (no alert either way), and not those that would not be heating even with a
    // baseline of nothing (heating only gets less likely as the baseline μ grows: the ratio and z
    // both fall), which their last window alone tells. Of the rest, only what heatOf counts: the
    // distinct stories of each window (window k holds the items at in (asOf − (k+1)·w, asOf − k·w]),
    // as one mark per window and story at the window's end, rather than every item of a story
    // reprinted a thousand times.
    const window = settings.windowMinutes * 60_000;
    const candidates = stored.filter((id) => {
      const f = facts.get(id);
      return f !== undefined && !recentlyAlerted(f);
    });
    const current = await storedHeatMarks(ctx, candidates, asOf, asOf - window, window);
    const wanted = candidates.filter((id) => heatOf([...marks.get(id)!, ...(current.get(id) ?? [])], asOf, settings).heating);
    for (const [id, list] of await storedHeatMarks(ctx, wanted, asOf, asOf - heatSpanMs(settings), window)) marks.get(id)!.push(...list);
    for (const id of wanted) complete.add(id);
  }
  const statements: Statement[] = [];
  for (const [ref, list] of marks) {
    const f = facts.get(ref);
    if (!f || recentlyAlerted(f) || (typeof ref === 'number' && !complete.has(ref))) continue;
    const heat = heatOf(list, asOf, settings);
    if (!heat.heating) continue;
    // Keyed by incident and slot. (A bound number may arrive as a REAL, so the key is text.)
    const slot = String(heatingSlot(asOf, settings));
    const id = typeof ref === 'number' ? ref : sql`(SELECT id FROM incidents WHERE origin_key = ${ref})`;
    statements.push(
      ctx.db.orm
        .insert(alerts)
        .values({
          type: 'incident_heating',
          incidentId: id,
          dedupeKey: typeof ref === 'number' ? `incident_heating:${ref}:${slot}` : sql`'incident_heating:' || ${id} || ':' || ${slot}`,
          message: heatingMessage(f.title, heat, settings),
          departmentCode: f.departmentCode,
          severity: f.severity,
          subject: f.title,
          createdAt: now,
        })
        .onConflictDoNothing(),
    );
  }
  return statements;
}

/**
 * The stored items of these incidents with a time in (from, asOf], as heatOf counts them: one mark
 * per incident, window of `window` ms ending at asOf − k·window, and distinct story, at the
 * window's end. One query.
 */
async function storedHeatMarks(ctx: AppContext, ids: readonly number[], asOf: number, from: number, window: number): Promise<Map<number, StoryMark[]>> {
  const out = new Map<number, StoryMark[]>();
  if (ids.length === 0) return out;
  const p = (name: string) => sql.placeholder(name);
  const rows = await preparedAll<{ incident: number; story: number; bin: number }>(
    ctx.db,
    'heat-marks',
    () => sql`
    SELECT DISTINCT ii.incident_id AS incident, COALESCE(i.story_id, i.id) AS story, CAST((${p('asOf')} - ii.item_at) / ${p('window')} AS INTEGER) AS bin
    FROM json_each(${p('ids')}) AS x CROSS JOIN incident_items AS ii INDEXED BY incident_items_heat_idx CROSS JOIN items AS i
    WHERE ii.incident_id = x.value AND ii.item_at > ${p('from')} AND ii.item_at <= ${p('asOf')} AND i.id = ii.item_id`,
    { ids: JSON.stringify(ids), asOf, window, from },
  );
  for (const r of rows) {
    const mark = { story: r.story, at: asOf - r.bin * window };
    const list = out.get(r.incident);
    if (list) list.push(mark);
    else out.set(r.incident, [mark]);
  }
  return out;
}

/** What an incident_heating alert says. */
export function heatingMessage(title: string, heat: Heat, settings: HeatSettings): string {
  const window = settings.windowMinutes === 60 ? '近 1 小时' : `近 ${settings.windowMinutes} 分钟`;
  const per = settings.windowMinutes === 60 ? '每小时' : `每 ${settings.windowMinutes} 分钟`;
  const baseline = Math.round(heat.baseline * 10) / 10;
  return `舆情事件「${title}」热度上升：${window}有 ${heat.current} 篇不同报道，此前 ${settings.baselineHours} 小时平均${per} ${baseline} 篇`;
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
  // (Both indexes hold only the items in incidents, so the lookup says in_incident = 1 to use them:
  // migration 0012.)
  const latest = async (column: 'normalized_title' | 'link', keys: string[]) => {
    const byKey = new Map<string, { id: number; startedAt: number }>();
    if (keys.length === 0) return byKey;
    const rows = await preparedAll<{ k: string; id: number; startedAt: number }>(
      ctx.db,
      `open-incidents-by-${column}`,
      () => sql`
      SELECT k.value AS k, incidents.id AS id, MAX(incidents.started_at) AS startedAt
      FROM json_each(${sql.placeholder('keys')}) AS k
      JOIN incidents ON incidents.status = 'open'
      WHERE EXISTS (
        SELECT 1 FROM items INDEXED BY ${sql.raw(column === 'link' ? 'items_incident_link_idx' : 'items_incident_title_idx')}
        JOIN incident_items ON incident_items.incident_id = incidents.id AND incident_items.item_id = items.id
        WHERE ${sql.raw(`items.${column}`)} = k.value AND items.in_incident = 1)
      GROUP BY k.value`,
      { keys: JSON.stringify(keys) },
    );
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
