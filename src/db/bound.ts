import { fillPlaceholders, sql } from 'drizzle-orm';
import type { Statement } from './database.js';

// Statements compiled once per database with placeholders and batched with each use's values
// (the notification sender's claim and record, ingest's writes of a poll): building the SQL with
// drizzle and preparing it cost about as much as running it.

/** What drizzle's prepared query offers (both drivers): its SQL and params, and running it with values. */
export interface PreparedQuery {
  getQuery(): { sql: string; params: unknown[] };
  execute(values?: Record<string, unknown>): unknown;
}

interface BoundQuery extends PreparedQuery {
  /** Named so as not to shadow what drizzle's prepared queries have (`values()` among them). */
  boundQuery: PreparedQuery;
  boundValues: Record<string, unknown>;
  _prepare(): BoundQuery;
}

/**
 * A prepared query with its values, as a batch item for either driver: better-sqlite3's batch runs
 * `_prepare().execute()`, D1's binds `_prepare().getQuery().params`; both read the rest (the
 * statement, how rows map) from the prepared query itself.
 */
export function bound(prepared: PreparedQuery, values: Record<string, unknown>): Statement {
  const item = Object.create(prepared) as BoundQuery;
  item.boundQuery = prepared;
  item.boundValues = values;
  item.getQuery = boundGetQuery;
  item.execute = boundExecute;
  item._prepare = boundSelf;
  return item as unknown as Statement;
}

// Shared by every bound query (no closures per use).
function boundGetQuery(this: BoundQuery) {
  const query = this.boundQuery.getQuery();
  return { ...query, params: fillPlaceholders(query.params, this.boundValues) };
}
function boundExecute(this: BoundQuery) {
  return this.boundQuery.execute(this.boundValues);
}
function boundSelf(this: BoundQuery) {
  return this;
}

/** A named placeholder, filled by `bound`'s values. */
export const placeholder = (name: string) => sql`${sql.placeholder(name)}`;
