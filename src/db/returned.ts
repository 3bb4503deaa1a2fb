/**
 * How many rows a batch of `INSERT … ON CONFLICT DO NOTHING RETURNING …` wrote: the rows the
 * statements returned. (Not the drivers' count of changes: D1's counts what triggers write too,
 * such as the delivery rows an alert's trigger adds.)
 */
export function returnedRows(results: readonly unknown[]): number {
  let n = 0;
  for (const r of results) n += (r as unknown[]).length;
  return n;
}
