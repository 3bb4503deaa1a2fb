import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/app/accounts/actor.js';
import { setDay } from '../../src/app/calendar.js';
import { registerRequest } from '../../src/app/disclosure/requests.js';
import { registerDocument, updateDocument } from '../../src/app/documents.js';
import { disclosureRequests, documents } from '../../src/db/schema.js';
import { seedDepartment, startTestApp, type TestApp } from '../support/app.js';

// A due date is computed from the calendar as it was read; a calendar change committed between
// that read and the write (or a write committed between a calendar change's read of the documents
// and its own write) must not leave a due date of the calendar before the change. Both run at once
// here, the second started after every number of turns of the microtask queue up to SPREAD, so
// that each of the interleavings the code allows is met.

const SPREAD = 40;
// Published Friday 2026-11-20: three working days on, Wednesday 25th; with Tuesday 24th made a
// holiday, Thursday 26th.
const PUBLISHED = '2026-11-20T10:00:00+08:00';
const HOLIDAY = '2026-11-24';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ now: '2026-11-20T12:00:00+08:00' });
  await seedDepartment(t, 'fgw', '市发展改革委');
});
afterEach(() => t.close());

/** `fn` after `turns` turns of the microtask queue. */
async function after<T>(turns: number, fn: () => Promise<T>): Promise<T> {
  for (let i = 0; i < turns; i++) await null;
  return fn();
}

const dueOf = async (id: number) => (await t.db.orm.select({ due: documents.interpretationDueDate }).from(documents).where(eq(documents.id, id)))[0]!.due;

describe('due dates and a calendar change at the same moment', () => {
  it('when a document is registered while a day becomes a holiday, then its due date is of the calendar after the change', async () => {
    const wrong: string[] = [];
    for (let k = 0; k < SPREAD; k++) {
      for (const [docFirst, label] of [[true, 'document first'], [false, 'calendar first']] as const) {
        const register = () => registerDocument(t.ctx, SYSTEM_ACTOR, { title: `文件 ${k} ${label}`, departmentCode: 'fgw', publishedAt: Date.parse(PUBLISHED) });
        const holiday = () => setDay(t.ctx, SYSTEM_ACTOR, HOLIDAY, 'holiday', '测试假日');
        const doc = docFirst ? (await Promise.all([register(), after(k, holiday)]))[0] : (await Promise.all([after(k, register), holiday()]))[0];
        const due = await dueOf(doc!.id);
        if (due !== '2026-11-26') wrong.push(`${label}, ${k} turns: ${due}`);
        await setDay(t.ctx, SYSTEM_ACTOR, HOLIDAY, 'default');
      }
    }
    expect(wrong).toEqual([]);
  });

  it('when a document is moved into the changed days while a day becomes a holiday, then its due date is of the calendar after the change', async () => {
    const wrong: string[] = [];
    for (let k = 0; k < SPREAD; k++) {
      for (const [docFirst, label] of [[true, 'document first'], [false, 'calendar first']] as const) {
        const doc = await registerDocument(t.ctx, SYSTEM_ACTOR, { title: `文件 ${k} ${label}`, departmentCode: 'fgw', publishedAt: Date.parse('2026-11-02T10:00:00+08:00') });
        const move = () => updateDocument(t.ctx, SYSTEM_ACTOR, doc.id, { publishedAt: Date.parse(PUBLISHED) });
        const holiday = () => setDay(t.ctx, SYSTEM_ACTOR, HOLIDAY, 'holiday', '测试假日');
        await (docFirst ? Promise.all([move(), after(k, holiday)]) : Promise.all([after(k, move), holiday()]));
        const due = await dueOf(doc.id);
        if (due !== '2026-11-26') wrong.push(`${label}, ${k} turns: ${due}`);
        await setDay(t.ctx, SYSTEM_ACTOR, HOLIDAY, 'default');
      }
    }
    expect(wrong).toEqual([]);
  });

  it('when a request for disclosure is registered while a day becomes a holiday, then its due date is of the calendar after the change', async () => {
    const request = (name: string) =>
      registerRequest(t.ctx, SYSTEM_ACTOR, { receivedDate: '2026-11-20', channel: 'online', applicantType: 'natural_person', applicantName: name, description: '某项目清单', departmentCode: 'fgw' });
    const dueOfRequest = async (id: number) => (await t.db.orm.select({ due: disclosureRequests.dueDate }).from(disclosureRequests).where(eq(disclosureRequests.id, id)))[0]!.due;
    const before = await dueOfRequest((await request('参照')).id);
    const wrong: string[] = [];
    for (let k = 0; k < SPREAD; k++) {
      for (const [requestFirst, label] of [[true, 'request first'], [false, 'calendar first']] as const) {
        const holiday = () => setDay(t.ctx, SYSTEM_ACTOR, HOLIDAY, 'holiday', '测试假日');
        const made = requestFirst ? (await Promise.all([request(`${k}`), after(k, holiday)]))[0] : (await Promise.all([after(k, () => request(`${k}`)), holiday()]))[0];
        const due = await dueOfRequest(made.id);
        // One working day later than without the holiday.
        if (due === before) wrong.push(`${label}, ${k} turns: ${due}`);
        await setDay(t.ctx, SYSTEM_ACTOR, HOLIDAY, 'default');
      }
    }
    expect(wrong).toEqual([]);
  });
});
