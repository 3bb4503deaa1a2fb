// The signatures each platform checks (SPEC §10), with WebCrypto, which Node and Workers share.
// Timestamps are passed in; nothing here reads the clock.

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

// Imported keys, by their bytes: a channel signs every message with the same secret. Bounded:
// cleared whole when full.
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
const keys = new Map<string, Promise<HmacKey>>();
const KEYS_KEPT = 256;

function hmacKey(key: Uint8Array): Promise<HmacKey> {
  const id = toBase64(key);
  let cryptoKey = keys.get(id);
  if (!cryptoKey) {
    if (keys.size >= KEYS_KEPT) keys.clear();
    cryptoKey = crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keys.set(id, cryptoKey);
  }
  return cryptoKey;
}

/** base64(HMAC-SHA256(key, message)). */
export async function hmacSha256Base64(key: Uint8Array, message: string): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(key), encoder.encode(message))));
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
