import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { meta } from '../db/schema.js';

export async function readMeta(db: Database, key: string): Promise<string | undefined> {
  const rows = await db.orm.select({ value: meta.value }).from(meta).where(eq(meta.key, key));
  return rows[0]?.value;
}

export function writeMeta(db: Database, key: string, value: string) {
  return db.orm.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } });
}
