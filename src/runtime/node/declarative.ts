import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { FeedInput } from '../../app/monitoring/feeds.js';
import type { RuleInput } from '../../app/monitoring/rules.js';
import { FeedInput as FeedSchema, RuleInput as RuleSchema } from '../../http/monitoring-schemas.js';

const File = <T extends z.ZodTypeAny>(key: string, item: T) => z.object({ [key]: z.array(item) }).passthrough();

/**
 * Reads the declarative sources under feeds/: sources.json and rules.json. A file that is missing
 * declares nothing; an entry that is malformed is reported (with its file and index) and skipped,
 * so one typo cannot stop the service from starting.
 */
export function readDeclarativeSources(dir: string): { feeds: FeedInput[]; rules: RuleInput[]; problems: string[] } {
  const problems: string[] = [];
  const read = <T>(file: string, key: string, schema: z.ZodType<T>): T[] => {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${file}: ${(err as Error).message}`);
      return [];
    }
    const list = File(key, z.unknown()).safeParse(json);
    if (!list.success) {
      problems.push(`${file}: 应为 {"${key}": [...]}`);
      return [];
    }
    const out: T[] = [];
    (list.data[key] as unknown[]).forEach((entry, i) => {
      const parsed = schema.safeParse(entry);
      if (parsed.success) out.push(parsed.data);
      else problems.push(`${file} ${key}[${i}]: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('；')}`);
    });
    return out;
  };
  return {
    feeds: read('sources.json', 'feeds', FeedSchema as unknown as z.ZodType<FeedInput>),
    rules: read('rules.json', 'rules', RuleSchema as unknown as z.ZodType<RuleInput>),
    problems,
  };
}
