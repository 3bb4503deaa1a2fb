import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROLES } from '../../src/app/accounts/actor.js';
import { ROUTE_POLICY } from '../../src/app/accounts/policy.js';
import { apiTokens, users } from '../../src/db/schema.js';
import { callAs, registerDocument, seedDepartment, signIn, startTestApp, userWithToken, type TestApp } from '../support/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
  await seedDepartment(t, 'fgw', '市发展改革委');
  await seedDepartment(t, 'jyj', '市教育局');
});
afterEach(() => t.close());

// Ids that name nothing: an allowed call then answers 404, and none of them changes the callers
// themselves (revoking token 1 would end the first user's own token mid-walk).
const SAMPLE_PARAMS: Record<string, string> = { id: '999', documentId: '999', date: '2026-11-23', year: '2026' };
const concrete = (path: string) => path.replace(/:(\w+)/g, (_, name: string) => SAMPLE_PARAMS[name]!);

describe('authorization: every route × every role', () => {
  it('names every API route of the OpenAPI document in the policy table, and nothing else', async () => {
    const doc = (await (await t.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(routes.filter((r) => r !== 'POST /api/session').sort()).toEqual(Object.keys(ROUTE_POLICY).sort());
  });

  it('allows and denies exactly as the role table says', async () => {
    const tokens: Record<string, string> = {};
    for (const role of ROLES) tokens[role] = (await userWithToken(t, `u-${role}`, role, role === 'drafter' ? ['fgw'] : [])).token;
    const outcomes: string[] = [];
    for (const [route, allowed] of Object.entries(ROUTE_POLICY)) {
      const [method, path] = route.split(' ') as [string, string];
      if (route === 'DELETE /api/session') continue; // would end the caller's session; covered below
      for (const role of ROLES) {
        const expectAllowed = allowed === 'authenticated' || allowed.includes(role);
        const res = await callAs(t, { token: tokens[role] }, method, concrete(path), method === 'GET' || method === 'DELETE' ? undefined : {});
        const denied = res.status === 403 && res.body.error.code === 'forbidden';
        expect(res.status, `${role} ${route}`).not.toBe(401);
        outcomes.push(`${role} ${route} ${denied ? 'denied' : 'allowed'}`);
        if (denied === expectAllowed) outcomes.push(`  MISMATCH: expected ${expectAllowed ? 'allowed' : 'denied'}, got ${res.status}`);
      }
    }
    expect(outcomes.filter((o) => o.includes('MISMATCH'))).toEqual([]);
    expect(outcomes.filter((o) => o.endsWith('denied')).length).toBeGreaterThan(40);
  });

  it('when there are no credentials, then every API route but sign-in answers 401', async () => {
    for (const route of Object.keys(ROUTE_POLICY)) {
      const [method, path] = route.split(' ') as [string, string];
      const res = await t.app.request(concrete(path), { method });
      expect(res.status, route).toBe(401);
    }
  });
});

describe('drafters act for their own departments', () => {
  it('when a drafter registers or changes another department’s document, then 403 and nothing is written', async () => {
    const { token } = await userWithToken(t, 'drafter1', 'drafter', ['fgw']);
    const own = await callAs(t, { token }, 'POST', '/api/documents', { title: '本部门文件', departmentCode: 'fgw', publishedAt: '2026-11-16' });
    expect(own.status).toBe(201);
    const other = await callAs(t, { token }, 'POST', '/api/documents', { title: '他部门文件', departmentCode: 'jyj', publishedAt: '2026-11-16' });
    expect(other.status).toBe(403);
    expect(other.body.error.message).toContain('jyj');
    const theirs = await registerDocument(t, { title: '教育局文件', departmentCode: 'jyj' });
    expect((await callAs(t, { token }, 'PATCH', `/api/documents/${theirs.id}`, { title: '改' })).status).toBe(403);
    expect((await callAs(t, { token }, 'PATCH', `/api/documents/${own.body.id}`, { departmentCode: 'jyj' })).status).toBe(403);
    expect((await callAs(t, { token }, 'POST', '/api/interpretations', { title: '解读', form: 'text', publishedAt: '2026-11-17', documentIds: [theirs.id] })).status).toBe(403);
    const interp = await callAs(t, { token }, 'POST', '/api/interpretations', { title: '解读', form: 'text', publishedAt: '2026-11-17', documentIds: [own.body.id] });
    expect(interp.status).toBe(201);
    expect((await callAs(t, { token }, 'POST', `/api/interpretations/${interp.body.id}/documents`, { documentId: theirs.id })).status).toBe(403);
    expect((await t.call('GET', `/api/documents/${theirs.id}`)).body.title).toBe('教育局文件');
    // Reading the rest is allowed.
    expect((await callAs(t, { token }, 'GET', `/api/documents/${theirs.id}`)).status).toBe(200);
  });
});

describe('sessions, tokens and disabled users', () => {
  it('when signed in, then the cookie is HttpOnly and SameSite=Lax and /api/me names the user', async () => {
    await userWithToken(t, 'leader1', 'leader');
    const res = await t.app.request('/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'leader1', password: 'leader1-password-123' }),
    });
    const cookie = res.headers.get('Set-Cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const me = await callAs(t, { cookie: /sid=[^;]+/.exec(cookie)![0] }, 'GET', '/api/me');
    expect(me.body).toMatchObject({ username: 'leader1', role: 'leader', via: 'session', user: { displayName: 'leader1' } });
    expect(JSON.stringify(me.body)).not.toContain('password');
  });

  it('when a user is disabled, then its sessions and tokens stop at once, and it cannot sign in', async () => {
    const { user, cookie, token, password } = await userWithToken(t, 'press1', 'press');
    expect((await callAs(t, { token }, 'GET', '/api/feeds')).status).toBe(200);
    expect((await callAs(t, { cookie }, 'GET', '/api/feeds')).status).toBe(200);
    expect((await t.call('PATCH', `/api/users/${user.id}`, { disabled: true })).body.disabled).toBe(true);
    expect((await callAs(t, { token }, 'GET', '/api/feeds')).status).toBe(401);
    expect((await callAs(t, { cookie }, 'GET', '/api/feeds')).status).toBe(401);
    await expect(signIn(t, 'press1', password)).rejects.toThrow(/401/);
    await t.call('PATCH', `/api/users/${user.id}`, { disabled: false });
    expect((await callAs(t, { token }, 'GET', '/api/feeds')).status).toBe(200); // the token was not revoked
    expect((await callAs(t, { cookie }, 'GET', '/api/feeds')).status).toBe(401); // but sessions were ended
  });

  it('when a token is revoked, then it stops; the token is shown once and stored only hashed', async () => {
    const { token, tokenId, cookie } = await userWithToken(t, 'press2', 'press');
    const list = await callAs(t, { token }, 'GET', '/api/tokens');
    expect(list.body.items).toEqual([expect.objectContaining({ id: tokenId, name: 'test', revokedAt: null })]);
    expect(JSON.stringify(list.body)).not.toContain(token);
    const stored = await t.db.orm.select().from(apiTokens);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect((await callAs(t, { cookie, origin: 'http://localhost' }, 'DELETE', `/api/tokens/${tokenId}`)).body.revokedAt).not.toBeNull();
    expect((await callAs(t, { token }, 'GET', '/api/me')).status).toBe(401);
  });

  it('when signed out, then the session no longer works', async () => {
    const { cookie } = await userWithToken(t, 'leader2', 'leader');
    expect((await callAs(t, { cookie, origin: 'http://localhost' }, 'DELETE', '/api/session')).status).toBe(200);
    expect((await callAs(t, { cookie }, 'GET', '/api/me')).status).toBe(401);
  });

  it('when the admin token asks for a personal token, then 422: it is no user', async () => {
    expect((await t.call('POST', '/api/tokens', { name: 'x' })).status).toBe(422);
    expect((await t.call('GET', '/api/me')).body).toMatchObject({ username: 'admin-token', role: 'admin', user: null });
  });
});

describe('cookie-authenticated writes are protected against cross-site requests', () => {
  it('when a cookie write comes from another site, or says nothing of its origin, then 403; from our own pages, it works', async () => {
    const { cookie } = await userWithToken(t, 'press3', 'press');
    const body = { name: '跨站', query: '测试', severity: 'general' };
    const evil = await callAs(t, { cookie, origin: 'https://evil.example' }, 'POST', '/api/rules', body);
    expect(evil.status).toBe(403);
    expect(evil.body.error.code).toBe('cross_site');
    expect((await callAs(t, { cookie }, 'POST', '/api/rules', body)).status).toBe(403);
    expect((await t.call('GET', '/api/rules')).body.items).toEqual([]);
    expect((await callAs(t, { cookie, origin: 'https://evil.example' }, 'GET', '/api/rules')).status).toBe(200);
    expect((await callAs(t, { cookie, origin: 'http://localhost' }, 'POST', '/api/rules', body)).status).toBe(201);
  });
});

describe('sign-in throttling', () => {
  it('when a user name fails five times, then it is locked, even with the right password', async () => {
    const { password } = await userWithToken(t, 'drafter9', 'drafter', ['fgw']);
    for (let i = 0; i < 5; i++) await expect(signIn(t, 'drafter9', 'wrong-password')).rejects.toThrow(/401/);
    await expect(signIn(t, 'drafter9', password)).rejects.toThrow(/429/);
    // From another address too: the lock is on the user name.
    await expect(signIn(t, 'drafter9', password, { 'X-Test-Address': '10.0.0.9' })).rejects.toThrow(/429/);
    // Fifteen minutes later it may try again.
    t.setNow('2026-11-20T10:16:00+08:00');
    expect(await signIn(t, 'drafter9', password)).toMatch(/^sid=/);
  });

  it('when one address fails twenty times across names, then that address is locked', async () => {
    const { password } = await userWithToken(t, 'leader9', 'leader');
    for (let i = 0; i < 20; i++) await expect(signIn(t, `nobody${i}`, 'x', { 'X-Test-Address': '10.0.0.66' })).rejects.toThrow(/401/);
    await expect(signIn(t, 'leader9', password, { 'X-Test-Address': '10.0.0.66' })).rejects.toThrow(/429/);
    expect(await signIn(t, 'leader9', password, { 'X-Test-Address': '10.0.0.67' })).toMatch(/^sid=/);
  });
});

describe('users', () => {
  it('never returns a password, refuses duplicates, and stores passwords only hashed', async () => {
    const created = await t.call('POST', '/api/users', { username: 'zhang', displayName: '张三', role: 'press', password: 'a-long-password' });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain('a-long-password');
    expect((await t.call('POST', '/api/users', { username: 'zhang', displayName: '张三', role: 'press', password: 'a-long-password' })).status).toBe(409);
    const [row] = await t.db.orm.select().from(users);
    expect(row!.passwordHash).toMatch(/^scrypt\$/);
    expect((await t.call('POST', '/api/users', { username: 'li', displayName: '李四', role: 'drafter', password: 'a-long-password' })).body.error.message).toMatch(/^departmentCodes: /);
    expect((await t.call('POST', '/api/users', { username: 'wang', displayName: '王五', role: 'press', password: 'short' })).body.error.message).toMatch(/^password: /);
  });

  it('when an admin would lock itself out, then 422', async () => {
    const { user, cookie } = await userWithToken(t, 'admin1', 'admin');
    const res = await callAs(t, { cookie, origin: 'http://localhost' }, 'PATCH', `/api/users/${user.id}`, { disabled: true });
    expect(res.status).toBe(422);
  });
});

describe('audit log', () => {
  it('records every change with its actor, before and after, and is readable by admins and leaders only', async () => {
    const { token } = await userWithToken(t, 'drafter2', 'drafter', ['fgw']);
    const doc = await callAs(t, { token }, 'POST', '/api/documents', { docNumber: '甲〔2026〕1号', title: '原标题', departmentCode: 'fgw', publishedAt: '2026-11-16' });
    await callAs(t, { token }, 'PATCH', `/api/documents/${doc.body.id}`, { title: '新标题' });
    await t.call('PUT', '/api/calendar/days/2026-11-23', { kind: 'holiday', name: '调整' });

    const entries = (await t.call('GET', `/api/audit?entity=document&entityId=${doc.body.id}`)).body.items;
    expect(entries.map((e: any) => [e.actor, e.action])).toEqual([
      ['drafter2', 'update'],
      ['drafter2', 'create'],
    ]);
    expect(entries[0].before.title).toBe('原标题');
    expect(entries[0].after.title).toBe('新标题');
    expect(entries[1]).toMatchObject({ before: null, after: { docNumber: '甲〔2026〕1号', publishedAt: '2026-11-15T16:00:00.000Z' } });
    expect((await t.call('GET', '/api/audit?actor=admin-token&entity=calendar_day')).body.items).toEqual([
      expect.objectContaining({ entityId: '2026-11-23', action: 'override', after: { date: '2026-11-23', kind: 'holiday', name: '调整' } }),
    ]);
    const users = (await t.call('GET', '/api/audit?entity=user')).body.items;
    expect(users.some((e: any) => e.action === 'create' && e.after.username === 'drafter2')).toBe(true);
    expect(JSON.stringify(users)).not.toContain('drafter2-password-123');

    const leader = await userWithToken(t, 'leader3', 'leader');
    expect((await callAs(t, { token: leader.token }, 'GET', '/api/audit')).status).toBe(200);
    expect((await callAs(t, { token }, 'GET', '/api/audit')).status).toBe(403);
    expect((await t.call('GET', '/api/audit?entity=nonsense')).status).toBe(400);
  });

  it('cannot be changed or deleted, even directly in the database', async () => {
    await t.call('POST', '/api/departments', { code: 'wjw', name: '市卫生健康委' });
    const refusal = async (statement: ReturnType<typeof sql>) => {
      try {
        await t.db.orm.run(statement);
        return 'accepted';
      } catch (err) {
        return `${String(err)} ${String((err as Error).cause)}`;
      }
    };
    expect(await refusal(sql`UPDATE audit_log SET actor = 'someone'`)).toMatch(/append-only/);
    expect(await refusal(sql`DELETE FROM audit_log`)).toMatch(/append-only/);
    expect((await t.call('GET', '/api/audit?entity=department&entityId=wjw')).body.items).toEqual([
      expect.objectContaining({ actor: 'admin-token', action: 'create', after: { code: 'wjw', name: '市卫生健康委' } }),
    ]);
  });
});
