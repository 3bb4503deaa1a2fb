/**
 * Heat (SPEC §14): how fast an incident is spreading, counted in distinct stories — fifty reprints
 * of one 通稿 are one story — by their publication time (the fetch time when a feed gives none).
 *
 *   c = distinct stories in the last `windowMinutes` (60)
 *   μ = distinct stories per window over the `baselineHours` (24) before it: each of those 24
 *       hour-long windows counts its own distinct stories, and μ is their mean
 *   z = (c − μ) / √(μ + 1)          (a Poisson-like scale; the +1 keeps a quiet baseline stable)
 *
 * The incident is heating up when c ≥ minStories (3), (c + 1) / (μ + 1) ≥ minRatio (2) and
 * z ≥ minZ (3): enough stories, clearly more than usual, and more than noise would give.
 */
export interface HeatSettings {
  windowMinutes: number;
  baselineHours: number;
  minStories: number;
  minRatio: number;
  minZ: number;
  /** At most one incident_heating alert per incident in this many hours (6). */
  alertEveryHours: number;
}

export const DEFAULT_HEAT_SETTINGS: HeatSettings = {
  windowMinutes: 60,
  baselineHours: 24,
  minStories: 3,
  minRatio: 2,
  minZ: 3,
  alertEveryHours: 6,
};

/** An incident's item: its story (any value that is equal for equal stories) and its time. */
export interface StoryMark {
  story: number | string;
  at: number;
}

export interface Heat {
  /** c: distinct stories in the last window. */
  current: number;
  /** μ: mean distinct stories per window over the baseline. */
  baseline: number;
  z: number;
  ratio: number;
  heating: boolean;
}

/** Distinct stories among the marks with at in (from, to]. */
function distinctStories(marks: readonly StoryMark[], from: number, to: number): number {
  const seen = new Set<number | string>();
  for (const m of marks) if (m.at > from && m.at <= to) seen.add(m.story);
  return seen.size;
}

/** The heat as of `at`. Marks outside the window and its baseline are ignored. */
export function heatOf(marks: readonly StoryMark[], at: number, settings: HeatSettings): Heat {
  const window = settings.windowMinutes * 60_000;
  const current = distinctStories(marks, at - window, at);
  const bins = Math.max(1, Math.round((settings.baselineHours * 3_600_000) / window));
  let sum = 0;
  for (let k = 1; k <= bins; k++) sum += distinctStories(marks, at - (k + 1) * window, at - k * window);
  const baseline = sum / bins;
  const z = (current - baseline) / Math.sqrt(baseline + 1);
  const ratio = (current + 1) / (baseline + 1);
  return {
    current,
    baseline,
    z,
    ratio,
    heating: current >= settings.minStories && ratio >= settings.minRatio && z >= settings.minZ,
  };
}

/** How far back heatOf looks: the window and its baseline. */
export function heatSpanMs(settings: HeatSettings): number {
  return settings.windowMinutes * 60_000 + settings.baselineHours * 3_600_000;
}

/** The alert slot of an instant: incident_heating is keyed by incident and slot (SPEC §14: once per 6 h). */
export function heatingSlot(at: number, settings: HeatSettings): number {
  return Math.floor(at / (settings.alertEveryHours * 3_600_000));
}

/**
 * Distinct stories per clock hour, for the incident page's chart: `hours` bins, the last one the
 * hour that holds `at` (so far). Each bin starts at a whole hour (UTC and Beijing time agree on
 * whole hours).
 */
export function storiesPerHour(marks: readonly StoryMark[], at: number, hours: number): { start: number; stories: number }[] {
  const HOUR = 3_600_000;
  const lastStart = Math.floor(at / HOUR) * HOUR;
  const bins = Array.from({ length: hours }, (_, i) => ({ start: lastStart - (hours - 1 - i) * HOUR, seen: new Set<number | string>() }));
  const first = bins[0]!.start;
  for (const m of marks) {
    if (m.at < first || m.at > at) continue;
    bins[Math.floor((m.at - first) / HOUR)]?.seen.add(m.story);
  }
  return bins.map((b) => ({ start: b.start, stories: b.seen.size }));
}
