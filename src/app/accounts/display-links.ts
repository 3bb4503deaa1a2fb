import { desc, eq, sql } from 'drizzle-orm';
import { pageLink } from '../../domain/notifications/messages.js';
import { toIsoUtc } from '../../domain/time.js';
import { displayLinks } from '../../db/schema.js';
import { newToken, sha256Hex } from '../admin-token.js';
import { auditStatement } from '../audit.js';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import type { Actor } from './actor.js';

// Wall screens (大屏, SPEC §15): a duty room's screen shows the board without anyone signing in.
// The link's secret is its only credential and it opens one thing, the board's page
// (/display/<secret>): it is neither a session nor a bearer token, so no /api route accepts it.
// Like personal tokens, the secret is shown once and stored as its SHA-256.

export interface DisplayLinkView {
  id: number;
  name: string;
  createdBy: string;
  createdAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}

type Row = typeof displayLinks.$inferSelect;

const toView = (r: Row): DisplayLinkView => ({
  id: r.id,
  name: r.name,
  createdBy: r.createdBy,
  createdAt: toIsoUtc(r.createdAt),
  lastSeenAt: r.lastSeenAt === null ? null : toIsoUtc(r.lastSeenAt),
  revokedAt: r.revokedAt === null ? null : toIsoUtc(r.revokedAt),
});

/** The address of a secret: under PUBLIC_URL when set, else the origin the request came to. */
export const displayUrl = (ctx: AppContext, origin: string, secret: string) => pageLink(ctx.config.publicUrl ?? origin, `/display/${secret}`);

/** A new link; its address (with the secret) is in this answer only. */
export async function createDisplayLink(
  ctx: AppContext,
  actor: Actor,
  name: string,
  requestOrigin: string,
): Promise<{ id: number; name: string; url: string; createdAt: string }> {
  const secret = newToken();
  const secretHash = await sha256Hex(secret);
  const now = ctx.now();
  const [rows] = (await ctx.db.batch([
    ctx.db.orm.insert(displayLinks).values({ name, secretHash, createdBy: actor.username, createdAt: now }).returning(),
    auditStatement(ctx, actor, 'display_link', sql`(SELECT id FROM display_links WHERE secret_hash = ${secretHash})`, 'create', null, { name }),
  ])) as [Row[]];
  return { id: rows[0]!.id, name, url: displayUrl(ctx, requestOrigin, secret), createdAt: toIsoUtc(now) };
}

export async function listDisplayLinks(ctx: AppContext): Promise<DisplayLinkView[]> {
  const rows = await ctx.db.orm.select().from(displayLinks).orderBy(desc(displayLinks.id));
  return rows.map(toView);
}

/** Revokes a link: the screen showing it gets the 404 page at its next reload. Revoking twice is a no-op. */
export async function revokeDisplayLink(ctx: AppContext, actor: Actor, id: number): Promise<DisplayLinkView> {
  const [row] = await ctx.db.orm.select().from(displayLinks).where(eq(displayLinks.id, id));
  if (!row) throw notFound('大屏链接', id);
  if (row.revokedAt === null) {
    await ctx.db.batch([
      ctx.db.orm.update(displayLinks).set({ revokedAt: ctx.now() }).where(eq(displayLinks.id, id)),
      auditStatement(ctx, actor, 'display_link', id, 'revoke', { name: row.name }, null),
    ]);
  }
  const [after] = await ctx.db.orm.select().from(displayLinks).where(eq(displayLinks.id, id));
  return toView(after!);
}

/**
 * The link a secret opens, or null (malformed, unknown or revoked). Notes when a screen last
 * loaded it, to the minute, so that the admin page can tell a live screen from a dead one.
 */
export async function openDisplayLink(ctx: AppContext, secret: string): Promise<DisplayLinkView | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(secret)) return null;
  const [row] = await ctx.db.orm.select().from(displayLinks).where(eq(displayLinks.secretHash, await sha256Hex(secret)));
  if (!row || row.revokedAt !== null) return null;
  const now = ctx.now();
  if (row.lastSeenAt === null || now - row.lastSeenAt >= 60_000) {
    await ctx.db.orm.update(displayLinks).set({ lastSeenAt: now }).where(eq(displayLinks.id, row.id));
  }
  return toView({ ...row, lastSeenAt: now });
}
