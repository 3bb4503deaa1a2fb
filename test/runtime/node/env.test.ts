import { describe, expect, it } from 'vitest';
import { EnvSchema, readEnv } from '../../../src/runtime/node/env.js';
import { allowPrivateUrls, withoutEmpty } from '../../../src/runtime/settings.js';

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
});
