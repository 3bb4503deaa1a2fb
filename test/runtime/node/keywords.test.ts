import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { jiebaKeywords } from '../../../src/runtime/node/keywords.js';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../support/app.js';

const FEEDS_DIR = fileURLToPath(new URL('../../../feeds', import.meta.url));

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

describe('hot words with the shipped dictionary', () => {
  // Anonymised reports, as the demo's and many a press office's own: jieba's model for unknown
  // words glues 已致 and 拆致 together, and ranks placeholders and counts high.
  const text = [
    '某区化工厂发生爆炸 已致2人受伤。某区应急管理局通报，今日凌晨某区一化工厂发生爆炸，已致2人受伤，数十名消防员赶赴现场。',
    '某市学校食堂发生食品安全事故 数十名学生送医。市教育局表示已责令涉事学校停业整顿，市场监管部门介入调查。',
    '网传某县强拆致一人死亡 县政府回应：正在核实。家属称遭到殴打，网友质疑执法程序。',
    '某区化工厂爆炸事故已致3人受伤 官方通报 原因正在调查中。张伟说，就业服务站照常开放，张伟所在的就业服务站未受影响。',
  ].join('\n');
  const words = jiebaKeywords(FEEDS_DIR)
    .extract(text, 20)
    .map((w) => w.word);

  it('when the text names places, things and acts, then they are the hot words', () => {
    expect(words).toHaveLength(20);
    expect(words.slice(0, 3)).toEqual(expect.arrayContaining(['化工厂', '爆炸']));
    // An unknown two-character name, and a dictionary word that starts with a function character.
    expect(words).toEqual(expect.arrayContaining(['张伟', '就业']));
  });

  it('when the segmenter offers placeholders, counts, stock words or glued fragments, then none of them is a hot word', () => {
    for (const w of ['某区', '某市', '某县', '已致', '拆致', '数十名', '一人', '发生', '今日', '凌晨', '表示']) expect(words, w).not.toContain(w);
  });
});
