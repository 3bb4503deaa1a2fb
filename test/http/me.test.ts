import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema.js';
import { callAs, signIn, startTestApp, userWithToken, type TestApp } from '../support/app.js';

// POST /api/me/password: the caller changes their own password. The current one is checked (and
// a wrong one counts as a failed sign-in), the new one follows the rule of POST /api/users, the
// caller's other sessions end, and the change is audited. Real SQLite, real app, pinned clock.

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
  await t.call('POST', '/api/departments', { code: 'fgw', name: '市发展改革委' });
});
afterEach(() => t.close());

const ORIGIN = 'http://localhost';
const NEW_PASSWORD = 'a-brand-new-password-7';

describe('POST /api/me/password', () => {
  it('when the current password is wrong, then 400 naming currentPassword, and nothing changes', async () => {
    const { cookie, password } = await userWithToken(t, 'fgw01', 'drafter', ['fgw']);
    const res = await callAs(t, { cookie, origin: ORIGIN }, 'POST', '/api/me/password', { currentPassword: 'not-my-password', newPassword: NEW_PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'invalid_input', message: 'currentPassword: 当前密码不正确' });
    expect((await callAs(t, { cookie }, 'GET', '/api/me')).status).toBe(200);
    expect(await signIn(t, 'fgw01', password)).toMatch(/^sid=/);
    await expect(signIn(t, 'fgw01', NEW_PASSWORD)).rejects.toThrow(/401/);
  });

  it('when the new password is weak, or a field is missing, then 400 naming the field, and nothing changes', async () => {
    const { cookie, password } = await userWithToken(t, 'fgw01', 'drafter', ['fgw']);
    const weak = await callAs(t, { cookie, origin: ORIGIN }, 'POST', '/api/me/password', { currentPassword: password, newPassword: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.message).toBe('newPassword: 密码至少 10 个字符');
    const missing = await callAs(t, { cookie, origin: ORIGIN }, 'POST', '/api/me/password', { newPassword: NEW_PASSWORD });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/^currentPassword: /);
    const extra = await callAs(t, { cookie, origin: ORIGIN }, 'POST', '/api/me/password', { currentPassword: password, newPassword: NEW_PASSWORD, userId: 1 });
    expect(extra.status).toBe(400);
    expect(await signIn(t, 'fgw01', password)).toMatch(/^sid=/);
    // The same rule as an admin creating an account.
    const created = await t.call('POST', '/api/users', { username: 'weak', displayName: '弱', role: 'press', password: 'short' });
    expect(created.body.error.message).toBe('password: 密码至少 10 个字符');
  });

  it('when it succeeds, then the old password no longer signs in, the new one does, other sessions end but this one stays, tokens keep working, and it is audited', async () => {
    const { user, cookie, password, token } = await userWithToken(t, 'fgw01', 'drafter', ['fgw']);
    const otherDevice = await signIn(t, 'fgw01', password);
    const thirdDevice = await signIn(t, 'fgw01', password);
    const [before] = await t.db.orm.select().from(users);

    const res = await callAs(t, { cookie, origin: ORIGIN }, 'POST', '/api/me/password', { currentPassword: password, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, endedSessions: 2 });

    await expect(signIn(t, 'fgw01', password)).rejects.toThrow(/401/);
    expect(await signIn(t, 'fgw01', NEW_PASSWORD)).toMatch(/^sid=/);
    expect((await callAs(t, { cookie }, 'GET', '/api/me')).body.username).toBe('fgw01');
    expect((await callAs(t, { cookie: otherDevice }, 'GET', '/api/me')).status).toBe(401);
    expect((await callAs(t, { cookie: thirdDevice }, 'GET', '/api/me')).status).toBe(401);
    expect((await callAs(t, { token }, 'GET', '/api/me')).status).toBe(200);
    const [after] = await t.db.orm.select().from(users);
    expect(after!.passwordHash).not.toBe(before!.passwordHash);
    // A new version, even on the pinned clock: an admin's edit read before it is tried again.
    expect(after!.updatedAt).toBeGreaterThan(before!.updatedAt);
    expect(after!.passwordHash).toMatch(/^scrypt\$/);

    const audit = (await t.call('GET', `/api/audit?entity=user&entityId=${user.id}`)).body.items;
    expect(audit[0]).toMatchObject({ actor: 'fgw01', action: 'update_with_password', entity: 'user', entityId: String(user.id), at: '2026-11-20T02:00:00.000Z' });
    expect(audit[0].after).toMatchObject({ username: 'fgw01', role: 'drafter', departmentCodes: ['fgw'] });
    expect(JSON.stringify(audit)).not.toContain(NEW_PASSWORD);
    expect(JSON.stringify(audit)).not.toContain(password);
  });

  it('when changed with a personal token, then every session of the user ends', async () => {
    const { cookie, password, token } = await userWithToken(t, 'xwb01', 'press');
    const res = await callAs(t, { token }, 'POST', '/api/me/password', { currentPassword: password, newPassword: NEW_PASSWORD });
    expect(res.body).toEqual({ ok: true, endedSessions: 1 });
    expect((await callAs(t, { cookie }, 'GET', '/api/me')).status).toBe(401);
  });

  it('when the current password is wrong five times, then the user name is locked for sign-in and for this, even with the right password', async () => {
    const { cookie, password } = await userWithToken(t, 'fgw01', 'drafter', ['fgw']);
    for (let i = 0; i < 5; i++) {
      const res = await callAs(t, { cookie, origin: ORIGIN }, 'POST', '/api/me/password', { currentPassword: `guess-${i}`, newPassword: NEW_PASSWORD });
      expect(res.status, `attempt ${i + 1}`).toBe(400);
    }
    const locked = await callAs(t, { cookie, origin: ORIGIN }, 'POST', '/api/me/password', { currentPassword: password, newPassword: NEW_PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body.error.message).toBe('当前密码错误次数过多，请 15 分钟后再试');
    await expect(signIn(t, 'fgw01', password)).rejects.toThrow(/429/);
    t.setNow('2026-11-20T10:16:00+08:00');
    const later = await callAs(t, { cookie, origin: ORIGIN }, 'POST', '/api/me/password', { currentPassword: password, newPassword: NEW_PASSWORD });
    expect(later.status).toBe(200);
  });

  it('when a cookie post comes from another site, then 403 and the password stays', async () => {
    const { cookie, password } = await userWithToken(t, 'fgw01', 'drafter', ['fgw']);
    const res = await callAs(t, { cookie, origin: 'https://evil.example' }, 'POST', '/api/me/password', { currentPassword: password, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(403);
    expect(await signIn(t, 'fgw01', password)).toMatch(/^sid=/);
  });

  it('when the ADMIN_TOKEN asks, then 422: it is no user and has no password', async () => {
    const res = await t.call('POST', '/api/me/password', { currentPassword: 'whatever-it-is', newPassword: NEW_PASSWORD });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('no_user');
    expect(res.body.error.message).toContain('个人账户');
  });

  it('is in the OpenAPI document with an operationId, for every signed-in role', async () => {
    const doc = (await (await t.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, { operationId?: string }>> };
    expect(doc.paths['/api/me/password']?.post?.operationId).toBe('changeOwnPassword');
    for (const role of ['admin', 'press', 'leader']) {
      const { cookie, password } = await userWithToken(t, `u-${role}`, role);
      const res = await callAs(t, { cookie, origin: ORIGIN }, 'POST', '/api/me/password', { currentPassword: password, newPassword: NEW_PASSWORD });
      expect(res.status, role).toBe(200);
    }
  });
});
