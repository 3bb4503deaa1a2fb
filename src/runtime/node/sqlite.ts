import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database, Orm, Statement } from '../../db/database.js';
import * as schema from '../../db/schema.js';
import { fromRoot } from './paths.js';

export const MIGRATIONS_DIR = fromRoot('db', 'migrations');

interface SyncPrepared {
  execute(): { sync(): unknown };
}

/** Opens (creating if needed) and migrates a SQLite file, or ':memory:'. */
/**
 * Rows per run of a rowsStatement: ten rows of an item are ~120 bound values, and a run of ten
 * costs about as much as a run of one (100 items: ~0.75 ms one by one, ~0.58 ms ten at a time;
 * more per run gained nothing).
 */
const ROWS_PER_RUN = 10;

export function openSqlite(path: string): Database & { close(): void; checkpoint(): unknown } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // After a checkpoint the WAL file is cut back to this size rather than kept at its largest.
  sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  // better-sqlite3 runs synchronously, so the whole list commits or rolls back together.
  const runAll = sqlite.transaction((statements: readonly unknown[]) =>
    statements.map((s) => (s as { _prepare(): SyncPrepared })._prepare().execute().sync()),
  );
  const orm = drizzle(sqlite, { schema });
  migrate(orm, { migrationsFolder: MIGRATIONS_DIR });
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  const rowStatements = new Map<string, BetterSqlite3.Statement>();
  return {
    orm: orm as unknown as Orm,
    async batch(statements) {
      return runAll.immediate(statements);
    },
    dataVersion: () => dataVersion.get() as number,
    rowsStatement(head, tuple, rows) {
      /** The statement of `count` tuples (prepared once). */
      const statementOf = (count: number) => {
        const key = `${count}\n${head}\n${tuple}`;
        let statement = rowStatements.get(key);
        if (!statement) rowStatements.set(key, (statement = sqlite.prepare(`${head} VALUES ${Array(count).fill(tuple).join(', ')}`)));
        return statement;
      };
      // What runAll calls on a batch item: _prepare().execute().sync(). SQLite inserts a VALUES
      // list in its order: ids keep the rows' order.
      const execute = {
        sync: () => {
          const results = [];
          for (let from = 0; from < rows.length; from += ROWS_PER_RUN) {
            const group = rows.slice(from, from + ROWS_PER_RUN);
            results.push(statementOf(group.length).run(...group.flat()));
          }
          return results;
        },
      };
      const item = { _prepare: () => ({ execute: () => execute }) };
      return item as unknown as Statement;
    },
    close: () => sqlite.close(),
    /**
     * Copies the whole WAL back into the database and truncates it. SQLite checkpoints on its
     * own every 1,000 pages, but only as far as no reader holds it back; this one runs when asked.
     */
    checkpoint: () => sqlite.pragma('wal_checkpoint(TRUNCATE)', { simple: false }) as { busy: number; log: number; checkpointed: number }[],
  };
}

/**
 * A consistent copy of a live database (SQLite's online backup: other connections may go on
 * reading and writing), then an integrity check of the copy. `onProgress` gets the share done.
 *
 * The copy is made in one step, one read of a snapshot (WAL: writers go on meanwhile). SQLite
 * restarts a backup made in steps whenever another connection writes between them, so under a
 * steady write or two a second it never finished.
 *
 * The copy is written to `<target>.partial` and renamed to `target` only once it is whole and
 * passes the check: an interrupted backup leaves no `target` that looks like a backup but is not
 * one (a leftover `.partial` is replaced by the next run). A copy that fails the check is kept
 * as `.partial`, for inspection.
 */
export async function backupSqlite(source: string, target: string, onProgress?: (done: number) => void): Promise<{ pages: number; integrity: string }> {
  const sqlite = new BetterSqlite3(source, { fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
    const partial = `${target}.partial`;
    rmSync(partial, { force: true });
    const result = await sqlite.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        onProgress?.(totalPages === 0 ? 1 : (totalPages - remainingPages) / totalPages);
        return 0x7fffffff; // every page in the next step
      },
    });
    const copy = new BetterSqlite3(partial, { readonly: true });
    let integrity: string;
    try {
      integrity = String(copy.pragma('integrity_check', { simple: true }));
    } finally {
      copy.close();
    }
    if (integrity === 'ok') renameSync(partial, target);
    onProgress?.(1);
    return { pages: result.totalPages, integrity };
  } finally {
    sqlite.close();
  }
}
