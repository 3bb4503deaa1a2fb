import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAT_SETTINGS as S, heatOf, heatSpanMs, heatingSlot, storiesPerHour, type StoryMark } from '../../../src/domain/monitoring/heat.js';
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

describe('heat at its edges', () => {
  /** `n` distinct stories (named prefix0..) at `at`. */
  const stories = (prefix: string, n: number, at: number): StoryMark[] => Array.from({ length: n }, (_, i) => ({ story: `${prefix}${i}`, at }));

  it('when a story is published exactly one window before, then it belongs to the baseline, not to the current window', () => {
    const heat = heatOf([{ story: 1, at: T - HOUR }, { story: 2, at: T }], T, S);
    expect(heat.current).toBe(1); // (T − 1 h, T]: the one at T counts, the one at T − 1 h does not
    expect(heat.baseline).toBe(1 / 24); // …it is in the first baseline hour, (T − 2 h, T − 1 h]
  });

  it('when the baseline hours are set, then μ is the mean over that many windows, however the stories fall in them', () => {
    // 24 stories, all in the hour before the window: μ = 24 / 24 over 24 hours, 24 / 1 over one hour.
    const marks = stories('a', 24, T - HOUR - 60_000);
    expect(heatOf(marks, T, S).baseline).toBe(1);
    expect(heatOf(marks, T, { ...S, baselineHours: 1 }).baseline).toBe(24);
    expect(heatOf(marks, T, { ...S, baselineHours: 2 }).baseline).toBe(12);
    // No baseline hours at all still makes one window of baseline, never a division by zero.
    expect(heatOf(marks, T, { ...S, baselineHours: 0 }).baseline).toBe(24);
  });

  it('when the heat is computed, then the ratio is (c + 1) / (μ + 1)', () => {
    const marks = [...stories('b', 3, T - HOUR - 60_000), ...stories('c', 7, T - 60_000)];
    const heat = heatOf(marks, T, { ...S, baselineHours: 1 });
    expect([heat.current, heat.baseline]).toEqual([7, 3]);
    expect(heat.ratio).toBe(2); // (7 + 1) / (3 + 1)
    expect(heat.z).toBe(2); // (7 − 3) / √(3 + 1)
  });

  it('when the ratio is exactly minRatio, then it counts; below it, enough stories and a high z are not enough', () => {
    const oneHour = { ...S, baselineHours: 1 };
    // c = 31, μ = 15: ratio 32 / 16 = 2, z = 16 / 4 = 4.
    const atTwo = heatOf([...stories('b', 15, T - HOUR - 60_000), ...stories('c', 31, T - 60_000)], T, oneHour);
    expect([atTwo.ratio, atTwo.z, atTwo.heating]).toEqual([2, 4, true]);
    // c = 50, μ = 30: ratio 51 / 31 ≈ 1.65 < 2 though z ≈ 3.6 ≥ 3.
    const below = heatOf([...stories('b', 30, T - HOUR - 60_000), ...stories('c', 50, T - 60_000)], T, oneHour);
    expect(below.z).toBeGreaterThan(3);
    expect(below.ratio).toBeLessThan(2);
    expect(below.heating).toBe(false);
  });

  it('when heat is read for a moment, then it looks back over the window and its baseline: 25 hours by default', () => {
    expect(heatSpanMs(S)).toBe(25 * HOUR);
    expect(heatSpanMs({ ...S, windowMinutes: 30, baselineHours: 12 })).toBe(12.5 * HOUR);
  });

  it('when heating alerts are keyed, then each slot is alertEveryHours long, from the epoch', () => {
    expect(heatingSlot(0, S)).toBe(0);
    expect(heatingSlot(6 * HOUR - 1, S)).toBe(0);
    expect(heatingSlot(6 * HOUR, S)).toBe(1);
    expect(heatingSlot(T, S)).toBe(Math.floor(T / (6 * HOUR)));
    expect(heatingSlot(3 * HOUR, { ...S, alertEveryHours: 1 })).toBe(3);
  });

  it('when stories fall on the edges of the chart, then the first bin’s start and `at` count, and later ones do not', () => {
    const at = Date.parse('2026-11-20T02:30:00Z');
    const first = Date.parse('2026-11-20T00:00:00Z'); // the start of the first of three bins
    const bins = storiesPerHour(
      [
        { story: 1, at: first },
        { story: 2, at: first - 1 },
        { story: 3, at },
        { story: 4, at: at + 1 }, // later in the current hour: not yet
      ],
      at,
      3,
    );
    expect(bins.map((b) => b.stories)).toEqual([1, 0, 1]);
    expect(bins[0]!.start).toBe(first);
  });
});

describe('negative signals', () => {
  it('reads one word per line, skipping comments and blank lines, normalised and without duplicates', () => {
    expect(parseSignalWords('# 注释\n伤亡\n\n 爆炸 # 行尾注释\r\nＡＢＣ\n伤亡\n')).toEqual(['伤亡', '爆炸', 'abc']);
  });

  it('when a comment holds a stray carriage return or line separator, then it still runs to the end of its line', () => {
    expect(parseSignalWords('谣言 # 注释\r旧格式\n维权 # 注释\u2028另一段\n')).toEqual(['谣言', '维权']);
  });

  it('counts the distinct words present, once each', () => {
    const find = compileSignals(['伤亡', '爆炸', '停运', '投诉']);
    expect(find('化工厂爆炸致人员伤亡，爆炸原因在查')).toEqual(['伤亡', '爆炸']);
    expect(find('市图书馆延长开放时间')).toEqual([]);
    expect(compileSignals([])('伤亡')).toEqual([]);
  });
});
