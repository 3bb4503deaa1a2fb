import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { COUNTDOWN_SCRIPT, hms } from '../../src/web/countdown.js';

describe('countdown', () => {
  it('formats seconds as hh:mm:ss, hours past 24 included', () => {
    expect(hms(0)).toBe('00:00:00');
    expect(hms(59.9)).toBe('00:00:59');
    expect(hms(3600 * 5 + 61)).toBe('05:01:01');
    expect(hms(-(3600 * 49))).toBe('49:00:00');
  });

  it('ships a classic script a browser can run (no module syntax)', () => {
    expect(() => new Script(COUNTDOWN_SCRIPT)).not.toThrow();
  });
});
