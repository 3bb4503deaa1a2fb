import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { readEnv } from '../../src/runtime/node/env.js';
import { startService } from '../../src/runtime/node/service.js';
import { tempDir } from './app.js';

export interface ServiceProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** Everything the process has printed so far (stdout and stderr). */
  output(): string;
  /** The port it listens on, once it says so; rejects if it exits first or says nothing in 30 s. */
  port: Promise<number>;
}

/**
 * `npm start`'s entry point (src/runtime/node/main.ts) in a process of its own, with `env` over
 * this process's environment: for tests that stop or kill the service mid-work.
 */
export function spawnService(env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/node/main.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const port = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 30 s:\n${out}`)), 30_000);
    child.stdout.on('data', () => {
      const m = /http:\/\/localhost:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${out}`));
    });
  });
  // A rejection after the port was read (the test kills the process) is nobody's concern.
  port.catch(() => {});
  return { child, output: () => out, port };
}

/**
 * The Node service in this process on a temporary database (port chosen by the system, on
 * 127.0.0.1, no scheduled jobs), with `close` stopping it and removing the database.
 */
export async function startTempService(adminToken: string): Promise<{ service: Awaited<ReturnType<typeof startService>>; close(): Promise<void> }> {
  const temp = tempDir();
  const service = await startService(readEnv({ PORT: '0', HOST: '127.0.0.1', DB_PATH: `${temp.dir}/app.sqlite`, ADMIN_TOKEN: adminToken, SCHEDULER: 'off' }));
  return {
    service,
    async close() {
      await service.close();
      temp.cleanup();
    },
  };
}
