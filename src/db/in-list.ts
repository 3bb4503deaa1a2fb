import { sql, type Column, type SQL } from 'drizzle-orm';

/**
 * `column IN (values)` with the values as ONE bound parameter, a JSON array that json_each()
 * expands. D1 allows at most 100 bound values in a statement, so drizzle's inArray (a parameter
 * per value) fails there for a page of 101 ids or a package interpretation of 101 documents;
 * SQLite still walks the column's index for each value.
 */
export function inList(column: Column | SQL, values: readonly (number | string)[]): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
}
