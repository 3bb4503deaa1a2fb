import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAT_SETTINGS as S, heatOf, storiesPerHour, type StoryMark } from '../../../src/domain/monitoring/heat.js';
import { parseSignalWords, compileSignals } from '../../../src/domain/monitoring/signals.js';

const HOUR = 3_600_000;
const T = Date.parse('2026-11-20T02:00:00Z');

/** `perHour` distinct stories in each of the `hours` hours before `end` (story names unique per hour). */
function steady(perHour: number, hours: number, end: number): StoryMark[] {
  const marks: StoryMark[] = [];
  for (let h = 0; h < hours; h++) for (let s = 0; s < perHour; s++) marks.push({ story: `h${h}s${s}`, at: end - h * HOUR - (s + 1) * 60_000 });
  return marks;
}

describe('heat', () => {
  it('counts distinct stories, not items: forty reprints of one story are one', () => {
    const marks = Array.from({ length: 40 }, (_, i) => ({ story: 7, at: T - i * 60_000 }));
    expect(heatOf(marks, T, S)).toMatchObject({ current: 1, heating: false });
  });

  it('when a quiet incident suddenly carries many stories, then it is heating up', () => {
    // μ = 1 a hour for 24 hours, then 6 stories in the last hour: z = (6 − 1) / √2 ≈ 3.5.
    const marks = [...steady(1, 24, T - HOUR), ...Array.from({ length: 6 }, (_, i) => ({ story: `b${i}`, at: T - i * 5 * 60_000 }))];
    const heat = heatOf(marks, T, S);
    expect(heat.current).toBe(6);
    expect(heat.baseline).toBe(1);
    expect(heat.z).toBeCloseTo(5 / Math.SQRT2);
    expect(heat.heating).toBe(true);
    // Five is not enough against that baseline (z ≈ 2.8).
    expect(heatOf(marks.filter((m) => m.story !== 'b5'), T, S).heating).toBe(false);
  });

  it('when traffic is steady, however busy, then it is not heating up', () => {
    expect(heatOf(steady(5, 30, T), T, S)).toMatchObject({ current: 5, baseline: 5, heating: false });
    expect(heatOf(steady(40, 30, T), T, S).heating).toBe(false);
  });

  it('when a new incident has three stories in its first hour, then it is heating up; two are too few', () => {
    const three = [1, 2, 3].map((story) => ({ story, at: T - story * 60_000 }));
    expect(heatOf(three, T, S)).toMatchObject({ current: 3, baseline: 0, z: 3, heating: true });
    expect(heatOf(three.slice(1), T, S).heating).toBe(false);
  });

  it('when thresholds are configured, then they are used', () => {
    const three = [1, 2, 3].map((story) => ({ story, at: T - story * 60_000 }));
    expect(heatOf(three, T, { ...S, minStories: 4 }).heating).toBe(false);
  });

  it('charts distinct stories per clock hour, the current hour last', () => {
    const at = Date.parse('2026-11-20T02:30:00Z');
    const marks = [
      { story: 1, at: Date.parse('2026-11-20T02:10:00Z') },
      { story: 1, at: Date.parse('2026-11-20T02:20:00Z') },
      { story: 2, at: Date.parse('2026-11-20T02:25:00Z') },
      { story: 3, at: Date.parse('2026-11-20T00:59:59Z') },
      { story: 4, at: Date.parse('2026-11-19T01:00:00Z') }, // older than the 24 bins
    ];
    const bins = storiesPerHour(marks, at, 24);
    expect(bins).toHaveLength(24);
    expect(new Date(bins.at(-1)!.start).toISOString()).toBe('2026-11-20T02:00:00.000Z');
    expect(bins.at(-1)!.stories).toBe(2);
    expect(bins.at(-3)!.stories).toBe(1);
    expect(bins.reduce((s, b) => s + b.stories, 0)).toBe(3);
  });
});

describe('negative signals', () => {
  it('reads one word per line, skipping comments and blank lines, normalised and without duplicates', () => {
    expect(parseSignalWords('# 注释\n伤亡\n\n 爆炸 # 行尾注释\r\nＡＢＣ\n伤亡\n')).toEqual(['伤亡', '爆炸', 'abc']);
  });

  it('counts the distinct words present, once each', () => {
    const find = compileSignals(['伤亡', '爆炸', '停运', '投诉']);
    expect(find('化工厂爆炸致人员伤亡，爆炸原因在查')).toEqual(['伤亡', '爆炸']);
    expect(find('市图书馆延长开放时间')).toEqual([]);
    expect(compileSignals([])('伤亡')).toEqual([]);
  });
});
