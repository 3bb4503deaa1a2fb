import { z } from 'zod';
import type { FeedInput } from '../app/monitoring/feeds.js';
import type { RuleInput } from '../app/monitoring/rules.js';
import { FeedInput as FeedSchema, RuleInput as RuleSchema } from '../http/monitoring-schemas.js';

const File = <T extends z.ZodTypeAny>(key: string, item: T) => z.object({ [key]: z.array(item) }).passthrough();

export interface DeclaredSources {
  feeds: FeedInput[];
  rules: RuleInput[];
  problems: string[];
}

/**
 * The declarative sources of feeds/ (sources.json, rules.json), already parsed as JSON by the
 * runtime (read from disk on Node, bundled on Workers); `undefined` for a file that is missing.
 * An entry that is malformed is reported (with its file and index) and skipped, so one typo
 * cannot stop the service from starting.
 */
export function checkDeclarativeSources(
  files: { 'sources.json'?: unknown; 'rules.json'?: unknown },
  /** Files the runtime could not read or parse, with the reason. */
  unreadable: { 'sources.json'?: string; 'rules.json'?: string } = {},
): DeclaredSources {
  const problems: string[] = [];
  const read = <T>(file: 'sources.json' | 'rules.json', key: string, schema: z.ZodType<T>): T[] => {
    if (unreadable[file] !== undefined) {
      problems.push(`${file}: ${unreadable[file]}`);
      return [];
    }
    const json = files[file];
    if (json === undefined) return [];
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
