import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDepartment, startTestApp, userWithToken, type TestApp } from '../support/app.js';

// Two changes of different fields of one record at the same moment both take effect. Each of these
// updates reads the record, applies its patch and writes the record back whole; before the write
// was guarded, the second to finish wrote back the first one's field as it had read it. (Documents
// and incidents: test/http/documents.test.ts, with If-Match.)

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
  await seedDepartment(t, 'fgw', '市发展改革委');
});
afterEach(() => t.close());

/** Both PATCHes at once; then the record as read back (from `read`, a list, where it has no GET of its own). */
async function both(path: string, a: Record<string, unknown>, b: Record<string, unknown>, read?: { list: string; id: number }) {
  const answers = await Promise.all([t.call('PATCH', path, a), t.call('PATCH', path, b)]);
  expect(answers.map((r) => r.status), JSON.stringify(answers.map((r) => r.body))).toEqual([200, 200]);
  if (!read) return (await t.call('GET', path)).body;
  return (await t.call('GET', read.list)).body.items.find((r: { id: number }) => r.id === read.id);
}

describe('two PATCHes at once', () => {
  it('feeds: a new name and a new interval are both kept', async () => {
    const created = await t.call('POST', '/api/feeds', { name: '门户网站', url: 'http://127.0.0.1:8/a.xml' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const feed = created.body;
    expect(await both(`/api/feeds/${feed.id}`, { name: '市政府门户网站' }, { intervalMinutes: 60 })).toMatchObject({ name: '市政府门户网站', intervalMinutes: 60 });
  });

  it('notification channels: a new name and a disabled state are both kept', async () => {
    const created = await t.call('POST', '/api/channels', { name: '值班群', kind: 'webhook', url: 'http://127.0.0.1:8/hook' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const channel = created.body;
    expect(await both(`/api/channels/${channel.id}`, { name: '新闻办值班群' }, { enabled: false })).toMatchObject({ name: '新闻办值班群', enabled: false });
  });

  it('users: an account disabled while its password is being changed stays disabled', async () => {
    const created = await t.call('POST', '/api/users', { username: 'zhang', displayName: '张三', role: 'press', password: 'a-long-password' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const user = created.body;
    expect(await both(`/api/users/${user.id}`, { password: 'another-long-password' }, { disabled: true }, { list: '/api/users', id: user.id })).toMatchObject({ disabled: true });
    // The new password was set too: it is refused only because the account is disabled.
    await t.call('PATCH', `/api/users/${user.id}`, { disabled: false });
    const signIn = await t.app.request('/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'zhang', password: 'another-long-password' }) });
    expect(signIn.status).toBe(200);
  });

  it('users: when two admins disable each other at once, then one is disabled and the other refused (403): an admin is left', async () => {
    const a = await userWithToken(t, 'admin-a', 'admin');
    const b = await userWithToken(t, 'admin-b', 'admin');
    const as = (who: { token: string }) => ({ Authorization: `Bearer ${who.token}` });
    // B's change also sets A's password: it is hashed (tens of milliseconds) after B's request has
    // passed every check, while A's request disables B.
    const answers = await Promise.all([
      t.call('PATCH', `/api/users/${a.user.id}`, { disabled: true, password: 'a-new-long-password' }, as(b)),
      t.call('PATCH', `/api/users/${b.user.id}`, { disabled: true }, as(a)),
    ]);
    // (Usually A's goes through first; either way, one and only one.)
    expect(answers.map((r) => r.status).sort()).toEqual([200, 403]);
    expect(answers.find((r) => r.status === 403)!.body.error).toMatchObject({ code: 'no_longer_admin' });
    const list = (await t.call('GET', '/api/users')).body.items as { username: string; disabled: boolean }[];
    expect(list.filter((u) => u.username.startsWith('admin-') && !u.disabled)).toHaveLength(1);
  });
});

describe('依申请公开: two changes of one request at once', () => {
  const REQUEST = { receivedAt: '2026-11-16', channel: 'online', applicantType: 'natural_person', applicantName: '张三', description: '2025年本区老旧小区改造项目清单', departmentCode: 'fgw' };

  it('when two PATCHes of different fields run at once, then both are kept', async () => {
    const req = (await t.call('POST', '/api/disclosure-requests', REQUEST)).body;
    expect(await both(`/api/disclosure-requests/${req.id}`, { applicantName: '李四' }, { contact: '13900000000' })).toMatchObject({ applicantName: '李四', contact: '13900000000' });
  });

  it('when the same closing event is recorded twice at once, then one is recorded and the other refused (409): the request is closed once', async () => {
    const req = (await t.call('POST', '/api/disclosure-requests', REQUEST)).body;
    const withdraw = () => t.call('POST', `/api/disclosure-requests/${req.id}/events`, { type: 'withdrawn', date: '2026-11-18' });
    const answers = await Promise.all([withdraw(), withdraw()]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    const after = (await t.call('GET', `/api/disclosure-requests/${req.id}`)).body;
    expect(after.events.filter((e: { type: string }) => e.type === 'withdrawn')).toHaveLength(1);
  });
});
