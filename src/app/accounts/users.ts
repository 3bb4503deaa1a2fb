import { asc, eq, sql } from 'drizzle-orm';
import { inList } from '../../db/in-list.js';
import { toIsoUtc } from '../../domain/time.js';
import { isUniqueViolation, type Statement } from '../../db/database.js';
import { departments, sessions, userDepartments, users } from '../../db/schema.js';
import { auditStatement } from '../audit.js';
import type { AppContext } from '../context.js';
import { AppError, changedMeanwhile, invalidField, notFound, retriedOnChange } from '../errors.js';
import { keptWhile, nextUpdatedAt, unchangedSince } from '../../db/guard.js';
import type { Actor, Role } from './actor.js';
import { LIKE_USERNAME, passwordWeakness } from './password-rules.js';

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  departmentCodes: string[];
  disabled: boolean;
  /** A drafter allowed to sign off (审签) its departments' documents (SPEC §12). */
  canSignOff: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface UserInput {
  username: string;
  displayName: string;
  role: Role;
  departmentCodes?: string[];
  password: string;
  canSignOff?: boolean;
}

export interface UserPatch {
  displayName?: string;
  role?: Role;
  departmentCodes?: string[];
  disabled?: boolean;
  password?: string;
  canSignOff?: boolean;
}

type UserRow = typeof users.$inferSelect;

async function departmentsOf(ctx: AppContext, ids: number[]): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return map;
  const rows = await ctx.db.orm.select().from(userDepartments).where(inList(userDepartments.userId, ids));
  for (const r of rows) map.get(r.userId)!.push(r.departmentCode);
  for (const list of map.values()) list.sort();
  return map;
}

function toView(r: UserRow, departmentCodes: string[]): UserView {
  return {
    id: r.id,
    username: r.username,
    displayName: r.displayName,
    role: r.role,
    departmentCodes,
    disabled: r.disabled,
    canSignOff: r.canSignOff,
    createdAt: toIsoUtc(r.createdAt),
    updatedAt: toIsoUtc(r.updatedAt),
  };
}

async function checkDepartments(ctx: AppContext, role: Role, codes: string[]): Promise<void> {
  if (role === 'drafter' && codes.length === 0) {
    throw new AppError(400, 'invalid_input', 'departmentCodes: 起草部门账户至少要指定一个部门');
  }
  if (codes.length === 0) return;
  const known = await ctx.db.orm.select({ code: departments.code }).from(departments).where(inList(departments.code, codes));
  const missing = codes.filter((c) => !known.some((k) => k.code === c));
  if (missing.length > 0) throw new AppError(422, 'unknown_department', `departmentCodes: 部门 ${missing.join('、')} 不存在`);
}

export async function getUser(ctx: AppContext, id: number): Promise<UserView> {
  const [row] = await ctx.db.orm.select().from(users).where(eq(users.id, id));
  if (!row) throw notFound('用户', id);
  return toView(row, (await departmentsOf(ctx, [id])).get(id)!);
}

/** The name a person is shown by for a recorded user name (an audit's or a sign-off's); null when no account has it. */
export async function displayNameOf(ctx: AppContext, username: string): Promise<string | null> {
  const [row] = await ctx.db.orm.select({ displayName: users.displayName }).from(users).where(eq(users.username, username));
  return row?.displayName ?? null;
}

export async function listUsers(ctx: AppContext, page: { limit: number; offset: number }): Promise<UserView[]> {
  const rows = await ctx.db.orm.select().from(users).orderBy(asc(users.id)).limit(page.limit).offset(page.offset);
  const depts = await departmentsOf(ctx, rows.map((r) => r.id));
  return rows.map((r) => toView(r, depts.get(r.id)!));
}

/** The rule the schema cannot check, as it does not know the user name (see password-rules.ts). */
export function assertPasswordNotName(password: string, username: string, field: string): void {
  if (passwordWeakness(password, username) === LIKE_USERNAME) throw invalidField(field, LIKE_USERNAME);
}

export async function createUser(ctx: AppContext, actor: Actor, input: UserInput): Promise<UserView> {
  assertPasswordNotName(input.password, input.username, 'password');
  const codes = [...new Set(input.departmentCodes ?? [])].sort();
  await checkDepartments(ctx, input.role, codes);
  const passwordHash = await ctx.passwords.hash(input.password);
  const now = ctx.now();
  const ref = sql`(SELECT id FROM users WHERE username = ${input.username})`;
  const canSignOff = input.canSignOff ?? false;
  const after = { username: input.username, displayName: input.displayName, role: input.role, departmentCodes: codes, disabled: false, canSignOff };
  try {
    await ctx.db.batch([
      ctx.db.orm.insert(users).values({
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        passwordHash,
        disabled: false,
        canSignOff,
        createdAt: now,
        updatedAt: now,
      }),
      ...codes.map((departmentCode) => ctx.db.orm.insert(userDepartments).values({ userId: ref, departmentCode })),
      auditStatement(ctx, actor, 'user', ref, 'create', null, after),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError(409, 'duplicate_user', `username: 用户名 ${input.username} 已存在`);
    throw err;
  }
  const [row] = await ctx.db.orm.select({ id: users.id }).from(users).where(eq(users.username, input.username));
  return getUser(ctx, row!.id);
}

/** Refuses an admin whose account was disabled, or made another role, since the request was signed in. */
async function assertStillAdmin(ctx: AppContext, userId: number): Promise<void> {
  const [row] = await ctx.db.orm.select({ role: users.role, disabled: users.disabled }).from(users).where(eq(users.id, userId));
  if (!row || row.disabled || row.role !== 'admin') throw new AppError(403, 'no_longer_admin', '你的账户刚刚已被停用或已不是管理员，本次修改未保存');
}

/** A guard (see db/guard.ts): fails its batch unless the user is an enabled admin as it runs. */
const stillAdmin = (ctx: AppContext, userId: number) =>
  ctx.db.orm
    .update(users)
    .set({ updatedAt: keptWhile(users.updatedAt, sql`${users.role} = 'admin' AND ${users.disabled} = 0`) })
    .where(eq(users.id, userId));

/** Disabling a user (or changing its password) ends its sessions at once; disabling also stops its tokens. */
export async function updateUser(ctx: AppContext, actor: Actor, id: number, patch: UserPatch): Promise<UserView> {
  // Guarded and retried as updateDocument: a password being hashed (tens of milliseconds) while
  // an admin disabled the account wrote the account back as enabled.
  return retriedOnChange(() => updateUserOnce(ctx, actor, id, patch), () => changedMeanwhile('用户', id));
}

async function updateUserOnce(ctx: AppContext, actor: Actor, id: number, patch: UserPatch): Promise<UserView> {
  const [version] = await ctx.db.orm.select({ updatedAt: users.updatedAt }).from(users).where(eq(users.id, id));
  const before = await getUser(ctx, id);
  if (actor.userId !== null) await assertStillAdmin(ctx, actor.userId);
  if (patch.password !== undefined) assertPasswordNotName(patch.password, before.username, 'password');
  if (actor.userId === id && (patch.disabled === true || (patch.role !== undefined && patch.role !== 'admin'))) {
    throw new AppError(422, 'self_lockout', '不能停用自己的账户或取消自己的管理员角色');
  }
  const role = patch.role ?? before.role;
  const codes = patch.departmentCodes ? [...new Set(patch.departmentCodes)].sort() : before.departmentCodes;
  await checkDepartments(ctx, role, codes);
  const now = ctx.now();
  const statements: Statement[] = [
    unchangedSince(ctx.db.orm, users, id, version!.updatedAt),
    // The acting admin still is one as this batch runs: two admins disabling each other at once
    // both passed the checks, and left no enabled admin account.
    ...(actor.userId !== null ? [stillAdmin(ctx, actor.userId)] : []),
    ctx.db.orm
      .update(users)
      .set({
        displayName: patch.displayName ?? before.displayName,
        role,
        disabled: patch.disabled ?? before.disabled,
        canSignOff: patch.canSignOff ?? before.canSignOff,
        ...(patch.password !== undefined ? { passwordHash: await ctx.passwords.hash(patch.password) } : {}),
        updatedAt: nextUpdatedAt(users.updatedAt, now),
      })
      .where(eq(users.id, id)),
  ];
  if (patch.departmentCodes) {
    statements.push(
      ctx.db.orm.delete(userDepartments).where(eq(userDepartments.userId, id)),
      ...codes.map((departmentCode) => ctx.db.orm.insert(userDepartments).values({ userId: id, departmentCode })),
    );
  }
  if (patch.disabled === true || patch.password !== undefined) {
    statements.push(ctx.db.orm.delete(sessions).where(eq(sessions.userId, id)));
  }
  const after = {
    ...before,
    displayName: patch.displayName ?? before.displayName,
    role,
    departmentCodes: codes,
    disabled: patch.disabled ?? before.disabled,
    canSignOff: patch.canSignOff ?? before.canSignOff,
  };
  const { createdAt: _c, updatedAt: _u, ...beforeAudit } = before;
  const { createdAt: _c2, updatedAt: _u2, ...afterAudit } = after;
  statements.push(
    auditStatement(ctx, actor, 'user', id, patch.password !== undefined ? 'update_with_password' : 'update', beforeAudit, afterAudit),
  );
  await ctx.db.batch(statements);
  return getUser(ctx, id);
}

