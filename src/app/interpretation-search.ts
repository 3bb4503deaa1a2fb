import { desc, lt, sql } from 'drizzle-orm';
import { inList } from '../db/in-list.js';
import { normalizeText } from '../domain/monitoring/normalize.js';
import { toIsoUtc } from '../domain/time.js';
import { interpretationDocuments, interpretations } from '../db/schema.js';
import type { AppContext } from './context.js';
import { nextTurn } from './turns.js';
import { keysetPages } from './exports/table.js';
import type { InterpretationForm } from './interpretations.js';

export interface InterpretationSummary {
  id: number;
  title: string;
  form: InterpretationForm;
  url: string | null;
  publishedAt: string;
  departmentCode: string | null;
  /** How many documents it interprets already. */
  documentCount: number;
}

const SCAN_CHUNK = 2000;
// D1 binds at most 100 parameters per statement.
const IDS_PER_QUERY = 90;

type Row = typeof interpretations.$inferSelect;

/**
 * Interpretations, newest first, whose title contains `q` after the rules' normalisation (full-
 * width ＡＢＣ finds abc, case is folded); a query of digits also finds the interpretation with that
 * number. Interpretations have no stored search text, so titles are normalised here as they are
 * read, newest first in chunks, until the page is full: cheap for the few thousand a year an
 * office registers, and a full read of the table when nothing matches.
 */
export async function searchInterpretations(
  ctx: AppContext,
  query: { q?: string; limit: number; offset: number },
): Promise<InterpretationSummary[]> {
  const needle = normalizeText(query.q ?? '');
  const wanted = query.offset + query.limit;
  const found: Row[] = [];
  const page = (before: number | null) =>
    ctx.db.orm
      .select()
      .from(interpretations)
      .where(before === null ? undefined : lt(interpretations.id, before))
      .orderBy(desc(interpretations.id))
      .limit(needle === '' ? wanted : SCAN_CHUNK);
  const number = /^\d{1,15}$/.test(needle) ? Number(needle) : null;
  for await (const rows of keysetPages(needle === '' ? wanted : SCAN_CHUNK, page, (r) => r.id)) {
    for (const row of rows) {
      if (needle === '' || row.id === number || normalizeText(row.title).includes(needle)) found.push(row);
    }
    if (found.length >= wanted) break;
    // A search that finds little reads the whole table: other requests go between its chunks.
    await nextTurn();
  }
  const shown = found.slice(query.offset, wanted);
  const counts = new Map<number, number>();
  for (let i = 0; i < shown.length; i += IDS_PER_QUERY) {
    const ids = shown.slice(i, i + IDS_PER_QUERY).map((r) => r.id);
    const rows = await ctx.db.orm
      .select({ id: interpretationDocuments.interpretationId, n: sql<number>`COUNT(*)` })
      .from(interpretationDocuments)
      .where(inList(interpretationDocuments.interpretationId, ids))
      .groupBy(interpretationDocuments.interpretationId);
    for (const r of rows) counts.set(r.id, r.n);
  }
  return shown.map((r) => ({
    id: r.id,
    title: r.title,
    form: r.form,
    url: r.url,
    publishedAt: toIsoUtc(r.publishedAt),
    departmentCode: r.departmentCode,
    documentCount: counts.get(r.id) ?? 0,
  }));
}
