import { eq } from 'drizzle-orm';
import { beijingMinute } from '../domain/notifications/messages.js';
import { documents, users } from '../db/schema.js';
import { nextUpdatedAt, unchangedSince } from '../db/guard.js';
import type { Actor } from './accounts/actor.js';
import { assertDepartmentScope } from './accounts/policy.js';
import { auditStatement } from './audit.js';
import type { AppContext } from './context.js';
import { auditFields, findDocumentRow, getDocument, type DocumentView } from './documents.js';
import { AppError, changedMeanwhile, retriedOnChange } from './errors.js';

// 审签 (SPEC §12): the document and its interpretation plan are signed off together, before
// publication. Admins and leaders may sign off any document; a drafter only its own departments'
// and only when an admin has given its account canSignOff.

export interface SignOffInput {
  /** When it was signed (default now): a sign-off made on paper may be recorded afterwards. */
  at?: number;
  note?: string | null;
}

/** Why the actor may not sign off documents of this department, or null when it may. */
export async function signOffRefusal(ctx: AppContext, actor: Actor, departmentCode: string): Promise<string | null> {
  if (actor.role === 'admin' || actor.role === 'leader') return null;
  if (actor.role !== 'drafter') return '只有管理员、领导或经授权的起草部门人员可以审签文件';
  try {
    assertDepartmentScope(actor, departmentCode, '该文件');
  } catch (err) {
    return (err as AppError).message;
  }
  const [user] = actor.userId === null ? [] : await ctx.db.orm.select({ canSignOff: users.canSignOff }).from(users).where(eq(users.id, actor.userId));
  return user?.canSignOff ? null : '您的账户没有审签权限：请管理员在“用户管理”中为您开启“可审签”';
}

export async function signOffDocument(ctx: AppContext, actor: Actor, id: number, input: SignOffInput): Promise<DocumentView> {
  // Guarded and retried as updateDocument: two sign-offs at once were both recorded (the second
  // written over the first), and whether a plan was signed off with the document is what was read.
  return retriedOnChange(() => signOffOnce(ctx, actor, id, input), () => changedMeanwhile('文件', id));
}

async function signOffOnce(ctx: AppContext, actor: Actor, id: number, input: SignOffInput): Promise<DocumentView> {
  const current = await findDocumentRow(ctx, id);
  const refusal = await signOffRefusal(ctx, actor, current.departmentCode);
  if (refusal) throw new AppError(403, 'forbidden', refusal);
  if (current.signedOffAt !== null) {
    throw new AppError(409, 'already_signed_off', `文件 ${id} 已于 ${beijingMinute(current.signedOffAt)}（北京时间）由 ${current.signedOffBy} 审签`);
  }
  const now = ctx.now();
  const at = input.at ?? now;
  if (at > now) throw new AppError(422, 'future_sign_off', 'at: 审签时间不能晚于当前时间');
  const signed = {
    signedOffAt: at,
    signedOffBy: actor.username,
    // Signing off without a plan is allowed, and recorded: the 考核 report counts it against the department.
    planAtSignOff: current.interpretationPlan !== null,
    signOffNote: input.note?.trim() || null,
  };
  const { id: _id, createdAt: _c, updatedAt: _u, firstInterpretationAt: _f, firstLeaderLedAt: _l, dueRevision: _r, searchText: _s, ...before } = current;
  await ctx.db.batch([
    unchangedSince(ctx.db.orm, documents, id, current.updatedAt),
    ctx.db.orm.update(documents).set({ ...signed, updatedAt: nextUpdatedAt(documents.updatedAt, now) }).where(eq(documents.id, id)),
    auditStatement(ctx, actor, 'document', id, 'sign_off', auditFields(before), auditFields({ ...before, ...signed })),
  ]);
  return getDocument(ctx, id, now);
}
