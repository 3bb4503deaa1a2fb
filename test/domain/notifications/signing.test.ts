import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  WEBHOOK_SECRET_PREFIX,
  dingtalkSignedUrl,
  hmacSha256Base64,
  isWebhookSecret,
  newWebhookSecret,
  standardWebhookHeaders,
} from '../../../src/domain/notifications/signing.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('hmacSha256Base64', () => {
  it('when given the RFC 4231 test cases, then it gives their HMAC-SHA256, in base64', async () => {
    // Test case 2: key "Jefe".
    expect(await hmacSha256Base64(bytes('Jefe'), 'what do ya want for nothing?')).toBe(
      Buffer.from('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', 'hex').toString('base64'),
    );
    // Test case 1: twenty 0x0b bytes, "Hi There".
    expect(await hmacSha256Base64(new Uint8Array(20).fill(0x0b), 'Hi There')).toBe(
      Buffer.from('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7', 'hex').toString('base64'),
    );
  });

  it('when keys and messages are non-ASCII or binary, then it agrees with node:crypto, also for a key used again', async () => {
    const keys = [bytes('加签密钥SEC'), Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff), Uint8Array.from([0xff, 0, 0x80])];
    for (let round = 0; round < 2; round++) {
      for (const key of keys) {
        for (const message of ['', '消息正文', '1763600000\nsecret']) {
          expect(await hmacSha256Base64(key, message)).toBe(createHmac('sha256', key).update(message).digest('base64'));
        }
      }
    }
  });

  it('when many different keys are used, then each still signs with its own key, before and after the kept keys are cleared', async () => {
    const wrong: number[] = [];
    for (let i = 0; i < 300; i++) {
      const key = bytes(`channel-secret-${i}`);
      if ((await hmacSha256Base64(key, 'm')) !== createHmac('sha256', key).update('m').digest('base64')) wrong.push(i);
    }
    expect(wrong).toEqual([]);
    expect(await hmacSha256Base64(bytes('channel-secret-0'), 'm')).toBe(createHmac('sha256', 'channel-secret-0').update('m').digest('base64'));
  });
});

describe('hmacSha256Base64 around block sizes', () => {
  it('when keys and messages have every length around the 64-byte blocks and beyond, then it agrees with node:crypto', async () => {
    const wrong: string[] = [];
    const lengths = [...Array.from({ length: 140 }, (_, i) => i), 191, 192, 255, 256, 1000, 4097];
    for (const keyLength of [0, 1, 20, 32, 55, 56, 63, 64, 65, 100, 128, 200]) {
      const key = Uint8Array.from({ length: keyLength }, (_, i) => (i * 131 + keyLength) & 0xff);
      for (const length of lengths) {
        const message = String.fromCharCode(...Array.from({ length }, (_, i) => 0x20 + ((i * 7 + length * 13) % 0x5f)));
        if ((await hmacSha256Base64(key, message)) !== createHmac('sha256', key).update(message).digest('base64')) wrong.push(`key ${keyLength}, message ${length}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('when given the RFC 4231 cases with a key longer than a block, then it gives their HMAC-SHA256', async () => {
    // Test cases 6 and 7: 131 bytes of 0xaa.
    const key = new Uint8Array(131).fill(0xaa);
    const hex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');
    expect(hex(await hmacSha256Base64(key, 'Test Using Larger Than Block-Size Key - Hash Key First'))).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    );
    const text = 'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.';
    expect(hex(await hmacSha256Base64(key, text))).toBe('9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2');
  });
});

describe('dingtalkSignedUrl', () => {
  it('when the URL has no query, then the timestamp and the URL-encoded sign start one', async () => {
    const secret = 'SEC000';
    const sign = createHmac('sha256', secret).update(`1700000000000\n${secret}`).digest('base64');
    expect(await dingtalkSignedUrl('https://oapi.dingtalk.com/robot/send', secret, 1_700_000_000_000)).toBe(
      `https://oapi.dingtalk.com/robot/send?timestamp=1700000000000&sign=${encodeURIComponent(sign)}`,
    );
  });
});

describe('webhook secrets', () => {
  it('when a secret is made, then it is whsec_ and the base64 of the given bytes', () => {
    expect(WEBHOOK_SECRET_PREFIX).toBe('whsec_');
    const random = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
    expect(newWebhookSecret(random)).toBe(`whsec_${Buffer.from(random).toString('base64')}`);
  });

  it.each([
    [24, true],
    [64, true],
    [23, false],
    [65, false],
  ])('when the key is %i bytes, then the secret is accepted: %s', (length, ok) => {
    expect(isWebhookSecret(`whsec_${Buffer.alloc(length, 7).toString('base64')}`)).toBe(ok);
  });

  it('when the prefix is missing or elsewhere, then the secret is refused', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(isWebhookSecret(`WHSEC_${key}`)).toBe(false);
    expect(isWebhookSecret(`x_whsec_${key}`)).toBe(false);
    expect(isWebhookSecret('whsec_')).toBe(false);
  });

  it('when the key bytes are not ASCII, then the Standard Webhooks signature uses them as they are', async () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);
    const headers = await standardWebhookHeaders(newWebhookSecret(key), 'd-1', 1_700_000_000, '{"x":"消息"}');
    expect(headers['webhook-signature']).toBe(`v1,${createHmac('sha256', key).update('d-1.1700000000.{"x":"消息"}').digest('base64')}`);
  });
});
