import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { backfillSearchText } from '../../src/app/search-text.js';
import { registerDocument, seedDepartment, startTestApp } from '../support/app.js';

describe('search text', () => {
  it('is written with each document and incident, and filled once for rows stored before it existed', async () => {
    const t = await startTestApp();
    try {
      await seedDepartment(t);
      const doc = await registerDocument(t, { docNumber: 'ＦＧＷ〔2026〕１号', title: '关于 Ｐｏｌｉｃｙ 的通知' });
      await t.call('POST', '/api/incidents', { title: 'ＡＢＣ 事件', severity: 'general' });
      const read = async () => t.db.orm.all<{ d: string; i: string }>(sql`SELECT (SELECT search_text FROM documents) AS d, (SELECT search_text FROM incidents) AS i`);
      expect(await read()).toEqual([{ d: 'fgw〔2026〕1号 关于 policy 的通知', i: 'abc 事件' }]);
      // As if stored before migration 0004: empty, and the one-time fill not yet done.
      await t.db.orm.run(sql`UPDATE documents SET search_text = ''`);
      await t.db.orm.run(sql`UPDATE incidents SET search_text = ''`);
      await t.db.orm.run(sql`DELETE FROM meta WHERE key = 'search_text_v1'`);
      expect(await backfillSearchText(t.ctx)).toEqual({ documents: 1, incidents: 1 });
      expect(await read()).toEqual([{ d: 'fgw〔2026〕1号 关于 policy 的通知', i: 'abc 事件' }]);
      expect(await backfillSearchText(t.ctx)).toEqual({ documents: 0, incidents: 0 });
      expect(doc.id).toBe(1);
    } finally {
      t.close();
    }
  });
});
