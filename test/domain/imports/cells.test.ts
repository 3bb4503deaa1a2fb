import { describe, expect, it } from 'vitest';
import { TIME_HELP, cellText, parseSheetTime, parseYesNo, splitDocNumbers } from '../../../src/domain/imports/cells.js';

// Expected instants are written with Date.UTC, which never reads the machine's zone; Beijing is UTC+8.
const beijing = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, mo - 1, d, h - 8, mi, s);

describe('cellText', () => {
  it('when a cell is text, a number, a boolean or empty, then it is that as trimmed text', () => {
    expect(cellText('  国办发〔2026〕1号 \n')).toBe('国办发〔2026〕1号');
    expect(cellText(42)).toBe('42');
    expect(cellText(0.5)).toBe('0.5');
    expect(cellText(true)).toBe('true');
    expect(cellText(null)).toBe('');
  });

  it('when a cell carries the apostrophe our CSV export puts before a formula sign, then it is read without it', () => {
    for (const sign of ['=', '+', '-', '@']) expect(cellText(`'${sign}SUM(1)`)).toBe(`${sign}SUM(1)`);
    expect(cellText("'\t缩进")).toBe('缩进');
    expect(cellText("'\r回车")).toBe('回车');
    expect(cellText("  '=1  ")).toBe('=1');
    // Anything else keeps its apostrophe: it is the text.
    for (const text of ["'quoted'", "'12", "''=1", "a'=1", "'", '1+2', 'A-1号']) expect(cellText(text)).toBe(text);
  });

  it('when a cell is a date, then it is its wall-clock time to the second; an invalid date is empty', () => {
    expect(cellText(new Date(Date.UTC(2026, 8, 30, 10, 5, 7, 900)))).toBe('2026-09-30 10:05:07');
    expect(cellText(new Date(Number.NaN))).toBe('');
  });
});

describe('parseSheetTime: text', () => {
  it.each([
    ['2026-09-30', beijing(2026, 9, 30)],
    ['2026/9/30', beijing(2026, 9, 30)],
    ['2026.09.30', beijing(2026, 9, 30)],
    ['2026年9月30日', beijing(2026, 9, 30)],
    ['2026 年 9 月 30 日', beijing(2026, 9, 30)],
    ['2026年9月30', beijing(2026, 9, 30)],
    ['  2026-09-30  ', beijing(2026, 9, 30)],
    ['2026-09-30 10:00', beijing(2026, 9, 30, 10)],
    ['2026-09-30T10:00', beijing(2026, 9, 30, 10)],
    ['2026/9/30  8:05:09', beijing(2026, 9, 30, 8, 5, 9)],
    ['2026年9月30日 10：30', beijing(2026, 9, 30, 10, 30)],
    ['2026-09-30 23:59:59', beijing(2026, 9, 30, 23, 59, 59)],
    ['２０２６－０９－３０', beijing(2026, 9, 30)], // full-width, as typed with a Chinese IME
    ['２０２６年９月３０日　１０：００', beijing(2026, 9, 30, 10)],
    ['2026-09-30T10:00:00+08:00', beijing(2026, 9, 30, 10)],
    ['2026-09-30T02:00:00Z', beijing(2026, 9, 30, 10)],
    ['2024-02-29', beijing(2024, 2, 29)],
    ['2000-02-29', beijing(2000, 2, 29)],
    ['2026-04-30', beijing(2026, 4, 30)],
    ['2026-12-31', beijing(2026, 12, 31)],
  ])('when the cell says %j, then it is that Beijing time', (text, expected) => {
    expect(parseSheetTime(text)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['明天', 'not a time'],
    ['2026-02-29', 'no 29 February in a common year'],
    ['2100-02-29', 'no 29 February in a century year not divisible by 400'],
    ['2026-04-31', '30 days in April'],
    ['2026-13-01', 'month 13'],
    ['2026-00-10', 'month 0'],
    ['2026-09-00', 'day 0'],
    ['2026-09-32', 'day 32'],
    ['2026-09-30 24:00', 'hour 24'],
    ['2026-09-30 10:60', 'minute 60'],
    ['2026-09-30 10:00:60', 'second 60'],
    ['2026-09-30 10', 'an hour without minutes'],
    ['2026-09-30x', 'trailing text'],
    ['x2026-09-30', 'leading text'],
    ['26-09-30', 'a two-digit year'],
    ['2026-09-30T10:00:00+15:00', 'an impossible offset'],
  ])('when the cell says %j (%s), then it cannot be read', (text) => {
    expect(parseSheetTime(text)).toBeNull();
  });

  it('when the time lies outside 1970–2199 in Beijing, then it cannot be read, to the second', () => {
    expect(parseSheetTime('1969-12-31')).toBeNull();
    expect(parseSheetTime('1969-12-31 23:59:59')).toBeNull();
    expect(parseSheetTime('1970-01-01')).toBe(beijing(1970, 1, 1));
    expect(parseSheetTime('2199-12-31 23:59:59')).toBe(beijing(2199, 12, 31, 23, 59, 59));
    expect(parseSheetTime('2200-01-01')).toBeNull();
    expect(parseSheetTime('1969-12-31T15:59:59Z')).toBeNull();
    expect(parseSheetTime('1969-12-31T16:00:00Z')).toBe(beijing(1970, 1, 1));
    expect(parseSheetTime('2199-12-31T15:59:59Z')).toBe(beijing(2199, 12, 31, 23, 59, 59));
    expect(parseSheetTime('2199-12-31T16:00:00Z')).toBeNull();
  });

  it('when the help for time cells is shown, then it gives the accepted forms and says a time without an offset is Beijing time', () => {
    for (const form of ['2026-09-30', '2026/9/30', '2026年9月30日', '2026-09-30 10:00', 'ISO 8601']) expect(TIME_HELP).toContain(form);
    expect(TIME_HELP).toContain('不带时区的按北京时间');
  });
});

describe('parseSheetTime: numbers, dates and other cells', () => {
  it('when the cell is an Excel serial day, then day 46295 is 2026-09-30 and fractions are times of day, to the second', () => {
    expect(parseSheetTime(46295)).toBe(beijing(2026, 9, 30));
    expect(parseSheetTime(46295.5)).toBe(beijing(2026, 9, 30, 12));
    expect(parseSheetTime(46295 + 1 / 86_400 + 0.0000001)).toBe(beijing(2026, 9, 30, 0, 0, 1));
    expect(parseSheetTime(25569)).toBe(beijing(1970, 1, 1));
  });

  it('when a serial day is below 1, not finite, or outside the supported years, then it cannot be read', () => {
    for (const serial of [0, 0.99, -5, Number.NaN, Number.POSITIVE_INFINITY, 25568.99, 109575]) expect(parseSheetTime(serial), String(serial)).toBeNull();
    expect(parseSheetTime(1)).toBeNull(); // 1899-12-31
    expect(parseSheetTime(109574.5)).toBe(beijing(2199, 12, 31, 12));
  });

  it('when the cell is an XLSX date, then its UTC fields are the Beijing wall clock, rounded to the second', () => {
    expect(parseSheetTime(new Date(Date.UTC(2026, 8, 30, 10, 0, 0)))).toBe(beijing(2026, 9, 30, 10));
    expect(parseSheetTime(new Date(Date.UTC(2026, 8, 30, 9, 59, 59, 999)))).toBe(beijing(2026, 9, 30, 10));
    expect(parseSheetTime(new Date(Date.UTC(2026, 8, 30, 10, 0, 0, 400)))).toBe(beijing(2026, 9, 30, 10));
    expect(parseSheetTime(new Date(Date.UTC(1969, 11, 31, 23, 59, 59)))).toBeNull();
    expect(parseSheetTime(new Date(Number.NaN))).toBeNull();
  });

  it('when the cell is empty or a boolean, then it cannot be read', () => {
    expect(parseSheetTime(null)).toBeNull();
    expect(parseSheetTime(true)).toBeNull();
    expect(parseSheetTime(false)).toBeNull();
  });
});

describe('parseYesNo', () => {
  it.each(['是', '需要', 'y', 'Y', 'yes', 'YES', 'Ｙｅｓ', 'true', 'TRUE', '1', '√', ' 是 '])('when the cell says %j, then it is yes', (text) => {
    expect(parseYesNo(text)).toBe(true);
  });

  it.each(['否', '不需要', 'n', 'no', 'No', 'false', '0', '×', '　否　'])('when the cell says %j, then it is no', (text) => {
    expect(parseYesNo(text)).toBe(false);
  });

  it('when the cell is a boolean or a number 1 / 0, then it is that; anything else is neither', () => {
    expect(parseYesNo(true)).toBe(true);
    expect(parseYesNo(false)).toBe(false);
    expect(parseYesNo(1)).toBe(true);
    expect(parseYesNo(0)).toBe(false);
    for (const cell of ['', '也许', 'yes!', '2', null, 2]) expect(parseYesNo(cell), String(cell)).toBeNull();
  });
});

describe('splitDocNumbers', () => {
  it('when the cell lists 文号 with any of the usual separators, then each comes out trimmed, in order', () => {
    expect(splitDocNumbers('国办发〔2026〕1号、国办发〔2026〕2号')).toEqual(['国办发〔2026〕1号', '国办发〔2026〕2号']);
    expect(splitDocNumbers(' A1号 , A2号，A3号;A4号；A5号\nA6号\r\nA7号 ')).toEqual(['A1号', 'A2号', 'A3号', 'A4号', 'A5号', 'A6号', 'A7号']);
  });

  it('when the cell has blanks, repeats or runs of separators, then blanks are dropped and each 文号 is kept once', () => {
    expect(splitDocNumbers('、A1号、、 、A2号,A1号；\n')).toEqual(['A1号', 'A2号']);
    expect(splitDocNumbers('')).toEqual([]);
    expect(splitDocNumbers(null)).toEqual([]);
    expect(splitDocNumbers('  ')).toEqual([]);
  });

  it('when a 文号 contains spaces or other punctuation, then it is not split there', () => {
    expect(splitDocNumbers('京政办发 〔2026〕 3号、沪府(2026)4号')).toEqual(['京政办发 〔2026〕 3号', '沪府(2026)4号']);
  });
});
