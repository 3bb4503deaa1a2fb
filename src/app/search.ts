import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { normalizeText } from '../domain/monitoring/normalize.js';

/** Longest `q` the lists accept (the API refuses a longer one). */
export const MAX_QUERY_LENGTH = 100;

/**
 * `q` as a condition on a `search_text` column (文号 + title, normalised as rule text is): the query
 * normalised the same way, then a plain substring test. `instr` rather than LIKE, so that `%`, `_`
 * and `\` in a query are characters to find, never wildcards, with nothing to escape. A query that
 * normalises to nothing (only spaces) filters nothing.
 */
export function searchCondition(column: SQLWrapper, q: string | undefined): SQL | undefined {
  const needle = q === undefined ? '' : normalizeText(q);
  return needle === '' ? undefined : sql`instr(${column}, ${needle}) > 0`;
}
