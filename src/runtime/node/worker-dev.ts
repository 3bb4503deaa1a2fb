import { spawn } from 'node:child_process';
import { allowPrivateUrls } from '../settings.js';
import { childEnvironment, readWorkerDevEnv } from './env.js';
import { PROJECT_ROOT } from './paths.js';

// npm run worker:dev — the Workers build on this machine: the local D1 is migrated first (the same
// db/migrations the Node service applies), then `wrangler dev` (workerd, fully offline) serves the
// same API on 127.0.0.1:$PORT. --test-scheduled adds GET /__scheduled?cron=… to fire a Cron Trigger.

const ROOT = PROJECT_ROOT;
const env = readWorkerDevEnv();

function wrangler(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['--no-install', 'wrangler', ...args], { cwd: ROOT, stdio: 'inherit', env: childEnvironment({ CI: 'true', WRANGLER_SEND_METRICS: 'false' }) });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => child.kill(sig));
  });
}

const state = ['--persist-to', env.WORKER_STATE_DIR];
const migrated = await wrangler(['d1', 'migrations', 'apply', 'DB', '--local', ...state]);
if (migrated !== 0) {
  console.error('本地 D1 迁移失败，未启动 wrangler dev');
  process.exit(migrated);
}

const vars = [
  ...(env.ADMIN_TOKEN ? ['--var', `ADMIN_TOKEN:${env.ADMIN_TOKEN}`] : []),
  '--var',
  `ALLOW_PRIVATE_URLS:${allowPrivateUrls(env) ? 1 : 0}`,
  ...(env.PUBLIC_URL ? ['--var', `PUBLIC_URL:${env.PUBLIC_URL}`] : []),
  ...(env.INTERPRETATION_WORKING_DAYS !== undefined ? ['--var', `INTERPRETATION_WORKING_DAYS:${env.INTERPRETATION_WORKING_DAYS}`] : []),
];
process.exit(await wrangler(['dev', '--ip', '127.0.0.1', '--port', String(env.PORT), '--test-scheduled', '--show-interactive-dev-session=false', ...state, ...vars]));
