import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDocument, seedDepartment, signIn, startTestApp, type TestApp } from '../support/app.js';

// SPEC §15: pages show department names wherever a person reads them, never a bare code.
let t: TestApp;
let cookie: string;
const CODES = ['yjjcode', 'fgwcode'];
beforeAll(async () => {
  t = await startTestApp({ now: '2026-11-20T10:00:00+08:00' });
  await seedDepartment(t, 'yjjcode', '市应急管理局');
  await seedDepartment(t, 'fgwcode', '市发展改革委');
  await t.call('POST', '/api/users', { username: 'leader1', displayName: '分管领导', role: 'leader', password: 'leader-password-123' });
  cookie = await signIn(t, 'leader1', 'leader-password-123');
  await registerDocument(t, { title: '逾期的文件', departmentCode: 'fgwcode', publishedAt: '2026-11-02' });
  await t.call('POST', '/api/incidents', { title: '某区化工厂火灾', severity: 'major', departmentCode: 'yjjcode' });
});
afterAll(() => t.close());

/** The text a person reads: tags and attribute values gone. */
async function visibleText(path: string): Promise<string> {
  const res = await t.app.request(path, { headers: { Cookie: cookie } });
  expect(res.status).toBe(200);
  const html = await res.text();
  return html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, ' ').replace(/<[^>]*>/g, ' ');
}

describe('department names, not codes', () => {
  it.each(['/', '/incidents', '/incidents/1', '/documents', '/documents/1'])('%s shows names and no bare department code', async (path) => {
    const text = await visibleText(path);
    for (const code of CODES) expect(text, `${path} shows ${code}`).not.toContain(code);
    expect(text).toMatch(/市应急管理局|市发展改革委/);
  });
});
