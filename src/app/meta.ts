import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { meta } from '../db/schema.js';

/** The read of one meta value, built and prepared once per database (every poll reads the rules' version). */
function prepareRead(db: Database) {
  return db.orm
    .select({ value: meta.value })
    .from(meta)
    .where(eq(meta.key, sql.placeholder('key')))
    .prepare();
}

const readsByDb = new WeakMap<Database, ReturnType<typeof prepareRead>>();

export async function readMeta(db: Database, key: string): Promise<string | undefined> {
  let read = readsByDb.get(db);
  if (!read) readsByDb.set(db, (read = prepareRead(db)));
  const rows = await read.all({ key });
  return rows[0]?.value;
}

export function writeMeta(db: Database, key: string, value: string) {
  return db.orm.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } });
}
