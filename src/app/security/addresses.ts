import ipaddr from 'ipaddr.js';
// Which IP addresses a server-side fetch may reach (SSRF protection for feed and channel URLs).
// Pure: no I/O, no runtime APIs. The runtime guard (src/runtime/node/url-guard.ts) adds the DNS resolution.
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
// The policy: which special-use blocks (RFC 6890 and successors) count as what. Parsing and
// prefix matching are ipaddr.js's; only this table is ours.

type Range<T> = [T, number];
const v4 = (cidr: string) => ipaddr.IPv4.parseCIDR(cidr);
const v6 = (cidr: string) => ipaddr.IPv6.parseCIDR(cidr);

/**
 * Cloud instance-metadata endpoints, which hand out credentials to whoever asks from the machine:
 * AWS/GCP/Azure/Huawei/OpenStack 169.254.169.254, AWS ECS task metadata 169.254.170.2, Tencent
 * Cloud 169.254.0.23, Alibaba Cloud 100.100.100.200 (inside the CGNAT block), AWS IMDS over IPv6.
 */
const V4_RANGES: Record<Exclude<AddressClass, 'public' | 'invalid'>, Range<ipaddr.IPv4>[]> = {
  metadata: ['169.254.169.254/32', '169.254.170.2/32', '169.254.0.23/32', '100.100.100.200/32'].map(v4),
  unspecified: [v4('0.0.0.0/32')],
  loopback: [v4('127.0.0.0/8')],
  private: ['10.0.0.0/8', '100.64.0.0/10' /* CGNAT shared address space */, '172.16.0.0/12', '192.168.0.0/16'].map(v4),
  link_local: [v4('169.254.0.0/16')],
  multicast: [v4('224.0.0.0/4')],
  reserved: [
    '0.0.0.0/8', // "this network"; Linux connects 0.x to the local host
    '192.0.0.0/24', // IETF protocol assignments
    '192.0.2.0/24', // TEST-NET-1
    '198.18.0.0/15', // benchmarking
    '198.51.100.0/24', // TEST-NET-2
    '203.0.113.0/24', // TEST-NET-3
    '240.0.0.0/4', // includes 255.255.255.255 (broadcast)
  ].map(v4),
};

const V6_RANGES: Record<Exclude<AddressClass, 'public' | 'invalid'>, Range<ipaddr.IPv6>[]> = {
  metadata: [v6('fd00:ec2::254/128')],
  unspecified: [v6('::/128')],
  loopback: [v6('::1/128')],
  private: ['64:ff9b:1::/48' /* local-use NAT64, RFC 8215 */, 'fec0::/10' /* deprecated site-local */, 'fc00::/7' /* unique local */].map(v6),
  link_local: [v6('fe80::/10')],
  multicast: [v6('ff00::/8')],
  reserved: [
    '100::/64', // discard-only
    '2001:db8::/32', // documentation
    '3fff::/20', // documentation (RFC 9637)
    '2001::/32', // Teredo: tunnels to an obfuscated IPv4 address
    '2001:2::/48', // benchmarking
    '2001:10::/28', // ORCHID (deprecated)
  ].map(v6),
};

/** IPv6 prefixes that carry an IPv4 address in their last 32 bits: classified by that address. */
const V4_CARRIERS = [v6('::ffff:0:0/96') /* IPv4-mapped */, v6('64:ff9b::/96') /* NAT64 */];
const SIX_TO_FOUR = v6('2002::/16'); // 2002:a.b.c.d::/48 tunnels to the IPv4 address in groups 1–2
const GLOBAL_UNICAST = v6('2000::/3');

function classifyV4(ip: ipaddr.IPv4): AddressClass {
  return ipaddr.subnetMatch(ip, V4_RANGES, 'public') as AddressClass;
}

function classifyV6(ip: ipaddr.IPv6): AddressClass {
  const parts = ip.parts;
  if (V4_CARRIERS.some((range) => ip.match(range))) {
    return classifyV4(ipaddr.IPv4.parse(`${parts[6]! >> 8}.${parts[6]! & 0xff}.${parts[7]! >> 8}.${parts[7]! & 0xff}`));
  }
  if (ip.match(SIX_TO_FOUR)) return classifyV4(ipaddr.IPv4.parse(`${parts[1]! >> 8}.${parts[1]! & 0xff}.${parts[2]! >> 8}.${parts[2]! & 0xff}`));
  const cls = ipaddr.subnetMatch(ip, V6_RANGES, 'public') as AddressClass;
  // Everything outside global unicast (::/8 incl. IPv4-compatible ::a.b.c.d, unallocated space).
  if (cls === 'public' && !ip.match(GLOBAL_UNICAST)) return 'reserved';
  return cls;
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
    const hex = withHexSuffix(s);
    return hex !== null && ipaddr.IPv6.isValid(hex) ? classifyV6(ipaddr.IPv6.parse(hex)) : 'invalid';
  }
  if (bracketed || !STRICT_V4(s)) return 'invalid';
  return classifyV4(ipaddr.IPv4.parse(s));
}

const STRICT_V4 = (s: string) => ipaddr.IPv4.isValidFourPartDecimal(s) && !/(^|\.)0\d/.test(s);

/**
 * IPv6 text with a dotted IPv4 tail (`::ffff:1.2.3.4`) rewritten to hex groups, the tail checked
 * as strictly as a bare IPv4 address; null when the tail is not one. ipaddr.js reads every
 * `::a.b.c.d` as IPv4-mapped and accepts leading zeros in the tail, so it gets hex only.
 */
function withHexSuffix(s: string): string | null {
  const m = /^(.*:)([^:]*\.[^:]*)$/.exec(s);
  if (!m) return s;
  if (!STRICT_V4(m[2]!)) return null;
  const [a, b, c, d] = m[2]!.split('.').map(Number) as [number, number, number, number];
  return `${m[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
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
  if (!options.allowPrivate) {
    const literal = ipLiteralOf(parsed.hostname);
    if (literal !== null && !isPublicAddress(literal)) throw privateAddressError(literal);
  }
  if (parsed.port !== '' && BAD_PORTS.has(Number(parsed.port))) {
    throw new UnsafeUrlError(`端口 ${parsed.port} 是 fetch 一律拒绝连接的端口（Fetch 标准的 bad port，如邮件、IRC 等服务的端口），这个地址永远无法访问，请换用其他端口`);
  }
}

/**
 * Ports every fetch refuses to connect to (the Fetch standard's "bad port" list, as undici and
 * browsers apply it): a URL on one could be stored but never reached.
 */
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119,
  123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989,
  990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);
