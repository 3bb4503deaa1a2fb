import { asc, eq } from 'drizzle-orm';
import { toIsoUtc } from '../domain/time.js';
import { isUniqueViolation } from '../db/database.js';
import { departments } from '../db/schema.js';
import type { AppContext } from './context.js';
import type { Actor } from './accounts/actor.js';
import { auditStatement } from './audit.js';
import { AppError, notFound } from './errors.js';

export interface DepartmentView {
  id: number;
  code: string;
  name: string;
  createdAt: string;
}

type Row = typeof departments.$inferSelect;
const toView = (r: Row): DepartmentView => ({ id: r.id, code: r.code, name: r.name, createdAt: toIsoUtc(r.createdAt) });

export async function createDepartment(ctx: AppContext, actor: Actor, input: { code: string; name: string }): Promise<DepartmentView> {
  try {
    const [rows] = (await ctx.db.batch([
      ctx.db.orm.insert(departments).values({ code: input.code, name: input.name, createdAt: ctx.now() }).returning(),
      auditStatement(ctx, actor, 'department', input.code, 'create', null, input),
    ])) as [Row[]];
    return toView(rows[0]!);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError(409, 'duplicate_department', `code: 部门代码 ${input.code} 已存在`);
    throw err;
  }
}

export async function listDepartments(ctx: AppContext, page: { limit: number; offset: number }): Promise<DepartmentView[]> {
  const rows = await ctx.db.orm.select().from(departments).orderBy(asc(departments.code)).limit(page.limit).offset(page.offset);
  return rows.map(toView);
}

/** A new name for a department; its code, which documents and accounts refer to, stays. */
export async function renameDepartment(ctx: AppContext, actor: Actor, code: string, name: string): Promise<DepartmentView> {
  const [before] = await ctx.db.orm.select().from(departments).where(eq(departments.code, code));
  if (!before) throw notFound('部门', code);
  if (before.name === name) return toView(before);
  const [rows] = (await ctx.db.batch([
    ctx.db.orm.update(departments).set({ name }).where(eq(departments.code, code)).returning(),
    auditStatement(ctx, actor, 'department', code, 'update', { code, name: before.name }, { code, name }),
  ])) as [Row[]];
  return toView(rows[0]!);
}
