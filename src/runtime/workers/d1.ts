import type { D1Database } from '@cloudflare/workers-types/2023-07-01/index.js';
import { drizzle } from 'drizzle-orm/d1';
import type { Database, Orm } from '../../db/database.js';
import * as schema from '../../db/schema.js';

/**
 * The storage port over Cloudflare D1. D1 has no interactive transactions; `batch` sends the
 * statements in one request that D1 runs as one implicit transaction (all or nothing), which is
 * exactly what the use cases ask of it.
 */
export function d1Database(binding: D1Database): Database {
  // drizzle types its client against the global D1Database; ours is the module's, the same shape.
  const orm = drizzle(binding as never, { schema });
  return {
    orm: orm as unknown as Orm,
    async batch(statements) {
      if (statements.length === 0) return [];
      return [...(await orm.batch(statements as unknown as Parameters<typeof orm.batch>[0]))];
    },
  };
}
