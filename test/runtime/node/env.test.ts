import { describe, expect, it } from 'vitest';
import { EnvSchema, readEnv } from '../../../src/runtime/node/env.js';
import { allowPrivateUrls, opinionConfig, withoutEmpty } from '../../../src/runtime/settings.js';
import { DEFAULT_HEAT_SETTINGS } from '../../../src/domain/monitoring/heat.js';
import { DEFAULT_REPRINT_SETTINGS } from '../../../src/domain/monitoring/reprints.js';

// SPEC §7: an empty variable means unset.
describe('environment', () => {
  it('when variables are set but empty, then they count as unset: defaults apply and the start goes on', () => {
    const env = readEnv({ ALLOW_PRIVATE_FEEDS: '', ALLOW_PRIVATE_URLS: '', ADMIN_TOKEN: '', INTERPRETATION_WORKING_DAYS: '', PUBLIC_URL: '', SMTP_URL: '', MAIL_FROM: '', PORT: '' });
    expect(env.INTERPRETATION_WORKING_DAYS).toBe(3); // not 0
    expect(env.ADMIN_TOKEN).toBeUndefined();
    expect(env.PORT).toBe(3000);
    expect(allowPrivateUrls(env)).toBe(false);
    expect(env.PUBLIC_URL).toBeUndefined();
  });

  it('ALLOW_PRIVATE_URLS wins; ALLOW_PRIVATE_FEEDS is its alias', () => {
    const parse = (vars: Record<string, string>) => allowPrivateUrls(EnvSchema.parse(withoutEmpty(vars)));
    expect(parse({ ALLOW_PRIVATE_FEEDS: '1' })).toBe(true);
    expect(parse({ ALLOW_PRIVATE_URLS: 'true' })).toBe(true);
    expect(parse({ ALLOW_PRIVATE_URLS: '0', ALLOW_PRIVATE_FEEDS: '1' })).toBe(false);
    expect(parse({})).toBe(false);
  });

  it('PUBLIC_URL loses a trailing slash; SMTP_URL needs MAIL_FROM; bad values are refused by name', () => {
    expect(EnvSchema.parse({ PUBLIC_URL: 'https://zwgk.example.gov.cn/' }).PUBLIC_URL).toBe('https://zwgk.example.gov.cn');
    const noFrom = EnvSchema.safeParse({ SMTP_URL: 'smtp://u:p@mail.example.gov.cn:587' });
    expect(noFrom.success).toBe(false);
    expect(noFrom.error!.issues[0]!.path).toEqual(['MAIL_FROM']);
    expect(EnvSchema.safeParse({ PUBLIC_URL: 'zwgk.example.gov.cn' }).error!.issues[0]!.path).toEqual(['PUBLIC_URL']);
    expect(EnvSchema.safeParse({ SMTP_URL: 'http://x', MAIL_FROM: 'a@b.c' }).error!.issues[0]!.path).toEqual(['SMTP_URL']);
  });

  it('reprint and heat thresholds (SPEC §14): unset keeps the defaults, set ones change only their setting, bad ones are refused by name', () => {
    expect(opinionConfig(readEnv({ REPRINT_TITLE_JACCARD: '', HEAT_MIN_Z: '' }))).toEqual({ reprints: DEFAULT_REPRINT_SETTINGS, heat: DEFAULT_HEAT_SETTINGS });
    const tuned = opinionConfig(EnvSchema.parse({ REPRINT_TITLE_JACCARD: '0.7', HEAT_MIN_STORIES: '5', HEAT_MIN_RATIO: '3', HEAT_MIN_Z: '2.5', HEAT_ALERT_EVERY_HOURS: '12' }));
    expect(tuned.reprints).toEqual({ ...DEFAULT_REPRINT_SETTINGS, titleJaccard: 0.7 });
    expect(tuned.heat).toEqual({ ...DEFAULT_HEAT_SETTINGS, minStories: 5, minRatio: 3, minZ: 2.5, alertEveryHours: 12 });
    for (const [name, value] of <[string, string][]>[['REPRINT_TITLE_JACCARD', '1.5'], ['REPRINT_TITLE_JACCARD', '0.1'], ['HEAT_MIN_STORIES', '0'], ['HEAT_MIN_RATIO', 'x'], ['HEAT_ALERT_EVERY_HOURS', '0']]) {
      expect(EnvSchema.safeParse({ [name]: value }).error?.issues[0]?.path, `${name}=${value}`).toEqual([name]);
    }
  });
});
