import { defineConfig } from 'drizzle-kit';

// One set of SQL migrations for both drivers: better-sqlite3 applies them at start, and
// wrangler's D1 `migrations_dir` points here too.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './db/migrations',
});
