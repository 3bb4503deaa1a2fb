import type { BatchItem } from 'drizzle-orm/batch';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.js';

/** drizzle over either driver: better-sqlite3 ('sync') on Node, D1 ('async') on Workers. */
export type Orm = BaseSQLiteDatabase<'sync' | 'async', unknown, typeof schema>;

export type Statement = BatchItem<'sqlite'>;

/**
 * The storage port. Every query is awaited through `orm`; every write of more than one row goes
 * through `batch`, which runs the statements atomically (a transaction on better-sqlite3, a batch
 * on D1, which has no interactive transactions).
 */
export interface Database {
  orm: Orm;
  batch(statements: readonly Statement[]): Promise<unknown[]>;
  /**
   * A number that changes whenever another connection commits to the database (SQLite's
   * `PRAGMA data_version`), where the driver can tell cheaply; what this connection writes does
   * not change it. Caches of what is stored are kept only where it exists.
   */
  dataVersion?(): number;
  /**
   * A batch item that inserts `rows` in their order with `${head} VALUES ${tuple}, ${tuple}, …`
   * (each row the values of one tuple's `?`s), a few rows per run of a prepared statement, where
   * the driver runs statements in this process (better-sqlite3): that costs less there than
   * expanding a JSON parameter row by row, or than one run per row. Absent on D1, where every
   * statement of a batch crosses to the database: there one statement takes all the rows as JSON.
   */
  rowsStatement?(head: string, tuple: string, rows: readonly (readonly unknown[])[]): Statement;
}

/** SQLite's constraint errors, across drivers, by the text both put in the message. */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed/.test(`${err.message} ${String(err.cause ?? '')}`);
}
