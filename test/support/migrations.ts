import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS_DIR } from '../../src/runtime/node/sqlite.js';
import { tempDir } from './app.js';

/**
 * A copy, under `dir`, of the migrations numbered below `idx`: a database migrated with it is one
 * of the release before migration `idx`, ready to be migrated the rest of the way.
 */
export function migrationsBefore(idx: number, dir: string): string {
  const folder = join(dir, 'migrations');
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.idx < idx);
  for (const e of journal.entries) cpSync(join(MIGRATIONS_DIR, `${e.tag}.sql`), join(folder, `${e.tag}.sql`));
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify(journal));
  return folder;
}

/**
 * A database file of the release before migration `idx` (foreign keys on, as the service opens
 * it), in a temporary folder that `cleanup` removes: fill it with `old`, close it, then open `path`
 * with openSqlite to migrate it the rest of the way.
 */
export function databaseBefore(idx: number): { old: BetterSqlite3.Database; path: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'app.sqlite');
  const old = new BetterSqlite3(path);
  old.pragma('foreign_keys = ON');
  migrate(drizzle(old), { migrationsFolder: migrationsBefore(idx, dir) });
  return { old, path, cleanup };
}
