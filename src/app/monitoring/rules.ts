import { asc, eq, sql } from 'drizzle-orm';
import { compileRules, testRuleQuery, type RuleMatcher } from '../../domain/monitoring/matcher.js';
import { parseRuleQuery, RuleQueryError } from '../../domain/monitoring/rule-query.js';
import type { Severity } from '../../domain/deadlines/response-policy.js';
import { toIsoUtc } from '../../domain/time.js';
import { isUniqueViolation, type Statement } from '../../db/database.js';
import { meta, rules } from '../../db/schema.js';
import { SYSTEM_ACTOR, type Actor } from '../accounts/actor.js';
import { auditStatement } from '../audit.js';
import type { AppContext } from '../context.js';
import { assertDepartment } from '../documents.js';
import { AppError } from '../errors.js';
import { readMeta } from '../meta.js';

const VERSION_KEY = 'rules_version';

export interface RuleInput {
  name: string;
  query: string;
  severity: Severity;
  departmentCode?: string | null;
  enabled?: boolean;
  /** Only items with at least this many distinct negative-signal words open or join its incidents (SPEC §14). */
  minSignal?: number;
}

export interface RuleView {
  id: number;
  name: string;
  query: string;
  severity: Severity;
  departmentCode: string | null;
  source: 'config' | 'api';
  enabled: boolean;
  minSignal: number;
  createdAt: string;
  updatedAt: string;
}

export type RuleRow = typeof rules.$inferSelect;
const toView = (r: RuleRow): RuleView => ({
  id: r.id,
  name: r.name,
  query: r.query,
  severity: r.severity,
  departmentCode: r.departmentCode,
  source: r.source,
  enabled: r.enabled,
  minSignal: r.minSignal,
  createdAt: toIsoUtc(r.createdAt),
  updatedAt: toIsoUtc(r.updatedAt),
});

/** A 400 that says where the query is wrong. */
export function checkQuery(query: string, field = 'query'): void {
  try {
    parseRuleQuery(query);
  } catch (err) {
    if (err instanceof RuleQueryError) throw new AppError(400, 'invalid_query', `${field}: ${err.message}`);
    throw err;
  }
}

function bumpVersion(ctx: AppContext): Statement {
  return ctx.db.orm
    .insert(meta)
    .values({ key: VERSION_KEY, value: '1' })
    .onConflictDoUpdate({ target: meta.key, set: { value: sql`CAST(${meta.value} AS INTEGER) + 1` } });
}

export async function createRule(ctx: AppContext, actor: Actor, input: RuleInput, source: 'config' | 'api' = 'api'): Promise<RuleView> {
  checkQuery(input.query);
  if (input.departmentCode) await assertDepartment(ctx, input.departmentCode);
  const now = ctx.now();
  return writeRule(
    ctx,
    ctx.db.orm
      .insert(rules)
      .values({
        name: input.name,
        query: input.query,
        severity: input.severity,
        departmentCode: input.departmentCode ?? null,
        source,
        enabled: input.enabled ?? true,
        minSignal: input.minSignal ?? 0,
        createdAt: now,
        updatedAt: now,
      })
      .returning(),
    input.name,
    auditStatement(ctx, actor, 'rule', sql`(SELECT id FROM rules WHERE name = ${input.name})`, 'create', null, { ...input, source }),
  );
}

/** Writes a rule and bumps the rules version in one batch; a taken name is a 409. */
async function writeRule(ctx: AppContext, statement: Statement, name: string | undefined, audit: Statement): Promise<RuleView> {
  try {
    const [rows] = (await ctx.db.batch([statement, bumpVersion(ctx), audit])) as [RuleRow[]];
    return toView(rows[0]!);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError(409, 'duplicate_rule', `name: 规则名称“${name}”已存在`);
    throw err;
  }
}

export async function updateRule(ctx: AppContext, actor: Actor, id: number, patch: Partial<RuleInput>): Promise<RuleView> {
  const [row] = await ctx.db.orm.select().from(rules).where(eq(rules.id, id));
  if (!row) throw new AppError(404, 'not_found', `规则 ${id} 不存在`);
  if (patch.query !== undefined) checkQuery(patch.query);
  if (patch.departmentCode) await assertDepartment(ctx, patch.departmentCode);
  return writeRule(
    ctx,
    ctx.db.orm
      .update(rules)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.query !== undefined ? { query: patch.query } : {}),
        ...(patch.severity !== undefined ? { severity: patch.severity } : {}),
        ...(patch.departmentCode !== undefined ? { departmentCode: patch.departmentCode } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
        ...(patch.minSignal !== undefined ? { minSignal: patch.minSignal } : {}),
        updatedAt: ctx.now(),
      })
      .where(eq(rules.id, id))
      .returning(),
    patch.name,
    auditStatement(
      ctx,
      actor,
      'rule',
      id,
      'update',
      { name: row.name, query: row.query, severity: row.severity, departmentCode: row.departmentCode, enabled: row.enabled, minSignal: row.minSignal },
      { name: row.name, query: row.query, severity: row.severity, departmentCode: row.departmentCode, enabled: row.enabled, minSignal: row.minSignal, ...patch },
    ),
  );
}

export async function listRules(ctx: AppContext, page: { limit: number; offset: number }): Promise<RuleView[]> {
  const rows = await ctx.db.orm.select().from(rules).orderBy(asc(rules.id)).limit(page.limit).offset(page.offset);
  return rows.map(toView);
}

export function testRule(query: string, text: string): { matched: boolean; terms: string[] } {
  checkQuery(query);
  return testRuleQuery(query, text);
}

export interface ActiveRules {
  matcher: RuleMatcher;
  byId: Map<number, RuleRow>;
}

const cache = new WeakMap<AppContext, { version: string; rules: ActiveRules }>();

/** The enabled rules compiled into one matcher, rebuilt only when a rule changes. */
export async function activeRules(ctx: AppContext): Promise<ActiveRules> {
  const version = (await readMeta(ctx.db, VERSION_KEY)) ?? '0';
  const cached = cache.get(ctx);
  if (cached?.version === version) return cached.rules;
  const rows = await ctx.db.orm.select().from(rules).where(eq(rules.enabled, true));
  const compiled: ActiveRules = {
    matcher: compileRules(rows.map((r) => ({ id: r.id, query: r.query }))),
    byId: new Map(rows.map((r) => [r.id, r])),
  };
  cache.set(ctx, { version, rules: compiled });
  return compiled;
}

/** Rules declared under feeds/: created, or updated by name, at start. */
export async function upsertConfiguredRules(ctx: AppContext, declared: RuleInput[]): Promise<string[]> {
  const problems: string[] = [];
  for (const [i, rule] of declared.entries()) {
    try {
      const [existing] = await ctx.db.orm.select().from(rules).where(eq(rules.name, rule.name));
      if (!existing) await createRule(ctx, SYSTEM_ACTOR, rule, 'config');
      else if (
        existing.query !== rule.query ||
        existing.severity !== rule.severity ||
        existing.departmentCode !== (rule.departmentCode ?? null) ||
        existing.minSignal !== (rule.minSignal ?? 0)
      ) {
        await updateRule(ctx, SYSTEM_ACTOR, existing.id, rule);
      }
    } catch (err) {
      problems.push(`rules[${i}]（${rule.name}）: ${(err as Error).message}`);
    }
  }
  return problems;
}
