import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database, Orm } from '../../db/database.js';
import * as schema from '../../db/schema.js';
import { fromRoot } from './paths.js';

export const MIGRATIONS_DIR = fromRoot('db', 'migrations');

interface SyncPrepared {
  execute(): { sync(): unknown };
}

/** Opens (creating if needed) and migrates a SQLite file, or ':memory:'. */
export function openSqlite(path: string): Database & { close(): void } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const orm = drizzle(sqlite, { schema });
  migrate(orm, { migrationsFolder: MIGRATIONS_DIR });
  return {
    orm: orm as unknown as Orm,
    async batch(statements) {
      // better-sqlite3 runs synchronously, so the whole list commits or rolls back together.
      const run = sqlite.transaction(() =>
        statements.map((s) => (s as unknown as { _prepare(): SyncPrepared })._prepare().execute().sync()),
      );
      return run.immediate();
    },
    close: () => sqlite.close(),
  };
}
