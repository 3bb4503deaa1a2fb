import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's root: the nearest folder above this module holding package.json. Found by
 * walking up rather than by a fixed `../../..`, so that the same code works from src/ under tsx
 * and from the bundle `npm start` builds into dist/.
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot();

/** A path under the project's root. */
export const fromRoot = (...parts: string[]) => join(PROJECT_ROOT, ...parts);
