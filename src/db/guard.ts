import { eq, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Orm } from './database.js';

// Guards: statements that fail, rolling their batch back, when a condition read earlier no longer
// holds. SQLite has no other way for a plain statement (outside a trigger) to fail on a condition
// than an error from a function such as json() given malformed text; D1 rolls a batch back on any
// error, as better-sqlite3's transaction does.

/** The text guards hand json() when their condition fails: not JSON, so json() raises an error. */
const GUARD_FAILED = 'guard failed';

/**
 * The value to SET a column to in a guard statement: the column's own value while `condition`
 * holds (the row is left as it is), else an error that fails the batch. Any column will do.
 */
export const keptWhile = (column: SQLiteColumn, condition: SQL): SQL => sql`CASE WHEN ${condition} THEN ${column} ELSE json(${GUARD_FAILED}) END`;

/** Whether a batch failed because one of its guards did (json()'s "malformed JSON", on both drivers). */
export function isGuardFailure(err: unknown): boolean {
  return err instanceof Error && /malformed JSON/i.test(`${err.message} ${String((err as { cause?: unknown }).cause ?? '')}`);
}

/**
 * A row's version is its `updated_at`, moved on by every change: `MAX(now, updated_at + 1)`, so
 * that two changes within one millisecond (or under a stopped test clock) still differ.
 */
export const nextUpdatedAt = (column: SQLiteColumn, now: number) => sql`MAX(${now}, ${column} + 1)`;

/**
 * A guard on one row of a table with `id` and `updated_at`: fails if the row changed since it was
 * read at version `seen` (another change went in between the read and this batch).
 */
export function unchangedSince(orm: Orm, table: SQLiteTable & { id: SQLiteColumn; updatedAt: SQLiteColumn }, id: number, seen: number) {
  return orm
    .update(table)
    .set({ updatedAt: keptWhile(table.updatedAt, sql`${table.updatedAt} = ${seen}`) } as never)
    .where(eq(table.id, id));
}
