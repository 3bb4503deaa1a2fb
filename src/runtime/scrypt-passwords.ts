// node:crypto scrypt: on Node natively, on Workers through the nodejs_compat flag (workerd implements it).
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHasher } from '../app/security/passwords.js';

// scrypt (RFC 7914) from node:crypto, run on libuv's thread pool. Stored as
// `scrypt$N$r$p$saltB64$hashB64`, so that the cost can be raised later without invalidating the
// hashes already stored: verify reads the parameters from the stored string.

const DEFAULT_N = 2 ** 15;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

/** Bounds on what verify accepts from a stored string, so that a corrupt row cannot demand gigabytes. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
const MAX_MEMORY = 512 * 1024 * 1024;

function scryptAsync(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 1 && n <= 2 ** 30 && (n & (n - 1)) === 0;
}

/** scrypt needs about 128·N·r·p bytes; node's default cap (32 MiB) is exactly too small for N = 2^15, r = 8. */
function params(N: number, r: number, p: number): ScryptOptions {
  return { N, r, p, maxmem: 128 * N * r * p + 16 * 1024 * 1024 };
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Strict base64: decodes, and encodes back to the same text. */
function fromBase64(s: string): Buffer | null {
  if (!B64.test(s)) return null;
  const buf = Buffer.from(s, 'base64');
  return buf.toString('base64') === s ? buf : null;
}

const DIGITS = /^[1-9][0-9]{0,9}$/;

interface Stored {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parseStored(stored: string): Stored | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, nText, rText, pText, saltText, hashText] = parts as [string, string, string, string, string, string];
  if (!DIGITS.test(nText) || !DIGITS.test(rText) || !DIGITS.test(pText)) return null;
  const N = Number(nText);
  const r = Number(rText);
  const p = Number(pText);
  if (!isPowerOfTwo(N) || N > MAX_N || r > MAX_R || p > MAX_P || 128 * N * r * p > MAX_MEMORY) return null;
  const salt = fromBase64(saltText);
  const hash = fromBase64(hashText);
  if (!salt || !hash || salt.length < 8 || hash.length < 16 || hash.length > 64) return null;
  return { N, r, p, salt, hash };
}

/**
 * The Node PasswordHasher. N (CPU/memory cost, a power of two) defaults to 2^15 (≈ 32 MiB and
 * tens of milliseconds per hash); tests pass a small N for speed. verify honours the parameters
 * stored with each hash, whatever N this instance hashes with.
 */
export function scryptPasswords(options: { N?: number } = {}): PasswordHasher {
  const N = options.N ?? DEFAULT_N;
  if (!isPowerOfTwo(N) || N > MAX_N) throw new RangeError(`scrypt N must be a power of two between 2 and ${MAX_N}, got ${N}`);

  return {
    async hash(password: string): Promise<string> {
      const salt = randomBytes(SALT_BYTES);
      const key = await scryptAsync(password, salt, KEY_BYTES, params(N, R, P));
      return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
    },

    async verify(password: string, stored: string): Promise<boolean> {
      try {
        if (typeof password !== 'string' || typeof stored !== 'string') return false;
        const s = parseStored(stored);
        if (!s) return false;
        const key = await scryptAsync(password, s.salt, s.hash.length, params(s.N, s.r, s.p));
        return timingSafeEqual(key, s.hash);
      } catch {
        return false;
      }
    },
  };
}
