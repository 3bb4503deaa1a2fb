import { describe, expect, it } from 'vitest';
import {
  dateOfDayNumber,
  dayNumber,
  isValidDate,
  parseInstant,
  shanghaiDate,
  startOfShanghaiDay,
  toIsoUtc,
  weekdayOfDayNumber,
  yearOf,
} from '../../src/domain/time.js';

// Expected instants are written with Date.UTC, which never reads the machine's zone.
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => Date.UTC(y, mo - 1, d, h, mi, s, ms);

describe('the test environment', () => {
  it('when the suite runs, then the machine zone is far from Shanghai (so a local-time slip shows)', () => {
    // 2025-09-30 in Los Angeles is UTC-7; Shanghai would be -480.
    expect(new Date(utc(2025, 9, 30)).getTimezoneOffset()).toBe(420);
  });
});

describe('parseInstant', () => {
  it.each([
    ['2025-09-30T10:00:00+08:00', utc(2025, 9, 30, 2)],
    ['2025-09-30T02:00:00Z', utc(2025, 9, 30, 2)],
    ['2025-09-30T10:00+08:00', utc(2025, 9, 30, 2)],
    ['2025-09-29T21:00:00-05:00', utc(2025, 9, 30, 2)],
    ['2025-09-30T07:30:00+05:30', utc(2025, 9, 30, 2)],
    ['2025-09-29T23:30:00-02:30', utc(2025, 9, 30, 2)],
    ['2025-09-30T00:00:00-00:00', utc(2025, 9, 30)],
    ['2025-09-30T02:00:00.5Z', utc(2025, 9, 30, 2, 0, 0, 500)],
    ['2025-09-30T02:00:00.123Z', utc(2025, 9, 30, 2, 0, 0, 123)],
    ['2025-09-30T10:00:00.123456789+08:00', utc(2025, 9, 30, 2, 0, 0, 123)],
    ['2024-02-29T12:00:00Z', utc(2024, 2, 29, 12)],
    ['2025-12-31T23:59:59-14:00', utc(2026, 1, 1, 13, 59, 59)],
    ['2025-09-30T16:00:00+14:00', utc(2025, 9, 30, 2)],
    ['2025-09-30T23:59:59Z', utc(2025, 9, 30, 23, 59, 59)],
    ['2025-09-30T00:00:00.999Z', utc(2025, 9, 30, 0, 0, 0, 999)],
    ['2025-09-30T00:00:00.05Z', utc(2025, 9, 30, 0, 0, 0, 50)],
    ['2025-09-30T10:00:00+08:59', utc(2025, 9, 30, 1, 1)],
    ['1970-01-01T00:00:00Z', 0],
    ['2199-12-31T23:59:59.999+08:00', utc(2199, 12, 31, 15, 59, 59, 999)],
  ])('when given %s, then it is that instant', (input, expected) => {
    expect(parseInstant(input)).toBe(expected);
  });

  it('when given a bare date, then it is 00:00 of that date in Shanghai (16:00Z the day before)', () => {
    expect(parseInstant('2025-09-30')).toBe(utc(2025, 9, 29, 16));
    expect(parseInstant('2025-01-01')).toBe(utc(2024, 12, 31, 16));
    expect(parseInstant('2024-02-29')).toBe(utc(2024, 2, 28, 16));
  });

  it.each([
    ['an instant without an offset', '2025-09-30T10:00:00'],
    ['a space instead of T', '2025-09-30 10:00:00+08:00'],
    ['a lower-case t and z', '2025-09-30t10:00:00z'],
    ['February 30th', '2025-02-30'],
    ['February 30th with a time', '2025-02-30T10:00:00Z'],
    ['February 29th of a common year', '2025-02-29'],
    ['February 29th of 1900', '1900-02-29'],
    ['month 13', '2025-13-01'],
    ['month 00', '2025-00-10'],
    ['day 00', '2025-09-00'],
    ['hour 24', '2025-09-30T24:00:00Z'],
    ['minute 60', '2025-09-30T10:60:00Z'],
    ['second 60', '2025-09-30T10:00:60Z'],
    ['offset +15:00', '2025-09-30T10:00:00+15:00'],
    ['offset beyond +14:00', '2025-09-30T10:00:00+14:01'],
    ['offset minutes 60', '2025-09-30T10:00:00+08:60'],
    ['an offset without a colon', '2025-09-30T10:00:00+0800'],
    ['a decimal point without digits', '2025-09-30T10:00:00.Z'],
    ['the empty string', ''],
    ['trailing garbage after Z', '2025-09-30T10:00:00Zjunk'],
    ['text before an instant', 'x2025-09-30T10:00:00Z'],
    ['text before an instant with an offset', 'at 2025-09-30T10:00:00+08:00'],
    ['text before a date', 'x2025-09-30'],
    ['a five-digit year', '12025-09-30T10:00:00Z'],
    ['ten fraction digits', '2025-09-30T10:00:00.1234567890Z'],
    ['a fraction without seconds', '2025-09-30T10:00.5Z'],
    ['seconds without minutes', '2025-09-30T10::00Z'],
    ['a one-digit hour', '2025-09-30T1:00:00Z'],
    ['a one-digit offset hour', '2025-09-30T10:00:00+8:00'],
    ['a two-digit year', '25-09-30T10:00:00Z'],
    ['trailing garbage after a date', '2025-09-30x'],
    ['a trailing space', '2025-09-30T10:00:00+08:00 '],
    ['a leading space', ' 2025-09-30'],
    ['single-digit month and day', '2025-9-3'],
    ['slashes', '2025/09/30'],
    ['epoch milliseconds', '1759226400000'],
    ['a date followed by an offset only', '2025-09-30+08:00'],
  ])('when given %s (%j), then it refuses it', (_what, input) => {
    expect(parseInstant(input)).toBeNull();
  });

  // Date.UTC maps years 0–99 to 1900–1999, so a year below 100 silently becomes 19xx.
  it.each([
    ['0025-10-01T00:00:00Z', '1925-10-01T00:00:00Z'],
    ['0025-10-01', '1925-10-01'],
  ])('when the year is below 100 (%s), then it is not read as the same year of the 1900s', (input, nineteenHundreds) => {
    expect(parseInstant(input)).not.toBe(parseInstant(nineteenHundreds));
  });
});

describe('shanghaiDate', () => {
  it.each([
    ['2025-09-30T10:00:00+08:00', '2025-09-30'],
    ['2025-09-30T00:00:00+08:00', '2025-09-30'],
    ['2025-09-30T23:59:59.999+08:00', '2025-09-30'],
    ['2025-09-30T15:59:59Z', '2025-09-30'],
    ['2025-09-30T16:00:00Z', '2025-10-01'],
    ['2025-09-30T23:30:00-05:00', '2025-10-01'],
    ['2025-09-30T08:59:59-07:00', '2025-09-30'],
    ['2025-09-30T09:00:00-07:00', '2025-10-01'],
    ['2025-12-31T16:00:00Z', '2026-01-01'],
    ['2024-02-28T16:00:00Z', '2024-02-29'],
    ['1969-12-31T16:00:00Z', '1970-01-01'],
  ])('when the instant is %s, then the Shanghai date is %s', (input, expected) => {
    expect(shanghaiDate(parseInstant(input)!)).toBe(expected);
  });
});

describe('startOfShanghaiDay', () => {
  it('when given a date, then it is 16:00Z of the day before, and the last millisecond before it is the previous Shanghai date', () => {
    const start = startOfShanghaiDay('2025-10-01');
    expect(start).toBe(utc(2025, 9, 30, 16));
    expect(shanghaiDate(start)).toBe('2025-10-01');
    expect(shanghaiDate(start - 1)).toBe('2025-09-30');
    expect(shanghaiDate(start + 86_400_000 - 1)).toBe('2025-10-01');
  });

  it('when given 1970-01-01, then it is eight hours before the epoch', () => {
    expect(startOfShanghaiDay('1970-01-01')).toBe(-8 * 3600 * 1000);
  });
});

describe('isValidDate', () => {
  it.each(['2025-09-30', '2024-02-29', '2000-02-29', '1970-01-01', '2199-12-31', '2025-12-31', '2025-04-30'])(
    'when given %s, then it is valid',
    (input) => {
      expect(isValidDate(input)).toBe(true);
    },
  );

  it.each(['2025-02-29', '1900-02-29', '2025-04-31', '2025-13-01', '2025-00-01', '2025-01-00', '2025-9-30', '25-09-30', '2025-09-30T00:00:00Z', '', ' 2025-09-30'])(
    'when given %j, then it is not valid',
    (input) => {
      expect(isValidDate(input)).toBe(false);
    },
  );
});

describe('day numbers and weekdays', () => {
  it('when counting from 1970-01-01, then dayNumber is the days since the epoch', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayNumber('1969-12-31')).toBe(-1);
    expect(dayNumber('2025-09-30')).toBe(utc(2025, 9, 30) / 86_400_000);
    expect(dayNumber('2025-10-01') - dayNumber('2025-09-30')).toBe(1);
    expect(dayNumber('2025-01-01') - dayNumber('2024-01-01')).toBe(366);
  });

  it('when a day number is turned back into a date, then it is the date it came from (1969–2200)', () => {
    const mismatches: string[] = [];
    for (let n = dayNumber('1969-01-01'); n <= dayNumber('2200-12-31'); n += 1) {
      const date = dateOfDayNumber(n);
      if (!isValidDate(date) || dayNumber(date) !== n) mismatches.push(`${n} → ${date}`);
    }
    expect(mismatches).toEqual([]);
    expect(dateOfDayNumber(0)).toBe('1970-01-01');
    expect(dateOfDayNumber(-1)).toBe('1969-12-31');
  });

  it.each([
    ['1970-01-01', 4], // Thursday
    ['1969-12-31', 3], // Wednesday: negative day numbers too
    ['1969-12-28', 0], // Sunday
    ['2025-09-30', 2], // Tuesday
    ['2025-10-11', 6], // the make-up Saturday
    ['2026-01-04', 0], // the make-up Sunday
    ['2026-06-19', 5], // Dragon Boat 2026 is a Friday
  ])('when the date is %s, then its weekday is %i (0 = Sunday)', (date, weekday) => {
    expect(weekdayOfDayNumber(dayNumber(date))).toBe(weekday);
  });

  it('when compared with UTC weekdays over 1960–2210, then weekdayOfDayNumber agrees every day', () => {
    const mismatches: number[] = [];
    for (let n = dayNumber('1960-01-01'); n <= dayNumber('2210-12-31'); n++) {
      if (weekdayOfDayNumber(n) !== new Date(n * 86_400_000).getUTCDay()) mismatches.push(n);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('yearOf and toIsoUtc', () => {
  it('when a date is given, then yearOf is its year as a number', () => {
    expect(yearOf('2025-09-30')).toBe(2025);
    expect(yearOf('1970-01-01')).toBe(1970);
  });

  it('when an instant is formatted, then it is ISO 8601 in UTC with milliseconds, the same on every call', () => {
    const instant = utc(2026, 11, 20, 2, 0, 0, 5);
    expect(toIsoUtc(instant)).toBe('2026-11-20T02:00:00.005Z');
    expect(toIsoUtc(instant)).toBe('2026-11-20T02:00:00.005Z');
    expect(toIsoUtc(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(toIsoUtc(-1)).toBe('1969-12-31T23:59:59.999Z');
  });

  it('when more instants are formatted than the memo holds, then every one is still right, before and after', () => {
    const start = utc(2026, 1, 1);
    const wrong: string[] = [];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 10_000; i++) {
        const ms = start + i * 61_001;
        if (toIsoUtc(ms) !== new Date(ms).toISOString()) wrong.push(`${ms} → ${toIsoUtc(ms)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(toIsoUtc(start)).toBe('2026-01-01T00:00:00.000Z');
  });
});
