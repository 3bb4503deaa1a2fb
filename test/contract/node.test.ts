import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deadlineSweepJob, deliveryJob, monitoringJob } from '../../src/app/jobs.js';
import { EnvSchema } from '../../src/runtime/node/env.js';
import { startService } from '../../src/runtime/node/service.js';
import { describeApiContract } from './api-contract.js';

// The API contract against the Node service exactly as `npm start` runs it (a SQLite file,
// feeds/ loaded, @hono/node-server on 127.0.0.1); its scheduler's jobs are fired by hand.
describeApiContract('Node (npm start)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'contract-node-'));
  const adminToken = 'contract-admin-token-0123456789';
  const service = await startService(
    EnvSchema.parse({ PORT: '0', HOST: '127.0.0.1', DB_PATH: join(dir, 'app.sqlite'), ADMIN_TOKEN: adminToken, SCHEDULER: 'off', ALLOW_PRIVATE_FEEDS: '1' }),
  );
  return {
    base: `http://127.0.0.1:${service.port}`,
    adminToken,
    async scheduled(job) {
      await (job === 'sweep' ? deadlineSweepJob(service.ctx) : job === 'monitor' ? monitoringJob(service.ctx) : deliveryJob(service.ctx));
    },
    async close() {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
