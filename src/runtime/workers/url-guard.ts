import { checkUrlShape, UnsafeUrlError, type UrlGuard } from '../../app/security/addresses.js';

/** Names that always mean this machine or its local network, whatever a resolver would say. */
const LOCAL_NAME = /(^|\.)(localhost|local|internal|home\.arpa)\.?$/i;

/**
 * The Workers UrlGuard for feed URLs. Workers have no DNS API, so names are not resolved here:
 * the shape check of checkUrlShape (http/https, no credentials, IP literals must be public) plus
 * a refusal of local names. A Worker's fetch leaves from Cloudflare's network, which cannot reach
 * the private addresses of the office network in the first place; see README, "Two runtimes".
 */
export function workersUrlGuard(options: { allowPrivate: boolean }): UrlGuard {
  return async (url: string) => {
    checkUrlShape(url, { allowPrivate: options.allowPrivate });
    if (options.allowPrivate) return;
    const hostname = new URL(url).hostname;
    if (LOCAL_NAME.test(hostname)) throw new UnsafeUrlError(`地址指向本机或内网（${hostname}），不允许访问`);
  };
}
