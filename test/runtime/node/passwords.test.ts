import { describe, expect, it } from 'vitest';
import { scryptPasswords } from '../../../src/runtime/scrypt-passwords.js';

const FAST = 2 ** 10;
const STORED_FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

describe('scryptPasswords', () => {
  it('when a password is hashed, then the same password verifies and a different one does not', async () => {
    const hasher = scryptPasswords({ N: FAST });
    const stored = await hasher.hash('政策解读-2027!');
    expect(await hasher.verify('政策解读-2027!', stored)).toBe(true);
    expect(await hasher.verify('政策解读-2027', stored)).toBe(false);
    expect(await hasher.verify('', stored)).toBe(false);
  });

  it('when the empty password is hashed, then only the empty password verifies', async () => {
    const hasher = scryptPasswords({ N: FAST });
    const stored = await hasher.hash('');
    expect(await hasher.verify('', stored)).toBe(true);
    expect(await hasher.verify(' ', stored)).toBe(false);
  });

  it('when the same password is hashed twice, then the salts and hashes differ and both verify', async () => {
    const hasher = scryptPasswords({ N: FAST });
    const a = await hasher.hash('same password');
    const b = await hasher.hash('same password');
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    expect(a.split('$')[5]).not.toBe(b.split('$')[5]);
    expect(await hasher.verify('same password', a)).toBe(true);
    expect(await hasher.verify('same password', b)).toBe(true);
  });

  it('when hashed, then the stored string is scrypt$N$r$p$salt$hash with a 16-byte salt and a 32-byte key', async () => {
    const stored = await scryptPasswords({ N: FAST }).hash('格式');
    const m = STORED_FORMAT.exec(stored);
    expect(m).not.toBeNull();
    const [, n, r, p, salt, hash] = m!;
    expect([Number(n), Number(r), Number(p)]).toEqual([FAST, 8, 1]);
    expect(Buffer.from(salt!, 'base64').length).toBe(16);
    expect(Buffer.from(hash!, 'base64').length).toBe(32);
  });

  it('when no N is given, then the default 2^15 is used, and it verifies (maxmem is large enough)', async () => {
    const hasher = scryptPasswords();
    const stored = await hasher.hash('默认参数');
    expect(stored.startsWith(`scrypt$${2 ** 15}$8$1$`)).toBe(true);
    expect(await hasher.verify('默认参数', stored)).toBe(true);
    expect(await hasher.verify('默认参数?', stored)).toBe(false);
  });

  it('when a hash was made with another N, then verify uses the N stored with it', async () => {
    const stored = await scryptPasswords({ N: 2 ** 11 }).hash('迁移');
    expect(stored.split('$')[1]).toBe(String(2 ** 11));
    expect(await scryptPasswords({ N: FAST }).verify('迁移', stored)).toBe(true);
    // The stored N really matters: the same salt and key under another N do not verify.
    const withOtherN = stored.replace(/^scrypt\$\d+\$/, `scrypt$${FAST}$`);
    expect(await scryptPasswords({ N: FAST }).verify('迁移', withOtherN)).toBe(false);
  });

  it('when the stored string is malformed, then verify resolves false and never throws', async () => {
    const hasher = scryptPasswords({ N: FAST });
    const good = await hasher.hash('pw');
    const [, n, r, p, salt, hash] = good.split('$');
    const malformed = [
      '',
      'pw',
      'scrypt',
      'scrypt$$$$$',
      `bcrypt$${n}$${r}$${p}$${salt}$${hash}`,
      `scrypt$${n}$${r}$${p}$${salt}`,
      `scrypt$${n}$${r}$${p}$${salt}$${hash}$extra`,
      `scrypt$1000$${r}$${p}$${salt}$${hash}`, // N not a power of two
      `scrypt$1$${r}$${p}$${salt}$${hash}`,
      `scrypt$${2 ** 40}$${r}$${p}$${salt}$${hash}`, // absurd cost
      `scrypt$${n}$0$${p}$${salt}$${hash}`,
      `scrypt$${n}$${r}$-1$${salt}$${hash}`,
      `scrypt$0x400$${r}$${p}$${salt}$${hash}`,
      `scrypt$${n}$${r}$${p}$not*base64$${hash}`,
      `scrypt$${n}$${r}$${p}$${salt}$`,
      `scrypt$${n}$${r}$${p}$${salt}$${hash!.slice(0, 8)}`, // key too short
      `scrypt$${n}$${r}$${p}$${salt}$${hash!.slice(1)}`, // broken base64
    ];
    for (const stored of malformed) expect([stored, await hasher.verify('pw', stored)]).toEqual([stored, false]);
    expect(await hasher.verify('pw', good)).toBe(true);
    const untyped = hasher.verify as (password: unknown, stored: unknown) => Promise<boolean>;
    expect(await untyped('pw', null)).toBe(false);
    expect(await untyped(undefined, good)).toBe(false);
  });

  it('when the stored key is altered by one character, then verify is false', async () => {
    const hasher = scryptPasswords({ N: FAST });
    const good = await hasher.hash('pw');
    const parts = good.split('$');
    const key = parts[5]!;
    parts[5] = (key[0] === 'A' ? 'B' : 'A') + key.slice(1);
    expect(await hasher.verify('pw', parts.join('$'))).toBe(false);
  });

  it('when N is not a power of two, then scryptPasswords refuses to be created', () => {
    expect(() => scryptPasswords({ N: 1000 })).toThrow(RangeError);
    expect(() => scryptPasswords({ N: 1 })).toThrow(RangeError);
  });
});
