import { dateOfDayNumber, DAY_MS, SHANGHAI_OFFSET_MS } from '../../domain/time.js';

/**
 * Beijing dates and minutes as text, for exports that write a million of them: the few thousand
 * distinct dates are formatted once and remembered, the time of day is plain arithmetic. Gives
 * exactly what `shanghaiDate` and `beijingMinute` give, several times faster.
 */
export function beijingText() {
  const dates = new Map<number, string>();
  const dateOfDay = (day: number) => {
    let text = dates.get(day);
    if (text === undefined) dates.set(day, (text = dateOfDayNumber(day)));
    return text;
  };
  const two = (n: number) => (n < 10 ? `0${n}` : String(n));
  const clock = Array.from({ length: 1440 }, (_, m) => ` ${two(Math.floor(m / 60))}:${two(m % 60)}`);
  return {
    /** `YYYY-MM-DD`, the Shanghai date of an instant. */
    date(ms: number): string {
      return dateOfDay(Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS));
    },
    /** `YYYY-MM-DD HH:mm` in Beijing time. */
    minute(ms: number): string {
      const local = ms + SHANGHAI_OFFSET_MS;
      const day = Math.floor(local / DAY_MS);
      return dateOfDay(day) + clock[Math.floor((local - day * DAY_MS) / 60_000)]!;
    },
  };
}
export type BeijingText = ReturnType<typeof beijingText>;
