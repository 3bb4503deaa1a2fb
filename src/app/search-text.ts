import { sql } from 'drizzle-orm';
import { normalizeText } from '../domain/monitoring/normalize.js';
import type { AppContext } from './context.js';
import { documentSearchText } from './documents.js';
import { readMeta, writeMeta } from './meta.js';

const DONE_KEY = 'search_text_v1';
const CHUNK = 2000;

/**
 * Fills `search_text` of documents and incidents stored before search existed (migration 0004
 * added the column empty), once: in chunks, each one statement whatever its size (the rows go as
 * one JSON parameter). New and changed rows get theirs when they are written.
 */
export async function backfillSearchText(ctx: AppContext): Promise<{ documents: number; incidents: number }> {
  if ((await readMeta(ctx.db, DONE_KEY)) !== undefined) return { documents: 0, incidents: 0 };
  const fill = async (table: 'documents' | 'incidents', text: (row: { docNumber: string | null; title: string }) => string) => {
    let filled = 0;
    for (;;) {
      const rows = await ctx.db.orm.all<{ id: number; docNumber: string | null; title: string }>(
        sql.raw(`SELECT id, ${table === 'documents' ? 'doc_number' : 'NULL'} AS docNumber, title FROM ${table} WHERE search_text = '' AND title <> '' LIMIT ${CHUNK}`),
      );
      if (rows.length === 0) return filled;
      const json = JSON.stringify(rows.map((r) => [r.id, text(r) || ' ']));
      await ctx.db.orm.run(
        sql`UPDATE ${sql.raw(table)} SET search_text = json_extract(j.value, '$[1]') FROM json_each(${json}) AS j WHERE ${sql.raw(table)}.id = json_extract(j.value, '$[0]')`,
      );
      filled += rows.length;
    }
  };
  const documents = await fill('documents', (r) => documentSearchText(r.docNumber, r.title));
  const incidents = await fill('incidents', (r) => normalizeText(r.title));
  await ctx.db.batch([writeMeta(ctx.db, DONE_KEY, String(ctx.now()))]);
  return { documents, incidents };
}
