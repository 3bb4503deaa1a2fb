import { lookup as dnsLookup } from 'node:dns/promises';
import {
  checkUrlShape,
  ipLiteralOf,
  isPublicAddress,
  privateAddressError,
  type UrlGuard,
} from '../../app/security/addresses.js';

export interface NodeUrlGuardOptions {
  /** ALLOW_PRIVATE_FEEDS=1: skip the address checks (scheme and credentials are still checked). */
  allowPrivate: boolean;
  /** Resolves a hostname to every address it has; default node:dns/promises lookup (all, verbatim). */
  lookup?: (hostname: string) => Promise<string[]>;
}

async function systemLookup(hostname: string): Promise<string[]> {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => a.address);
}

/**
 * The Node UrlGuard for feed URLs: the shape check of checkUrlShape, then — unless private
 * addresses are allowed — a DNS resolution of the hostname, refusing the URL if ANY address it
 * resolves to is not public (localhost → 127.0.0.1 / ::1 is refused like any other).
 *
 * A DNS failure is not a verdict on the URL: it rejects with a plain Error
 * (`无法解析域名 <host>：<code>`) so that the poller records an ordinary fetch failure.
 *
 * Limitation (DNS rebinding): fetch() performs its own lookup after this check, so a hostname
 * whose records change between the two lookups (a short TTL answering public first, private
 * second) can still reach a private address. Closing that window needs the connection to be
 * pinned to the checked address (a custom dispatcher/agent `lookup`), which the Web-standard
 * fetch used by fetchFeed does not offer. The guard runs again on every redirect hop, so
 * redirects do not widen the window.
 */
export function nodeUrlGuard(options: NodeUrlGuardOptions): UrlGuard {
  const lookup = options.lookup ?? systemLookup;
  return async (url: string) => {
    checkUrlShape(url, { allowPrivate: options.allowPrivate });
    if (options.allowPrivate) return;
    const hostname = new URL(url).hostname;
    // An IP literal has been checked by checkUrlShape already; there is nothing to resolve.
    if (ipLiteralOf(hostname) !== null) return;
    let addresses: string[];
    try {
      addresses = await lookup(hostname);
    } catch (err) {
      const code = (err as { code?: unknown } | null)?.code;
      const reason = typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
      throw new Error(`无法解析域名 ${hostname}：${reason}`, { cause: err });
    }
    if (addresses.length === 0) throw new Error(`无法解析域名 ${hostname}：ENODATA`);
    for (const address of addresses) {
      if (!isPublicAddress(address)) throw privateAddressError(address, hostname);
    }
  };
}
