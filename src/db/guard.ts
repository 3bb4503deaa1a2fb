import { eq, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Orm } from './database.js';

// Guards: statements that fail, rolling their batch back, when a condition read earlier no longer
// holds. SQLite has no other way for a plain statement (outside a trigger) to fail on a condition
// than an error from a function such as json() given malformed text; D1 rolls a batch back on any
// error, as better-sqlite3's transaction does.

/** The text guards hand json() when their condition fails: not JSON, so json() raises an error. */
export const GUARD_FAILED = 'guard failed';

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
 * read at version `seen` (another change went in between the read and this batch). The column
 * keeps its value: json() of an integer is its text, which the column's affinity turns back into
 * the integer.
 */
export function unchangedSince(orm: Orm, table: SQLiteTable & { id: SQLiteColumn; updatedAt: SQLiteColumn }, id: number, seen: number) {
  return orm
    .update(table)
    .set({ updatedAt: sql`json(CASE WHEN ${table.updatedAt} = ${seen} THEN ${table.updatedAt} ELSE ${GUARD_FAILED} END)` } as never)
    .where(eq(table.id, id));
}
