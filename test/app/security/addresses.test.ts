import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  type AddressClass,
  checkUrlShape,
  classifyAddress,
  ipLiteralOf,
  isPublicAddress,
  UnsafeUrlError,
} from '../../../src/app/security/addresses.js';

const TABLE: Record<AddressClass, string[]> = {
  public: [
    '1.1.1.1',
    '8.8.8.8',
    '93.184.216.34',
    '114.114.114.114',
    '223.5.5.5',
    '9.255.255.255', // just below 10/8
    '11.0.0.0', // just above 10/8
    '100.63.255.255', // just below 100.64/10
    '100.128.0.0', // just above 100.64/10
    '126.255.255.255',
    '128.0.0.0',
    '169.253.255.255',
    '169.255.0.0',
    '172.15.255.255', // just below 172.16/12
    '172.32.0.0', // just above 172.16/12
    '192.0.1.0',
    '192.0.3.0',
    '192.167.255.255',
    '192.169.0.0',
    '198.17.255.255',
    '198.20.0.0', // just above 198.18/15
    '198.51.99.255',
    '203.0.112.255',
    '203.0.114.0',
    '223.255.255.255', // just below 224/4
    '2001:4860:4860::8888',
    '2400:3200::1', // AliDNS
    '2606:4700:4700::1111',
    '[2606:4700:4700::1111]',
    '2001:db9::1', // just outside 2001:db8::/32
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1', // 6to4 of 8.8.8.8
  ],
  loopback: [
    '127.0.0.1',
    '127.0.0.0',
    '127.1.2.3',
    '127.255.255.255',
    '::1',
    '0:0:0:0:0:0:0:1',
    '0000:0000:0000:0000:0000:0000:0000:0001',
    '[::1]',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::FFFF:7F00:0001',
    '0:0:0:0:0:ffff:127.0.0.1',
    '[::ffff:127.0.0.1]',
    '64:ff9b::127.0.0.1',
    '64:ff9b::7f00:1',
    '2002:7f00:1::', // 6to4 of 127.0.0.1
  ],
  private: [
    '10.0.0.0',
    '10.1.2.3',
    '10.255.255.255',
    '100.64.0.0',
    '100.127.255.255',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '192.168.255.255',
    'fc00::1',
    'fd12:3456:789a::1',
    'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    'fec0::1',
    '::ffff:10.0.0.1',
    '::ffff:192.168.1.1',
    '64:ff9b::10.0.0.1',
    '64:ff9b:1::1',
  ],
  link_local: [
    '169.254.0.1',
    '169.254.1.1',
    '169.254.255.255',
    'fe80::1',
    'fe80::1%eth0',
    'fe80::abcd:1234%25',
    '[fe80::1%eth0]',
    'febf:ffff::1',
    '::ffff:169.254.1.1',
  ],
  metadata: [
    '169.254.169.254',
    '169.254.170.2',
    '100.100.100.200',
    'fd00:ec2::254',
    'fd00:0ec2:0000:0000:0000:0000:0000:0254',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '64:ff9b::169.254.169.254',
  ],
  unspecified: ['0.0.0.0', '::', '0:0:0:0:0:0:0:0', '[::]', '::ffff:0.0.0.0'],
  multicast: ['224.0.0.1', '239.255.255.250', 'ff02::1', 'ff05::1:3', 'ff0e::1', '::ffff:224.0.0.251'],
  reserved: [
    '0.1.2.3',
    '0.255.255.255',
    '192.0.0.1',
    '192.0.0.170',
    '192.0.2.1',
    '198.18.0.1',
    '198.19.255.255',
    '198.51.100.7',
    '203.0.113.9',
    '240.0.0.1',
    '250.1.2.3',
    '255.255.255.254',
    '255.255.255.255',
    '2001:db8::1',
    '2001:0db8:ffff:ffff:ffff:ffff:ffff:ffff',
    '3fff::1',
    '100::1',
    '100::ffff:ffff:ffff:ffff',
    '2001::1', // Teredo
    '::127.0.0.1', // deprecated IPv4-compatible
    '::2',
    '4000::1', // outside global unicast 2000::/3
    '::ffff:192.0.2.1',
    '64:ff9b::203.0.113.1',
  ],
  invalid: [
    '',
    ' ',
    'localhost',
    'example.com',
    '0177.0.0.1',
    '0x7f.0.0.1',
    '0x7f000001',
    '2130706433',
    '127.1',
    '127.0.0.01',
    '127.0.0.1.',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.1',
    '1.2.3.-1',
    '1.2.3.4%eth0',
    '[127.0.0.1]',
    '[::1',
    '::1]',
    ':::',
    '1::2::3',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6::7:8',
    '12345::1',
    'g::1',
    ':1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:',
    '::ffff:127.0.0.01',
    '::ffff:127.0.1',
    '1.2.3.4::',
    '::1.2.3.4:5',
  ],
};

describe('classifyAddress', () => {
  for (const [cls, addresses] of Object.entries(TABLE) as [AddressClass, string[]][]) {
    it(`when given ${cls} addresses, then each is classified ${cls}`, () => {
      expect(addresses.map((ip) => [ip, classifyAddress(ip)])).toEqual(addresses.map((ip) => [ip, cls]));
    });
  }

  it('when the IPv6 text uses compressed, full or mixed-case forms of the same address, then they classify alike', () => {
    for (const ip of ['fe80::1', 'FE80::1', 'fe80:0:0:0:0:0:0:1', 'fe80:0000::0001']) expect(classifyAddress(ip)).toBe('link_local');
    expect(classifyAddress('1:2:3:4:5:6:7::')).toBe('reserved'); // '::' standing for one group
    expect(classifyAddress('2001:4860:4860:0:0:0:0:8888')).toBe('public');
  });
});

describe('isPublicAddress', () => {
  it('when the address is public, then true; for every other class, false', () => {
    for (const [cls, addresses] of Object.entries(TABLE)) {
      for (const ip of addresses) expect([ip, isPublicAddress(ip)]).toEqual([ip, cls === 'public']);
    }
  });
});

describe('ipLiteralOf', () => {
  it('when given URL hostnames, then IP literals come back without brackets and names give null', () => {
    expect(ipLiteralOf('127.0.0.1')).toBe('127.0.0.1');
    expect(ipLiteralOf('[::1]')).toBe('::1');
    expect(ipLiteralOf('example.com')).toBeNull();
    expect(ipLiteralOf('1.2.3.example')).toBeNull();
  });
});

/** The UnsafeUrlError checkUrlShape throws (fails the test when it does not throw one). */
function refusal(url: string, options?: { allowPrivate?: boolean }): UnsafeUrlError {
  try {
    checkUrlShape(url, options);
  } catch (err) {
    expect(err).toBeInstanceOf(UnsafeUrlError);
    return err as UnsafeUrlError;
  }
  throw new Error(`expected ${url} to be refused`);
}

const PRIVATE_HINT = '如确需访问内网地址，请设置 ALLOW_PRIVATE_URLS=1';

describe('checkUrlShape', () => {
  it('when the scheme is not http or https, then unsafe_url with a Chinese message naming the scheme', () => {
    for (const [url, scheme] of [
      ['file:///etc/passwd', 'file:'],
      ['ftp://ftp.example.com/feed.xml', 'ftp:'],
      ['javascript:alert(1)', 'javascript:'],
      ['gopher://example.com:70/', 'gopher:'],
      ['data:text/xml,<rss/>', 'data:'],
    ] as const) {
      const err = refusal(url);
      expect(err.code).toBe('unsafe_url');
      expect(err.message).toBe(`只允许 http:// 或 https:// 地址（收到 ${scheme}）`);
    }
  });

  it('when the URL does not parse, then unsafe_url', () => {
    expect(refusal('not a url').message).toBe('地址无效：not a url');
    expect(refusal('http://').code).toBe('unsafe_url');
  });

  it('when the URL carries a username or password, then unsafe_url', () => {
    for (const url of ['https://user:pass@example.com/feed', 'https://user@example.com/feed', 'https://:secret@example.com/feed']) {
      expect(refusal(url).message).toBe('地址不得包含用户名或密码');
    }
  });

  it('when the host is a loopback, private, link-local or metadata IP literal, then unsafe_url naming the address', () => {
    expect(refusal('http://127.0.0.1/feed').message).toBe(
      `地址指向内网或本机地址（127.0.0.1），已拒绝；${PRIVATE_HINT}`,
    );
    expect(refusal('http://[::1]/').message).toContain('（::1）');
    expect(refusal('http://169.254.169.254/latest/meta-data').message).toContain('（169.254.169.254）');
    expect(refusal('http://100.100.100.200/latest/meta-data').message).toContain('（100.100.100.200）');
    expect(refusal('http://10.0.0.5:8080/rss').message).toContain('（10.0.0.5）');
    expect(refusal('http://[::ffff:192.168.1.1]/').message).toContain('（::ffff:c0a8:101）');
    expect(refusal('http://[fd00:ec2::254]/').message).toContain('（fd00:ec2::254）');
    expect(refusal('http://0.0.0.0:3000/').message).toContain('（0.0.0.0）');
  });

  it('when the host is a numeric IPv4 form that WHATWG URL normalises to a loopback address, then it is refused as 127.0.0.1', () => {
    for (const url of ['http://0x7f.0.0.1/', 'http://0177.0.0.1/', 'http://2130706433/', 'http://127.1/', 'http://127.0.0.1./']) {
      expect(new URL(url).hostname).toBe('127.0.0.1');
      expect(refusal(url).message).toContain('（127.0.0.1）');
    }
  });

  it('when a public IP literal or a public-looking hostname is given, then the shape check passes', () => {
    for (const url of [
      'http://93.184.216.34/feed.xml',
      'https://[2606:4700:4700::1111]/rss',
      'https://www.gov.cn/rss/zhengce.xml',
      'http://example.com:8080/feed?x=1#top',
      'HTTPS://WWW.GOV.CN/rss',
    ]) {
      expect(() => checkUrlShape(url)).not.toThrow();
    }
  });

  it('when the port is one every fetch refuses (the Fetch standard’s bad ports), then unsafe_url naming it, also with allowPrivate', () => {
    for (const url of ['https://example.com:6000/hook', 'http://93.184.216.34:25/', 'http://example.com:4190/x', 'https://example.com:10080/']) {
      expect(refusal(url).message, url).toMatch(/^端口 \d+ 是 fetch 一律拒绝连接的端口/);
    }
    expect(refusal('http://127.0.0.1:6667/', { allowPrivate: true }).message).toContain('端口 6667');
    // Exactly the ports undici's fetch (ours, and Node's own) refuses.
    const { badPortsSet } = createRequire(import.meta.url)('undici/lib/web/fetch/constants.js') as { badPortsSet: Set<string> };
    expect(badPortsSet.size).toBeGreaterThan(70);
    for (let port = 1; port <= 11_000; port++) {
      const refused = (() => {
        try {
          checkUrlShape(`http://example.com:${port}/`);
          return false;
        } catch {
          return true;
        }
      })();
      if (refused !== badPortsSet.has(String(port))) expect.fail(`port ${port}: refused ${refused}, undici ${badPortsSet.has(String(port))}`);
    }
    for (const url of ['http://example.com:80/', 'https://example.com:443/', 'http://example.com:8080/', 'http://example.com:6001/', 'http://example.com:2/']) {
      expect(() => checkUrlShape(url), url).not.toThrow();
    }
  });

  it('when allowPrivate is set, then private IP literals pass but the scheme and credential checks remain', () => {
    expect(() => checkUrlShape('http://127.0.0.1:1234/', { allowPrivate: true })).not.toThrow();
    expect(() => checkUrlShape('http://[::1]/', { allowPrivate: true })).not.toThrow();
    expect(refusal('ftp://127.0.0.1/', { allowPrivate: true }).code).toBe('unsafe_url');
    expect(refusal('http://u:p@127.0.0.1/', { allowPrivate: true }).message).toBe('地址不得包含用户名或密码');
  });
});

describe('UnsafeUrlError', () => {
  it('when constructed, then it is an Error with code unsafe_url and its own name', () => {
    const err = new UnsafeUrlError('不安全');
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('unsafe_url');
    expect(err.name).toBe('UnsafeUrlError');
    expect(err.message).toBe('不安全');
  });
});
