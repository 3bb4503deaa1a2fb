import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDeclarativeSources, type DeclaredSources } from '../declarative.js';
import { parseSignalWords } from '../../domain/monitoring/signals.js';

/**
 * Reads the declarative sources under feeds/: sources.json and rules.json. A file that is missing
 * declares nothing; a file that is not JSON, or an entry that is malformed, is reported and skipped.
 */
export function readDeclarativeSources(dir: string): DeclaredSources {
  const files: { 'sources.json'?: unknown; 'rules.json'?: unknown } = {};
  const unreadable: { 'sources.json'?: string; 'rules.json'?: string } = {};
  for (const file of ['sources.json', 'rules.json'] as const) {
    try {
      files[file] = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') unreadable[file] = (err as Error).message;
    }
  }
  return checkDeclarativeSources(files, unreadable);
}

/** The negative-signal words of feeds/signals.txt (SPEC §14); none when the file is missing. */
export function readSignalWords(dir: string): string[] {
  try {
    return parseSignalWords(readFileSync(join(dir, 'signals.txt'), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
