import { and, desc, eq } from 'drizzle-orm';
import { DEFAULT_RESPONSE_POLICY, policyProblems, type ResponsePolicyRules } from '../domain/deadlines/response-policy.js';
import { toIsoUtc } from '../domain/time.js';
import { isUniqueViolation } from '../db/database.js';
import { auditLog, responsePolicies } from '../db/schema.js';
import type { AppContext } from './context.js';
import type { Actor } from './accounts/actor.js';
import { auditStatement } from './audit.js';
import { AppError } from './errors.js';

export interface ResponsePolicy {
  version: number;
  rules: ResponsePolicyRules;
  createdAt: string;
}

/** The policy in force: the latest version; version 1 is the default of SPEC §4, written on first use. */
export async function currentPolicy(ctx: AppContext): Promise<ResponsePolicy> {
  const [latest] = await ctx.db.orm.select().from(responsePolicies).orderBy(desc(responsePolicies.version)).limit(1);
  if (latest) return { version: latest.version, rules: JSON.parse(latest.rules), createdAt: toIsoUtc(latest.createdAt) };
  const createdAt = ctx.now();
  await ctx.db.orm
    .insert(responsePolicies)
    .values({ version: 1, rules: JSON.stringify(DEFAULT_RESPONSE_POLICY), createdAt })
    .onConflictDoNothing();
  return currentPolicy(ctx);
}

/** A new version; commitments already made keep the version they were made under. */
export async function setPolicy(ctx: AppContext, actor: Actor, rules: ResponsePolicyRules): Promise<ResponsePolicy> {
  const problems = policyProblems(rules);
  if (problems.length > 0) throw new AppError(400, 'invalid_input', problems.join('；'));
  const current = await currentPolicy(ctx);
  try {
    await ctx.db.batch([
      ctx.db.orm.insert(responsePolicies).values({ version: current.version + 1, rules: JSON.stringify(rules), createdAt: ctx.now() }),
      auditStatement(ctx, actor, 'response_policy', current.version + 1, 'update', current.rules, rules),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError(409, 'conflict', '响应策略刚被他人修改，请刷新后重试');
    throw err;
  }
  return currentPolicy(ctx);
}

/** Every version, newest first (the policy in force is the first), each with who wrote it. */
export async function listPolicyVersions(ctx: AppContext): Promise<(ResponsePolicy & { createdBy: string | null })[]> {
  await currentPolicy(ctx); // version 1 exists once anyone has looked
  const rows = await ctx.db.orm.select().from(responsePolicies).orderBy(desc(responsePolicies.version));
  const authors = await ctx.db.orm
    .select({ version: auditLog.entityId, actor: auditLog.actor })
    .from(auditLog)
    .where(and(eq(auditLog.entity, 'response_policy'), eq(auditLog.action, 'update')));
  const by = new Map(authors.map((a) => [a.version, a.actor]));
  return rows.map((r) => ({
    version: r.version,
    rules: JSON.parse(r.rules) as ResponsePolicyRules,
    createdAt: toIsoUtc(r.createdAt),
    // Version 1 is the built-in default of SPEC §4, written on first use by no one in particular.
    createdBy: by.get(String(r.version)) ?? null,
  }));
}
