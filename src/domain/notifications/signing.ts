// The signatures each platform checks (SPEC §10), in plain JavaScript, which Node and Workers share.
// Timestamps are passed in; nothing here reads the clock.

// HMAC-SHA256 from @noble/hashes (audited, pure JavaScript, synchronous): the same bytes as
// WebCrypto's crypto.subtle.sign, without an asynchronous round trip per message, which cost the
// outbox sender more than the hash itself; and the same code on Node and on Workers.
import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha2';

const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** base64(HMAC-SHA256(key, message)), the message as UTF-8. Synchronous underneath. */
export async function hmacSha256Base64(key: Uint8Array, message: string): Promise<string> {
  return toBase64(hmac(sha256, key, encoder.encode(message)));
}

/**
 * DingTalk 加签: `timestamp` in milliseconds, sign = urlencode(base64(HMAC-SHA256(key = secret,
 * message = timestamp + "\n" + secret))), both appended to the webhook URL's query.
 */
export async function dingtalkSignedUrl(url: string, secret: string, timestampMs: number): Promise<string> {
  const sign = await hmacSha256Base64(encoder.encode(secret), `${timestampMs}\n${secret}`);
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}timestamp=${timestampMs}&sign=${encodeURIComponent(sign)}`;
}

/**
 * Feishu/Lark signature: `timestamp` in seconds, sign = base64(HMAC-SHA256(key = timestamp + "\n"
 * + secret, message = "")), both put in the JSON body. (Not DingTalk's scheme: key and message
 * are the other way round, and nothing is URL-encoded.)
 */
export async function feishuSignature(secret: string, timestampSeconds: number): Promise<{ timestamp: string; sign: string }> {
  const sign = await hmacSha256Base64(encoder.encode(`${timestampSeconds}\n${secret}`), '');
  return { timestamp: String(timestampSeconds), sign };
}

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** Whether a secret has the Standard Webhooks form `whsec_<base64 of 24–64 bytes>`. */
export function isWebhookSecret(secret: string): boolean {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) return false;
  try {
    const key = fromBase64(secret.slice(WEBHOOK_SECRET_PREFIX.length));
    return key.length >= 24 && key.length <= 64;
  } catch {
    return false;
  }
}

/** A new `whsec_…` secret from 32 random bytes. */
export function newWebhookSecret(random: Uint8Array): string {
  return `${WEBHOOK_SECRET_PREFIX}${toBase64(random)}`;
}

/**
 * Standard Webhooks headers: `webhook-id`, `webhook-timestamp` (seconds) and `webhook-signature:
 * v1,<base64(HMAC-SHA256(key = base64-decoded secret, message = id.timestamp.body))>`.
 */
export async function standardWebhookHeaders(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<Record<string, string>> {
  const key = fromBase64(secret.slice(WEBHOOK_SECRET_PREFIX.length));
  const signature = await hmacSha256Base64(key, `${id}.${timestampSeconds}.${body}`);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': `v1,${signature}` };
}
