import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../support/app.js';

// cppjieba ends the whole process when a dictionary file cannot be opened, so this runs in a
// child process: a FEEDS_DIR without jieba/ or userdict.txt must still give hot words.
describe('hot words with a FEEDS_DIR of one’s own', () => {
  it('when feeds/jieba/ and userdict.txt are missing, then nodejieba’s own dictionary is used instead of the process aborting', () => {
    const { dir, cleanup } = tempDir();
    try {
      const script = `import { jiebaKeywords } from './src/runtime/node/keywords.ts';
        const words = jiebaKeywords(${JSON.stringify(dir)}).extract('某区化工厂发生爆炸事故，消防部门赶赴现场救援，化工厂周边道路封闭', 5);
        console.log(JSON.stringify(words.map((w) => w.word)));`;
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
      expect(child.status, child.stderr).toBe(0);
      expect(child.stderr).toContain('精简词典');
      expect(JSON.parse(child.stdout.trim().split('\n').at(-1)!)).toContain('化工厂');
    } finally {
      cleanup();
    }
  });
});
