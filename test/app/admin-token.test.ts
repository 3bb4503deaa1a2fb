import { describe, expect, it } from 'vitest';
import { resolveAdminToken, sha256Hex } from '../../src/app/admin-token.js';
import { createApp } from '../../src/http/app.js';
import { readMeta } from '../../src/app/meta.js';
import { startTestApp, tempDir } from '../support/app.js';

describe('admin token bootstrap', () => {
  it('when no token is configured, then the first start generates one, keeps only its hash, and later starts reuse it', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = `${dir}/db.sqlite`;
      const first = await startTestApp({ path });
      const created = await resolveAdminToken(first.ctx, undefined);
      expect(created.generated).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(created.sha256).toBe(await sha256Hex(created.generated!));
      expect(await readMeta(first.db, 'admin_token_sha256')).toBe(created.sha256);
      first.close();

      const second = await startTestApp({ path });
      const again = await resolveAdminToken(second.ctx, undefined);
      expect(again).toEqual({ sha256: created.sha256 }); // not shown a second time
      const app = createApp({ ctx: second.ctx, adminTokenSha256: again.sha256 });
      const me = (token: string) => app.request('/api/me', { headers: { Authorization: `Bearer ${token}` } });
      expect((await me(created.generated!)).status).toBe(200);
      expect((await me(`${created.generated!}x`)).status).toBe(401);
      second.close();
    } finally {
      cleanup();
    }
  });

  it('when a token is configured, then it wins over a stored one', async () => {
    const t = await startTestApp();
    await resolveAdminToken(t.ctx, undefined);
    const configured = await resolveAdminToken(t.ctx, 'a-configured-token-of-some-length');
    expect(configured).toEqual({ sha256: await sha256Hex('a-configured-token-of-some-length') });
    t.close();
  });
});
