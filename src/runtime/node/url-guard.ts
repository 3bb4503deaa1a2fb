import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { Agent, fetch as undiciFetch } from 'undici';
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
 * This check gives a clear refusal before anything is sent; on its own it would leave a DNS
 * rebinding window (the connection's own lookup could answer differently). `nodeOutbound` closes
 * it: its fetch connects only through a lookup that applies the same rule. The guard runs again
 * on every redirect hop.
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

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The lookup a connection makes, refusing any answer with a non-public address: whatever the
 * records say at connect time is what is checked (DNS rebinding cannot slip a private address in
 * after the guard's own lookup).
 */
function guardedConnectLookup(resolve: (hostname: string) => Promise<string[]>) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    resolve(hostname).then(
      (addresses) => {
        const bad = addresses.find((a) => !isPublicAddress(a));
        if (bad !== undefined) return callback(privateAddressError(bad, hostname) as unknown as NodeJS.ErrnoException, []);
        const entries = addresses
          .map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
          .filter((e) => !options.family || options.family === e.family);
        if (entries.length === 0) return callback(Object.assign(new Error(`无法解析域名 ${hostname}：ENODATA`), { code: 'ENODATA' }), []);
        if (options.all) return callback(null, entries);
        return callback(null, entries[0]!.address, entries[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, []),
    );
  };
}

/**
 * Outbound HTTP for feeds and notification channels on Node: the guard (checked before each
 * request and redirect hop) and a fetch whose connections resolve host names through the same
 * rule. With private addresses allowed, the plain global fetch.
 */
export function nodeOutbound(options: NodeUrlGuardOptions): { guard: UrlGuard; fetch?: typeof fetch } {
  const guard = nodeUrlGuard(options);
  if (options.allowPrivate) return { guard };
  const agent = new Agent({ connect: { lookup: guardedConnectLookup(options.lookup ?? systemLookup) } });
  const pinned = ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent })) as unknown as typeof fetch;
  return { guard, fetch: pinned };
}
