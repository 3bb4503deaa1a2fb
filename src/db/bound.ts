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

/** What D1's batch reads of a prepared query besides getQuery: its statement and how rows map. */
interface D1Prepared extends PreparedQuery {
  stmt: { bind(...params: unknown[]): unknown };
  mapResult(result: unknown, isFromBatch?: boolean): unknown;
}

/**
 * A prepared query with its values, as a batch item for either driver: better-sqlite3's batch runs
 * `_prepare().execute()`, D1's binds `_prepare().getQuery().params` to `stmt` and maps rows with
 * `mapResult`. One class for every query and database, so that code handling them sees one
 * object shape (an object inheriting from each prepared query had a shape per database, and
 * ingest's optimised code was thrown away whenever another database's queries came by).
 */
class BoundQuery implements PreparedQuery {
  constructor(
    readonly boundQuery: PreparedQuery,
    readonly boundValues: Record<string, unknown>,
  ) {}

  getQuery() {
    const query = this.boundQuery.getQuery();
    return { ...query, params: fillPlaceholders(query.params, this.boundValues) };
  }

  execute() {
    return this.boundQuery.execute(this.boundValues);
  }

  _prepare() {
    return this;
  }

  get stmt() {
    return (this.boundQuery as D1Prepared).stmt;
  }

  mapResult(result: unknown, isFromBatch?: boolean) {
    return (this.boundQuery as D1Prepared).mapResult(result, isFromBatch);
  }
}

export function bound(prepared: PreparedQuery, values: Record<string, unknown>): Statement {
  return new BoundQuery(prepared, values) as unknown as Statement;
}

/** A named placeholder, filled by `bound`'s values. */
export const placeholder = (name: string) => sql`${sql.placeholder(name)}`;
