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
