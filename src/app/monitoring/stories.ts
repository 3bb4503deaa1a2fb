import { sql, type SQL } from 'drizzle-orm';
import {
  closeness,
  fingerprint,
  isSameStory,
  KEY_HASH_BITS,
  keyHash,
  keyPrefix,
  reprintKeys,
  resemblance,
  timeBucket,
  type Fingerprint,
  type ReprintSettings,
  type Resemblance,
  withSimhash,
} from '../../domain/monitoring/reprints.js';
import type { Database, Orm } from '../../db/database.js';
import { reprintKeys as reprintKeysTable } from '../../db/schema.js';
import type { AppContext } from '../context.js';

// Stories (SPEC §14) at ingest. Every item that joins an incident is filed in the reprint index
// (reprint_keys) under its fingerprint's keys; every new item looks its own keys up there, and
// the items found are compared exactly. The cost per new item is a fixed number of index lookups
// plus the few items that share a key — not a function of how many items are stored.

/** A story: the id of its first item in the database, or the identity of a first item of this very poll. */
export type StoryRef = number | string;

/** A stored item found under one of a new item's keys, with what it is compared by. */
export interface Candidate {
  id: number;
  story: number;
  feedId: number;
  at: number;
  fp: Fingerprint;
}

/** A new item, ready to be compared: its fingerprint, its time and its keys in its own bucket. */
export interface StoryProbe {
  fp: Fingerprint;
  at: number;
  keys: number[];
}

/** An item's fingerprint and the keys it is looked up by. */
export function probeFor(ctx: AppContext, item: { title: string; normalizedTitle?: string; normalizedBody: string; link: string | null }, at: number): StoryProbe {
  const settings = ctx.config.reprints;
  const fp = fingerprint(item, settings);
  return { fp, at, keys: reprintKeys(fp, timeBucket(at, settings), settings) };
}

/** The story an item reprints, how close the match is, and whether it is a duplicate of a filed item. */
export interface StoryMatch<S> {
  story: S;
  closeness: number;
  /** What the item repeats of the matched item, filed in the same time bucket: see filingKeys. */
  duplicate: Duplicate;
}

/** An item's title or body is exactly that of an item filed in the same time bucket. */
export interface Duplicate {
  title: boolean;
  body: boolean;
}

const NOT_DUPLICATE: Duplicate = { title: false, body: false };

function duplicateOf(a: StoryProbe, b: Fingerprint, bAt: number, r: Resemblance, settings: ReprintSettings): Duplicate {
  if (timeBucket(a.at, settings) !== timeBucket(bAt, settings)) return NOT_DUPLICATE;
  return { title: r.titleJaccard === 1 && a.fp.shingles.length > 0, body: r.bodyDistance === 0 };
}

/**
 * The keys an item is filed under: those of its own time bucket and of both neighbours, so that
 * a later item looking in its own bucket finds every item within the window on either side.
 * What an item repeats exactly of the item it matched, filed in the same bucket (the same title
 * bigrams, the same body SimHash: a 通稿 reprinted word for word), is not filed again: those keys
 * are the matched item's keys, and a story reprinted a thousand times would otherwise make every
 * later lookup of them read a thousand items. (A later item within the window of this one but
 * not of the matched item then finds neither by those keys: a story whose identical reprints go
 * on for longer than the window may start again as a new story.)
 */
export function filingKeys(probe: StoryProbe, settings: ReprintSettings, duplicate: Duplicate = NOT_DUPLICATE): number[] {
  if (duplicate.title || duplicate.body) {
    probe = { ...probe, fp: { ...probe.fp, minhash: duplicate.title ? new Uint32Array(0) : probe.fp.minhash, simhash: duplicate.body ? null : probe.fp.simhash } };
  }
  const bucket = timeBucket(probe.at, settings);
  return [...reprintKeys(probe.fp, bucket - 1, settings), ...reprintKeys(probe.fp, bucket, settings), ...reprintKeys(probe.fp, bucket + 1, settings)];
}

/**
 * How many of the items filed under one key a new item is compared with: the most recently filed.
 * A story reprinted with small changes thousands of times in a week files thousands of items under
 * the same keys; without a bound each new reprint would be compared with all of them (a poll of
 * 4,000 such items took 3.6 s, and a poll of 100 took 0.2 s once 3,500 were stored, growing
 * without end). The most recent are the likeliest within the window. An item close only to older
 * members of a story that busy, and to none of its last CANDIDATES_PER_KEY under any shared key,
 * starts a story of its own.
 */
export const CANDIDATES_PER_KEY = 32;

/**
 * 2^32: an index entry is key × 2^32 + item id. Computed in SQL, as integer literals: the products
 * exceed 2^53, and a bound parameter might be taken for a REAL.
 */
const SHIFT = sql.raw('4294967296');

// --- Reads prepared once per database ------------------------------------------------------------
//
// Every poll runs the same few reads. drizzle's `all(sql)` builds and prepares its statement on
// each call, which costs about as much as running it; these are built and prepared once per
// database, with placeholders, and run with each poll's values. (drizzle has no public way to
// prepare a raw query: this is what its `all` does, minus the preparing on every call.)

interface PreparedRead {
  all(values: Record<string, unknown>): unknown;
}

const readsByDb = new WeakMap<Database, Map<string, PreparedRead>>();

/** Runs the read `name` (built by `build`, with sql.placeholder for its values) with `values`. */
export async function preparedAll<T>(db: Database, name: string, build: () => SQL, values: Record<string, unknown>): Promise<T[]> {
  let reads = readsByDb.get(db);
  if (!reads) readsByDb.set(db, (reads = new Map()));
  let read = reads.get(name);
  if (!read) {
    const orm = db.orm as unknown as {
      dialect: { sqlToQuery(query: SQL): unknown };
      session: { prepareQuery(query: unknown, fields: undefined, executeMethod: 'all', isResponseInArrayMode: boolean): PreparedRead };
    };
    read = orm.session.prepareQuery(orm.dialect.sqlToQuery(build()), undefined, 'all', false);
    reads.set(name, read);
  }
  return (await read.all(values)) as T[];
}

const keysParam = sql.placeholder('keys');

// --- Which keys the index may hold, kept in memory ---------------------------------------------
//
// Most of a poll's items reprint nothing filed: looking up their ~15 keys each is most of what
// finding stories costs. Where the driver says when another connection writes (better-sqlite3),
// a bit per possible key of each recent time bucket says whether the index may hold it, and only
// the keys whose bit is set are looked up. A bit is never missing for a filed key: a bucket's bits
// are read from the table, then every key this process files is added when its poll is planned
// (before that poll commits), and when another connection has written, the bits are read again
// (with what this process filed in the last minutes, which may not have committed yet). A bit set
// for nothing (a poll that failed, a deleted entry) only costs a lookup.

/** Buckets kept (128 KiB each): the current week, its neighbours, and a few older ones. */
const FILTER_BUCKETS = 8;
/** How long keys filed by this process are re-applied when the bits are read again. */
const RECENT_FILING_MS = 10 * 60_000;
/** 2^52: the first index entry of a bucket is bucket × 2^20 (its first key) × 2^32. */
const BUCKET_SPAN = sql.raw('4503599627370496');

class KeyFilter {
  private version: number;
  private readonly buckets = new Map<number, Promise<Uint32Array>>();
  /** The buckets of `buckets` whose bits are read (looked up, and filed into, without waiting). */
  private readonly loaded = new Map<number, Uint32Array>();
  /** Bumped when the bits are dropped: a read begun before then does not become `loaded`. */
  private generation = 0;
  private readonly recent: { at: number; keys: readonly number[] }[] = [];

  constructor(
    private readonly db: Database,
    private readonly dataVersion: () => number,
  ) {
    this.version = dataVersion();
  }

  /**
   * The keys of `keyLists` that the index may hold (never one it holds is left out), in no
   * particular order and perhaps repeated.
   */
  async mayHold(keyLists: readonly (readonly number[])[]): Promise<number[]> {
    this.checkVersion();
    const out: number[] = [];
    let prefix = -1;
    let bits: Uint32Array | undefined;
    for (const keys of keyLists) {
      for (const key of keys) {
        // A poll's keys are of one or two buckets (the bucket is their high bits).
        if (keyPrefix(key) !== prefix) {
          prefix = keyPrefix(key);
          bits = this.loaded.get(prefix) ?? (await this.bucket(prefix));
        }
        const h = keyHash(key);
        if ((bits![h >>> 5]! >>> (h & 31)) & 1) out.push(key);
      }
    }
    return out;
  }

  /** Keys being filed by a poll of this process (call before it commits). */
  add(keys: readonly number[]): void {
    if (keys.length === 0) return;
    const now = Date.now();
    this.recent.push({ at: now, keys });
    while (this.recent.length > 0 && this.recent[0]!.at < now - RECENT_FILING_MS) this.recent.shift();
    // A bucket still being read gets these keys from `recent` when its read ends.
    for (const [prefix, bits] of this.loaded) setBits(bits, prefix, keys);
  }

  private checkVersion(): void {
    const version = this.dataVersion();
    if (version !== this.version) {
      this.version = version;
      this.generation++;
      this.buckets.clear();
      this.loaded.clear();
    }
  }

  private bucket(prefix: number): Promise<Uint32Array> {
    let bits = this.buckets.get(prefix);
    if (!bits) {
      if (this.buckets.size >= FILTER_BUCKETS) {
        const oldest = this.buckets.keys().next().value!;
        this.buckets.delete(oldest);
        this.loaded.delete(oldest);
      }
      bits = this.load(prefix, this.generation);
      this.buckets.set(prefix, bits);
    }
    return bits;
  }

  private async load(prefix: number, generation: number): Promise<Uint32Array> {
    const bits = new Uint32Array(2 ** KEY_HASH_BITS / 32);
    const rows = await preparedAll<{ h: number }>(
      this.db,
      'reprint-bucket',
      () => sql`
      SELECT DISTINCT (r.k >> 32) & ${sql.raw(String(2 ** KEY_HASH_BITS - 1))} AS h FROM json_each(${sql.placeholder('prefix')}) AS p CROSS JOIN reprint_keys AS r
      WHERE r.k >= p.value * ${BUCKET_SPAN} AND r.k < (p.value + 1) * ${BUCKET_SPAN}`,
      { prefix: JSON.stringify([prefix]) },
    );
    for (const r of rows) bits[r.h >>> 5]! |= 1 << (r.h & 31);
    // Filed by this process, perhaps not committed yet: the table may not show them.
    for (const { keys } of this.recent) setBits(bits, prefix, keys);
    // From here on, add() files into these bits directly (in the same turn: nothing is missed).
    if (generation === this.generation && this.buckets.has(prefix)) this.loaded.set(prefix, bits);
    return bits;
  }
}

function setBits(bits: Uint32Array, prefix: number, keys: readonly number[]): void {
  for (const key of keys) {
    if (keyPrefix(key) !== prefix) continue;
    const h = keyHash(key);
    bits[h >>> 5]! |= 1 << (h & 31);
  }
}

/** The numbers of `lists`, distinct and ascending (numbers in [0, 2^32)). */
function distinctAscending(lists: readonly (readonly number[])[]): number[] {
  let total = 0;
  for (const list of lists) total += list.length;
  const sorted = new Uint32Array(total);
  total = 0;
  for (const list of lists) for (const k of list) sorted[total++] = k;
  sorted.sort();
  const out: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) out.push(sorted[i]!);
  return out;
}

const filters = new WeakMap<Database, KeyFilter | null>();

/** The key filter of a database, or null where the driver cannot say when others write (D1). */
export function keyFilter(db: Database): KeyFilter | null {
  let filter = filters.get(db);
  if (filter === undefined) {
    const version = db.dataVersion?.bind(db);
    filters.set(db, (filter = version ? new KeyFilter(db, version) : null));
  }
  return filter;
}

/** Stored items kept by candidateCache, per database. */
const CANDIDATE_CACHE_ITEMS = 10_000;

/**
 * The stored items last found as candidates, by id: a story reprinted all day is found under the
 * same keys poll after poll, and its latest items were read and fingerprinted again by each. What
 * an item is compared by (its title's bigrams, SimHash, link, story, time and feed) never changes
 * once stored: items are not edited and their ids are not reused. The service never deletes an
 * item either, but another connection might (a feed deleted by hand, with its items): where the
 * driver says when another connection writes (better-sqlite3), the cache is dropped then, and
 * where it cannot (D1) there is no cache. The least recently used go first.
 */
export class CandidateCache {
  private readonly items = new Map<number, Candidate>();
  private version: number;

  constructor(
    private readonly dataVersion: () => number,
    private readonly capacity = CANDIDATE_CACHE_ITEMS,
  ) {
    this.version = dataVersion();
  }

  /** Drops everything when another connection has written since the last call. */
  checkVersion(): void {
    const version = this.dataVersion();
    if (version !== this.version) {
      this.version = version;
      this.items.clear();
    }
  }

  get(id: number): Candidate | undefined {
    const found = this.items.get(id);
    if (found) {
      this.items.delete(id);
      this.items.set(id, found);
    }
    return found;
  }

  set(id: number, candidate: Candidate): void {
    this.items.set(id, candidate);
    if (this.items.size > this.capacity) this.items.delete(this.items.keys().next().value!);
  }
}

const candidateCaches = new WeakMap<Database, CandidateCache | null>();

/** The candidate cache of a database, as of now, or null where there is none (D1). */
function candidateCache(db: Database): CandidateCache | null {
  let cache = candidateCaches.get(db);
  if (cache === undefined) {
    const version = db.dataVersion?.bind(db);
    candidateCaches.set(db, (cache = version ? new CandidateCache(version) : null));
  }
  cache?.checkVersion();
  return cache;
}

/**
 * What a poll's new items may reprint: the stored items that share a key with any of them (one
 * lookup query for all keys, one read of the items found), and the open incident that carries
 * each of their stories (one more query).
 */
export class StoryCandidates {
  private constructor(
    private readonly settings: ReprintSettings,
    private readonly byKey: Map<number, Candidate[]>,
    /** Story → the open incident started last among those holding one of its items. */
    readonly openIncidentOfStory: Map<number, { id: number; startedAt: number }>,
  ) {}

  static async load(ctx: AppContext, probes: readonly StoryProbe[]): Promise<StoryCandidates> {
    const settings = ctx.config.reprints;
    // Where the filter says which keys the index may hold, only those are looked up. Distinct and
    // ascending (the probes then walk the index in order, each near the one before), sorted as
    // numbers in a typed array: keys are in [0, 2^31).
    const filter = keyFilter(ctx.db);
    const keys = distinctAscending(filter ? [await filter.mayHold(probes.map((p) => p.keys))] : probes.map((p) => p.keys));
    const byKey = new Map<number, Candidate[]>();
    if (keys.length === 0) return new StoryCandidates(settings, byKey, new Map());
    // Per key, the CANDIDATES_PER_KEY entries of the highest item ids (the latest filed): from the
    // CANDIDATES_PER_KEY-th of them (found walking the key's range backwards), or the whole range
    // when it holds fewer.
    const hits = await preparedAll<{ key: number; item: number }>(
      ctx.db,
      'reprint-hits',
      () => sql`
      SELECT j.value AS key, r.k & 4294967295 AS item
      FROM json_each(${keysParam}) AS j CROSS JOIN reprint_keys AS r
      WHERE r.k BETWEEN COALESCE(
          (SELECT x.k FROM reprint_keys AS x WHERE x.k BETWEEN j.value * ${SHIFT} AND j.value * ${SHIFT} + 4294967295
           ORDER BY x.k DESC LIMIT 1 OFFSET ${sql.raw(String(CANDIDATES_PER_KEY - 1))}),
          j.value * ${SHIFT})
        AND j.value * ${SHIFT} + 4294967295`,
      { keys: JSON.stringify(keys) },
    );
    if (hits.length === 0) return new StoryCandidates(settings, byKey, new Map());
    const ids = [...new Set(hits.map((h) => h.item))];
    const byId = new Map<number, Candidate>();
    // The items read for an earlier poll are not read again (see candidateCache).
    const cache = candidateCache(ctx.db);
    const missing: number[] = [];
    for (const id of ids) {
      const known = cache?.get(id);
      if (known) byId.set(id, known);
      else missing.push(id);
    }
    const rows =
      missing.length === 0
        ? []
        : await preparedAll<{ id: number; feedId: number; title: string; link: string | null; simhash: string | null; story: number; at: number }>(
            ctx.db,
            'reprint-candidates',
            () => sql`
      SELECT i.id AS id, i.feed_id AS feedId, i.title AS title, i.link AS link, i.simhash AS simhash,
        COALESCE(i.story_id, i.id) AS story,
        CASE WHEN i.published_at IS NOT NULL AND i.published_at <= i.fetched_at THEN i.published_at ELSE i.fetched_at END AS at
      FROM json_each(${keysParam}) AS j CROSS JOIN items AS i WHERE i.id = j.value`,
            { keys: JSON.stringify(missing) },
          );
    // Only what the comparison needs: the stored simhash, and the title's bigrams (no MinHash).
    const titleOnly = { ...settings, bands: 0 };
    for (const r of rows) {
      const fp = fingerprint({ title: r.title, normalizedBody: '', link: r.link }, titleOnly);
      const candidate = { id: r.id, story: r.story, feedId: r.feedId, at: r.at, fp: withSimhash(fp, r.simhash) };
      byId.set(r.id, candidate);
      cache?.set(r.id, candidate);
    }
    for (const h of hits) {
      const c = byId.get(h.item);
      if (!c) continue;
      const list = byKey.get(h.key);
      if (list) list.push(c);
      else byKey.set(h.key, [c]);
    }
    // The latest filed first (see find).
    for (const list of byKey.values()) list.sort((a, b) => b.id - a.id);
    const stories = [...new Set(Array.from(byId.values(), (c) => c.story))];
    const open = new Map<number, { id: number; startedAt: number }>();
    const incidents = await preparedAll<{ story: number; id: number; startedAt: number }>(
      ctx.db,
      'story-incidents',
      // story_incidents (kept by triggers): one row per incident holding the story, however many
      // items the story has.
      () => sql`
      SELECT s.value AS story, inc.id AS id, MAX(inc.started_at) AS startedAt
      FROM json_each(${keysParam}) AS s CROSS JOIN story_incidents AS si CROSS JOIN incidents AS inc
      WHERE si.story_id = s.value AND inc.id = si.incident_id AND inc.status = 'open'
      GROUP BY s.value`,
      { keys: JSON.stringify(stories) },
    );
    for (const r of incidents) open.set(r.story, { id: r.id, startedAt: r.startedAt });
    return new StoryCandidates(settings, byKey, open);
  }

  /**
   * The stored story the probe reprints, the closest resemblance first, or null. Under each key,
   * the CANDIDATES_PER_KEY items filed last count, those of this poll (`poll`) first: as if this
   * poll's earlier items had been stored in a poll of their own.
   */
  find(probe: StoryProbe, poll?: PollStories): StoryMatch<number> | null {
    let best: StoryMatch<number> | null = null;
    const windowMs = this.settings.windowHours * 3_600_000;
    // (Most items find nothing: the set is made only for one that does.)
    let seen: Set<number> | null = null;
    for (const key of probe.keys) {
      const list = this.byKey.get(key);
      if (list === undefined) continue;
      const room = Math.min(list.length, CANDIDATES_PER_KEY - (poll?.filedUnder(key) ?? 0));
      for (let i = 0; i < room; i++) {
        const c = list[i]!;
        if (seen?.has(c.id)) continue;
        (seen ??= new Set()).add(c.id);
        if (Math.abs(c.at - probe.at) > windowMs) continue;
        const r = resemblance(probe.fp, c.fp);
        if (!isSameStory(r, this.settings)) continue;
        const score = closeness(r);
        if (best === null || score > best.closeness || (score === best.closeness && c.story > best.story)) best = { story: c.story, closeness: score, duplicate: duplicateOf(probe, c.fp, c.at, r, this.settings) };
      }
    }
    return best;
  }
}

/**
 * The items of one poll filed so far (those that joined an incident), indexed like the table, so
 * that later items of the same poll find them exactly as they would in a later poll.
 */
export class PollStories {
  private readonly byKey = new Map<number, { probe: StoryProbe; story: StoryRef }[]>();

  constructor(private readonly settings: ReprintSettings) {}

  /**
   * Files an item under `keys`: those the table gets for it (filingKeys with its match's
   * duplicate, so that what it repeats exactly of that match is left out here as there).
   */
  add(probe: StoryProbe, story: StoryRef, keys: readonly number[]): void {
    for (const key of keys) {
      const list = this.byKey.get(key);
      if (list) list.push({ probe, story });
      else this.byKey.set(key, [{ probe, story }]);
    }
  }

  /** How many items of this poll are filed under a key. */
  filedUnder(key: number): number {
    return this.byKey.get(key)?.length ?? 0;
  }

  find(probe: StoryProbe): StoryMatch<StoryRef> | null {
    let best: StoryMatch<StoryRef> | null = null;
    const windowMs = this.settings.windowHours * 3_600_000;
    let seen: Set<StoryProbe> | null = null;
    for (const key of probe.keys) {
      const list = this.byKey.get(key);
      if (list === undefined) continue;
      // The CANDIDATES_PER_KEY filed last (as StoryCandidates.find), in the order filed.
      for (let i = Math.max(0, list.length - CANDIDATES_PER_KEY); i < list.length; i++) {
        const entry = list[i]!;
        if (seen?.has(entry.probe)) continue;
        (seen ??= new Set()).add(entry.probe);
        if (Math.abs(entry.probe.at - probe.at) > windowMs) continue;
        const r = resemblance(probe.fp, entry.probe.fp);
        if (!isSameStory(r, this.settings)) continue;
        const score = closeness(r);
        if (best === null || score > best.closeness) best = { story: entry.story, closeness: score, duplicate: duplicateOf(probe, entry.probe.fp, entry.probe.at, r, this.settings) };
      }
    }
    return best;
  }
}

/**
 * Files items of one feed in the reprint index: rows of [identity, keys] as JSON, the item found by
 * feed and identity (so that items inserted earlier in the same batch can be named). `feedId` and
 * `json` are values or placeholders (ingest prepares this statement once per database).
 */
export function fileQuery(orm: Orm, feedId: unknown, json: unknown) {
  return orm
    .insert(reprintKeysTable)
    .select(
      sql`SELECT k.value * ${SHIFT} + i.id FROM json_each(${json}) AS j CROSS JOIN items AS i CROSS JOIN json_each(j.value, '$[1]') AS k WHERE i.feed_id = ${feedId} AND i.identity = json_extract(j.value, '$[0]')`,
    )
    .onConflictDoNothing();
}
