// Which IP addresses a server-side fetch may reach (SSRF protection for feed URLs). Pure: no I/O,
// no runtime APIs. The runtime guard (src/runtime/node/url-guard.ts) adds the DNS resolution.
//
// The rule is an allow-list in spirit: an IPv4 address is public unless it falls in a special-use
// block below; an IPv6 address is public only inside global unicast 2000::/3 and outside the
// special-use blocks there. Anything that does not parse is 'invalid', which is never public.

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'metadata'
  | 'unspecified'
  | 'multicast'
  | 'reserved'
  | 'invalid';

/** Thrown by a UrlGuard (and checkUrlShape) when a URL must not be fetched. */
export class UnsafeUrlError extends Error {
  override readonly name = 'UnsafeUrlError';
  readonly code = 'unsafe_url' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Resolves when the URL may be fetched; rejects with UnsafeUrlError when it must not be. Any other
 * rejection (a DNS failure, say) is a network problem, not a verdict on the URL.
 */
export type UrlGuard = (url: string) => Promise<void>;

// ---------------------------------------------------------------------------------------------
// IPv4

const DECIMAL_OCTET = /^(?:0|[1-9][0-9]{0,2})$/;

/** Strict dotted quad (four decimal octets, no leading zeros) → 32-bit value, or null. */
function parseIPv4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!DECIMAL_OCTET.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return value;
}

function v4(a: number, b: number, c: number, d: number): number {
  return ((a * 256 + b) * 256 + c) * 256 + d;
}

function inV4(ip: number, base: number, prefix: number): boolean {
  const size = 2 ** (32 - prefix);
  return Math.floor(ip / size) === Math.floor(base / size);
}

/**
 * Cloud instance-metadata endpoints, which hand out credentials to whoever asks from the machine:
 * AWS/GCP/Azure/Huawei/OpenStack 169.254.169.254, AWS ECS task metadata 169.254.170.2, Tencent
 * Cloud 169.254.0.23, Alibaba Cloud 100.100.100.200 (inside the CGNAT block).
 */
const V4_METADATA = new Set([v4(169, 254, 169, 254), v4(169, 254, 170, 2), v4(169, 254, 0, 23), v4(100, 100, 100, 200)]);

/** Special-use IPv4 blocks (RFC 6890 and successors), most specific first where they nest. */
const V4_BLOCKS: ReadonlyArray<readonly [base: number, prefix: number, cls: AddressClass]> = [
  [v4(0, 0, 0, 0), 32, 'unspecified'],
  [v4(0, 0, 0, 0), 8, 'reserved'], // "this network"; Linux connects 0.x to the local host
  [v4(10, 0, 0, 0), 8, 'private'],
  [v4(100, 64, 0, 0), 10, 'private'], // CGNAT shared address space
  [v4(127, 0, 0, 0), 8, 'loopback'],
  [v4(169, 254, 0, 0), 16, 'link_local'],
  [v4(172, 16, 0, 0), 12, 'private'],
  [v4(192, 0, 0, 0), 24, 'reserved'], // IETF protocol assignments
  [v4(192, 0, 2, 0), 24, 'reserved'], // TEST-NET-1
  [v4(192, 168, 0, 0), 16, 'private'],
  [v4(198, 18, 0, 0), 15, 'reserved'], // benchmarking
  [v4(198, 51, 100, 0), 24, 'reserved'], // TEST-NET-2
  [v4(203, 0, 113, 0), 24, 'reserved'], // TEST-NET-3
  [v4(224, 0, 0, 0), 4, 'multicast'],
  [v4(240, 0, 0, 0), 4, 'reserved'], // includes 255.255.255.255 (broadcast)
];

function classifyV4(ip: number): AddressClass {
  if (V4_METADATA.has(ip)) return 'metadata';
  for (const [base, prefix, cls] of V4_BLOCKS) if (inV4(ip, base, prefix)) return cls;
  return 'public';
}

// ---------------------------------------------------------------------------------------------
// IPv6

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseGroups(s: string): number[] | null {
  if (s === '') return [];
  const out: number[] = [];
  const parts = s.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i === parts.length - 1 && part.includes('.')) {
      const ip = parseIPv4(part);
      if (ip === null) return null;
      out.push(Math.floor(ip / 65536), ip % 65536);
    } else if (HEX_GROUP.test(part)) {
      out.push(parseInt(part, 16));
    } else {
      return null;
    }
  }
  return out;
}

/** Full, compressed (::) or IPv4-suffixed IPv6 text → eight 16-bit groups, or null. */
function parseIPv6(s: string): number[] | null {
  const halves = s.split('::');
  if (halves.length > 2) return null;
  if (halves.length === 1) {
    const groups = parseGroups(s);
    return groups && groups.length === 8 ? groups : null;
  }
  const head = parseGroups(halves[0]!);
  const tail = parseGroups(halves[1]!);
  // A dotted IPv4 part may only end the address.
  if (!head || !tail || halves[0]!.includes('.')) return null;
  if (head.length + tail.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

function inV6(g: readonly number[], prefixGroups: readonly number[], prefix: number): boolean {
  let bits = prefix;
  for (let i = 0; bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if (((g[i]! ^ (prefixGroups[i] ?? 0)) & mask) !== 0) return false;
  }
  return true;
}

function embeddedV4(hi: number, lo: number): number {
  return hi * 65536 + lo;
}

function classifyV6(g: readonly number[]): AddressClass {
  if (g.every((x) => x === 0)) return 'unspecified';
  if (inV6(g, [0, 0, 0, 0, 0, 0, 0, 1], 128)) return 'loopback';
  // IPv4-mapped ::ffff:a.b.c.d and NAT64 64:ff9b::a.b.c.d reach the IPv4 address they carry.
  if (inV6(g, [0, 0, 0, 0, 0, 0xffff], 96)) return classifyV4(embeddedV4(g[6]!, g[7]!));
  if (inV6(g, [0x64, 0xff9b], 96)) return classifyV4(embeddedV4(g[6]!, g[7]!));
  if (inV6(g, [0x64, 0xff9b, 1], 48)) return 'private'; // local-use NAT64 (RFC 8215)
  // 6to4 2002:a.b.c.d::/48 tunnels to the IPv4 address in groups 1–2.
  if (inV6(g, [0x2002], 16)) return classifyV4(embeddedV4(g[1]!, g[2]!));
  if (inV6(g, [0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x254], 128)) return 'metadata'; // AWS IMDS over IPv6
  if (inV6(g, [0xff00], 8)) return 'multicast';
  if (inV6(g, [0xfe80], 10)) return 'link_local';
  if (inV6(g, [0xfec0], 10)) return 'private'; // deprecated site-local
  if (inV6(g, [0xfc00], 7)) return 'private'; // unique local
  if (inV6(g, [0x100], 64)) return 'reserved'; // discard-only
  if (inV6(g, [0x2001, 0x0db8], 32)) return 'reserved'; // documentation
  if (inV6(g, [0x3fff], 20)) return 'reserved'; // documentation (RFC 9637)
  if (inV6(g, [0x2001], 32)) return 'reserved'; // Teredo: tunnels to an obfuscated IPv4 address
  if (inV6(g, [0x2001, 0x0002, 0], 48)) return 'reserved'; // benchmarking
  if (inV6(g, [0x2001, 0x0010], 28)) return 'reserved'; // ORCHID (deprecated)
  // Everything outside global unicast (::/8 incl. IPv4-compatible ::a.b.c.d, unallocated space).
  if (!inV6(g, [0x2000], 3)) return 'reserved';
  return 'public';
}

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * Classifies an IP address given as text: a strict IPv4 dotted quad (0177.0.0.1, 0x7f.0.0.1 and
 * 2130706433 are 'invalid'), or IPv6 in any textual form, optionally in brackets and with a zone
 * id (`[fe80::1%eth0]`). IPv4-mapped and NAT64 addresses are classified by the IPv4 address they
 * embed.
 */
export function classifyAddress(ip: string): AddressClass {
  let s = ip.trim();
  const bracketed = s.startsWith('[') || s.endsWith(']');
  if (bracketed) {
    if (!(s.startsWith('[') && s.endsWith(']'))) return 'invalid';
    s = s.slice(1, -1);
  }
  if (s.includes(':')) {
    const zone = s.indexOf('%');
    if (zone >= 0) s = s.slice(0, zone);
    const groups = parseIPv6(s);
    return groups ? classifyV6(groups) : 'invalid';
  }
  if (bracketed) return 'invalid';
  const v = parseIPv4(s);
  return v === null ? 'invalid' : classifyV4(v);
}

/** True only for an address that parses and lies outside every non-public range. */
export function isPublicAddress(ip: string): boolean {
  return classifyAddress(ip) === 'public';
}

/**
 * The IP address a URL hostname (as `new URL(…).hostname` gives it) denotes literally, or null for
 * a domain name. WHATWG URL parsing already normalises numeric IPv4 forms (0x7f.1, 0177.0.0.1,
 * 2130706433) to a dotted quad and keeps IPv6 in brackets.
 */
export function ipLiteralOf(hostname: string): string | null {
  if (hostname.startsWith('[') && hostname.endsWith(']')) return hostname.slice(1, -1);
  if (/^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(hostname)) return hostname;
  return null;
}

/** The refusal for a URL whose host is, or resolves to, a non-public address. */
export function privateAddressError(address: string, hostname?: string): UnsafeUrlError {
  const where = hostname === undefined ? '地址指向' : `域名 ${hostname} 解析到`;
  return new UnsafeUrlError(
    `${where}内网或本机地址（${address}），已拒绝；如确需访问内网地址，请设置 ALLOW_PRIVATE_URLS=1`,
  );
}

/**
 * Throws UnsafeUrlError unless the URL parses, is http: or https:, carries no username or
 * password, and — when its host is an IP literal — that address is public. With allowPrivate the
 * address check is skipped (the scheme and credential checks never are). Domain names are not
 * resolved here: that is the runtime guard's job.
 */
export function checkUrlShape(url: string, options: { allowPrivate?: boolean } = {}): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (err) {
    throw new UnsafeUrlError(`地址无效：${url}`, { cause: err });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UnsafeUrlError(`只允许 http:// 或 https:// 地址（收到 ${parsed.protocol}）`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new UnsafeUrlError('地址不得包含用户名或密码');
  }
  if (options.allowPrivate) return;
  const literal = ipLiteralOf(parsed.hostname);
  if (literal !== null && !isPublicAddress(literal)) throw privateAddressError(literal);
}
