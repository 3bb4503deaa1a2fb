import { and, asc, eq, sql } from 'drizzle-orm';
import { inList } from '../db/in-list.js';
import { distinct, type PlanChannel } from '../domain/deadlines/interpretation-plan.js';
import { toIsoUtc } from '../domain/time.js';
import { isUniqueViolation } from '../db/database.js';
import { keptWhile } from '../db/guard.js';
import { documents, interpretationDocuments, interpretations } from '../db/schema.js';
import type { AppContext } from './context.js';
import { assertDepartment, refreshFirstInterpretation } from './documents.js';
import type { Actor } from './accounts/actor.js';
import { assertDepartmentScope } from './accounts/policy.js';
import { auditStatement } from './audit.js';
import { AppError, changedMeanwhile, notFound, retriedOnChange } from './errors.js';
import { parseChannels } from './interpretation-plans.js';

export const INTERPRETATION_FORMS = [
  'text', 'qa', 'graphic', 'video', 'expert', 'media', 'interview', 'press_conference',
] as const;
export type InterpretationForm = (typeof INTERPRETATION_FORMS)[number];

export interface InterpretationInput {
  title: string;
  form: InterpretationForm;
  url?: string | null;
  publishedAt: number;
  departmentCode?: string | null;
  documentIds: number[];
  /** The channels it was published on (SPEC §12). */
  channels?: PlanChannel[];
  /** Given by the principal leader in person (主要负责人解读). */
  leaderLed?: boolean;
}

export interface InterpretationView {
  id: number;
  title: string;
  form: InterpretationForm;
  url: string | null;
  publishedAt: string;
  departmentCode: string | null;
  channels: PlanChannel[];
  leaderLed: boolean;
  documents: { id: number; docNumber: string | null; title: string; departmentCode: string }[];
  createdAt: string;
  updatedAt: string;
}

async function existingDocuments(ctx: AppContext, ids: number[]) {
  return ctx.db.orm
    .select({ id: documents.id, departmentCode: documents.departmentCode, drafting: documents.drafting })
    .from(documents)
    .where(inList(documents.id, ids));
}

/** A draft has no publication yet: nothing can interpret it until it is published (SPEC §12). */
function assertPublished(found: { id: number; drafting: boolean }[], field: string): void {
  const drafts = found.filter((d) => d.drafting).map((d) => d.id);
  if (drafts.length > 0) {
    throw new AppError(422, 'document_drafting', `${field}: 文件 ${drafts.join('、')} 尚在起草中（未发布），发布后才能关联解读材料`);
  }
}

export async function createInterpretation(ctx: AppContext, actor: Actor, input: InterpretationInput): Promise<InterpretationView> {
  const ids = [...new Set(input.documentIds)];
  const found = await existingDocuments(ctx, ids);
  const missing = ids.filter((id) => !found.some((d) => d.id === id));
  if (missing.length > 0) {
    throw new AppError(422, 'unknown_document', `documentIds: 文件 ${missing.join('、')} 不存在`);
  }
  assertPublished(found, 'documentIds');
  if (input.departmentCode) await assertDepartment(ctx, input.departmentCode);
  // 谁起草、谁解读: without a department, the interpretation belongs to the first document's.
  const departmentCode = input.departmentCode ?? found.find((d) => d.id === ids[0])!.departmentCode;
  assertDepartmentScope(actor, departmentCode, '该解读材料');
  for (const d of found) assertDepartmentScope(actor, d.departmentCode, `文件 ${d.id} `);
  const now = ctx.now();
  // The links name the new row by MAX(id): inside one atomic batch nothing else can insert, and
  // AUTOINCREMENT never reuses an id, so that is the row just written (D1 batches cannot carry
  // a returned id from one statement to the next).
  const newId = sql`(SELECT MAX(id) FROM interpretations)`;
  const row = { title: input.title, form: input.form, url: input.url ?? null, publishedAt: input.publishedAt, departmentCode };
  const delivery = { channels: distinct(input.channels ?? []), leaderLed: input.leaderLed ?? false };
  const [inserted] = (await ctx.db.batch([
    ctx.db.orm
      .insert(interpretations)
      .values({ ...row, channels: JSON.stringify(delivery.channels), leaderLed: delivery.leaderLed, createdAt: now, updatedAt: now })
      .returning({ id: interpretations.id }),
    ...ids.map((documentId) =>
      ctx.db.orm.insert(interpretationDocuments).values({ interpretationId: newId, documentId, linkedAt: now }),
    ),
    refreshFirstInterpretation(ctx, ids),
    auditStatement(ctx, actor, 'interpretation', newId, 'create', null, { ...row, ...delivery, publishedAt: toIsoUtc(row.publishedAt), documentIds: ids }),
  ])) as [{ id: number }[]];
  return getInterpretation(ctx, inserted[0]!.id);
}

export async function getInterpretation(ctx: AppContext, id: number): Promise<InterpretationView> {
  const rows = await ctx.db.orm.select().from(interpretations).where(eq(interpretations.id, id));
  const row = rows[0];
  if (!row) throw notFound('解读材料', id);
  const docs = await ctx.db.orm
    .select({
      id: documents.id,
      docNumber: documents.docNumber,
      title: documents.title,
      departmentCode: documents.departmentCode,
    })
    .from(interpretationDocuments)
    .innerJoin(documents, eq(documents.id, interpretationDocuments.documentId))
    .where(eq(interpretationDocuments.interpretationId, id))
    .orderBy(asc(documents.id));
  return {
    id: row.id,
    title: row.title,
    form: row.form,
    url: row.url,
    publishedAt: toIsoUtc(row.publishedAt),
    departmentCode: row.departmentCode,
    channels: parseChannels(row.channels),
    leaderLed: row.leaderLed,
    documents: docs,
    createdAt: toIsoUtc(row.createdAt),
    updatedAt: toIsoUtc(row.updatedAt),
  };
}

export async function linkDocument(ctx: AppContext, actor: Actor, id: number, documentId: number): Promise<InterpretationView> {
  const current = await getInterpretation(ctx, id);
  assertDepartmentScope(actor, current.departmentCode, `解读材料 ${id} `);
  const [doc] = await existingDocuments(ctx, [documentId]);
  if (!doc) throw new AppError(422, 'unknown_document', `documentId: 文件 ${documentId} 不存在`);
  assertPublished([doc], 'documentId');
  assertDepartmentScope(actor, doc.departmentCode, `文件 ${documentId} `);
  try {
    await ctx.db.batch([
      ctx.db.orm.insert(interpretationDocuments).values({ interpretationId: id, documentId, linkedAt: ctx.now() }),
      refreshFirstInterpretation(ctx, [documentId]),
      auditStatement(ctx, actor, 'interpretation', id, 'link_document', { documentIds: current.documents.map((d) => d.id) }, {
        documentIds: [...current.documents.map((d) => d.id), documentId],
      }),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError(409, 'already_linked', `documentId: 解读材料 ${id} 已关联文件 ${documentId}`);
    }
    throw err;
  }
  return getInterpretation(ctx, id);
}

export async function unlinkDocument(ctx: AppContext, actor: Actor, id: number, documentId: number): Promise<InterpretationView> {
  // The last-link rule is checked on the links as read: two unlinks at once (of its last two
  // documents) both passed it. The batch now fails if it would leave none, and is tried again.
  return retriedOnChange(() => unlinkOnce(ctx, actor, id, documentId), () => changedMeanwhile('解读材料', id));
}

async function unlinkOnce(ctx: AppContext, actor: Actor, id: number, documentId: number): Promise<InterpretationView> {
  const current = await getInterpretation(ctx, id);
  assertDepartmentScope(actor, current.departmentCode, `解读材料 ${id} `);
  if (!current.documents.some((d) => d.id === documentId)) {
    throw new AppError(404, 'not_found', `解读材料 ${id} 未关联文件 ${documentId}`);
  }
  if (current.documents.length === 1) {
    throw new AppError(422, 'last_link', `解读材料 ${id} 至少要关联一个文件：请先关联新的文件，再取消这一个`);
  }
  await ctx.db.batch([
    ctx.db.orm
      .delete(interpretationDocuments)
      .where(and(eq(interpretationDocuments.interpretationId, id), eq(interpretationDocuments.documentId, documentId))),
    // (A guard, see db/guard.ts: at least one link must be left.)
    ctx.db.orm
      .update(interpretations)
      .set({
        updatedAt: keptWhile(interpretations.updatedAt, sql`EXISTS (SELECT 1 FROM ${interpretationDocuments} WHERE ${interpretationDocuments.interpretationId} = ${id})`),
      })
      .where(eq(interpretations.id, id)),
    refreshFirstInterpretation(ctx, [documentId]),
    auditStatement(ctx, actor, 'interpretation', id, 'unlink_document', { documentIds: current.documents.map((d) => d.id) }, {
      documentIds: current.documents.map((d) => d.id).filter((d) => d !== documentId),
    }),
  ]);
  return getInterpretation(ctx, id);
}
