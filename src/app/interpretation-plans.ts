import { eq } from 'drizzle-orm';
import { distinct, PLAN_CHANNELS, type InterpretationPlan, type PlanChannel } from '../domain/deadlines/interpretation-plan.js';
import { users } from '../db/schema.js';
import type { AppContext } from './context.js';
import { AppError } from './errors.js';

// The interpretation plan (解读方案, SPEC §12) as documents store it: one JSON column, checked on
// the way in, read back leniently (a row is never unreadable because of its plan).

export interface PlanInput {
  forms: string[];
  responsibleUserId?: number | null;
  responsibleName?: string | null;
  leaderLed?: boolean;
  channels?: PlanChannel[];
  note?: string | null;
}

/** The plan as stored: duplicates dropped, every field present; a responsible user must exist. */
export async function checkedPlan(ctx: AppContext, input: PlanInput): Promise<InterpretationPlan> {
  const responsibleUserId = input.responsibleUserId ?? null;
  if (responsibleUserId !== null) {
    const [user] = await ctx.db.orm.select({ id: users.id }).from(users).where(eq(users.id, responsibleUserId));
    if (!user) throw new AppError(422, 'unknown_user', `plan.responsibleUserId: 用户 ${responsibleUserId} 不存在`);
  }
  return {
    forms: distinct(input.forms),
    responsibleUserId,
    responsibleName: input.responsibleName?.trim() || null,
    leaderLed: input.leaderLed ?? false,
    channels: distinct(input.channels ?? []),
    note: input.note?.trim() || null,
  };
}

export function parsePlan(json: string | null): InterpretationPlan | null {
  if (json === null) return null;
  const p = JSON.parse(json) as Partial<InterpretationPlan>;
  return {
    forms: p.forms ?? [],
    responsibleUserId: p.responsibleUserId ?? null,
    responsibleName: p.responsibleName ?? null,
    leaderLed: p.leaderLed ?? false,
    channels: p.channels ?? [],
    note: p.note ?? null,
  };
}

/** An interpretation's channels column (a JSON array), known channels only. */
export function parseChannels(json: string): PlanChannel[] {
  const list = JSON.parse(json) as unknown;
  return Array.isArray(list) ? list.filter((c): c is PlanChannel => (PLAN_CHANNELS as readonly unknown[]).includes(c)) : [];
}
