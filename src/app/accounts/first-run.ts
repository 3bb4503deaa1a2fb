import { users } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { ADMIN_TOKEN_ACTOR } from './actor.js';
import { createUser, type UserView } from './users.js';

// First run (SPEC §15): while no account exists, whoever holds the admin token may create the
// first admin account in the browser (/setup). Once any account exists, that door is closed.

export async function hasAccounts(ctx: AppContext): Promise<boolean> {
  const rows = await ctx.db.orm.select({ id: users.id }).from(users).limit(1);
  return rows.length > 0;
}

/**
 * The first admin account, created in the name of the admin token (the caller checked it). Two
 * holders of the token submitting at the same instant could each get an account; both hold every
 * right already, so the check is not worth a lock.
 */
export async function createFirstAdmin(ctx: AppContext, input: { username: string; displayName: string; password: string }): Promise<UserView> {
  if (await hasAccounts(ctx)) throw new AppError(409, 'already_set_up', '系统已有账户，首次设置已完成：请直接登录');
  return createUser(ctx, ADMIN_TOKEN_ACTOR, { ...input, role: 'admin', departmentCodes: [] });
}
