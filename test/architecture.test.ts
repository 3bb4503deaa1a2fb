import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layering of STYLE.md, checked on the source text: domain code is pure, and only the
// runtime entries touch Node, native modules, the environment or Workers.
const SRC = fileURLToPath(new URL('../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const files = sourceFiles(SRC).map((path) => ({
  path: relative(SRC, path).replace(/\\/g, '/'),
  text: readFileSync(path, 'utf8'),
}));

function importsOf(text: string): string[] {
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    specs.push((m[1] ?? m[2])!);
  }
  return specs;
}

// Packages of pure computation the domain may use: no I/O, no clock, the same on Node and Workers.
const PURE_PACKAGES = /^@noble\/hashes\/(hmac|sha2)$/;

const RUNTIME_ONLY = /^(node:|better-sqlite3|nodejieba|node-cron|@hono\/node-server|cloudflare:|drizzle-orm\/(better-sqlite3|d1)|fs$|path$|os$|child_process$)/;

describe('architecture', () => {
  it('finds the source', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.some((f) => f.path.startsWith('domain/'))).toBe(true);
  });

  it('domain code imports nothing but other domain code, and never reads the clock or the environment', () => {
    const problems: string[] = [];
    for (const f of files.filter((f) => f.path.startsWith('domain/'))) {
      for (const spec of importsOf(f.text)) {
        if (PURE_PACKAGES.test(spec)) continue;
        if (!spec.startsWith('.')) problems.push(`${f.path} imports ${spec}`);
        else if (!join('domain', f.path, '..', spec).replace(/\\/g, '/').startsWith('domain/')) problems.push(`${f.path} imports ${spec}`);
      }
      if (/Date\.now\(|new Date\(\)|process\.env|performance\.now\(/.test(f.text)) problems.push(`${f.path} reads the clock or env`);
    }
    expect(problems).toEqual([]);
  });

  it('only runtime entries import runtime-specific modules or read process.env', () => {
    const problems: string[] = [];
    for (const f of files.filter((f) => !f.path.startsWith('runtime/'))) {
      for (const spec of importsOf(f.text)) if (RUNTIME_ONLY.test(spec)) problems.push(`${f.path} imports ${spec}`);
      if (/process\.env/.test(f.text)) problems.push(`${f.path} reads process.env`);
    }
    expect(problems).toEqual([]);
  });

  it('the Workers entry imports nothing Node-only (native modules, the Node server or scheduler, the Node adapters)', () => {
    const NODE_ONLY = /^(better-sqlite3|nodejieba|node-cron|@hono\/node-server|drizzle-orm\/better-sqlite3|node:(fs|path|os|child_process|net|dns|http|https)(\/|$))/;
    const problems: string[] = [];
    for (const f of files.filter((f) => f.path.startsWith('runtime/workers/'))) {
      for (const spec of importsOf(f.text)) {
        if (NODE_ONLY.test(spec) || /\/node\//.test(spec)) problems.push(`${f.path} imports ${spec}`);
      }
    }
    // And the other way round: the Node runtime never reaches into the Workers adapters.
    for (const f of files.filter((f) => f.path.startsWith('runtime/node/'))) {
      for (const spec of importsOf(f.text)) if (/^cloudflare:|\/workers\//.test(spec)) problems.push(`${f.path} imports ${spec}`);
    }
    expect(files.some((f) => f.path === 'runtime/workers/index.ts')).toBe(true);
    expect(problems).toEqual([]);
  });

  it('reads process.env in exactly one place, the Node entry’s env module', () => {
    expect(files.filter((f) => /process\.env/.test(f.text)).map((f) => f.path)).toEqual(['runtime/node/env.ts']);
  });

  it('the scanner sees a forbidden import when there is one', () => {
    expect(importsOf(`import Database from 'better-sqlite3';\nimport { x } from "./y.js";`)).toEqual(['better-sqlite3', './y.js']);
    expect(RUNTIME_ONLY.test('node:fs')).toBe(true);
    expect(RUNTIME_ONLY.test('drizzle-orm')).toBe(false);
  });
});
