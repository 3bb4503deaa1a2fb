import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeBody, detectCharset } from '../../../src/app/monitoring/fetch-feed.js';
import {
  FeedParseError,
  parseFeed,
  parseFeedDate,
  type ParsedFeed,
} from '../../../src/app/monitoring/parse-feed.js';
import {
  atom,
  type FixtureName,
  fixtureBytes,
  GBK_ONLY_CHAR,
  rss2,
  TITLE_FLOOD,
  TITLE_FLOOD_BIG5,
  TITLE_FOOD,
  TITLE_FOOD_BIG5,
} from '../../fixtures/feeds.js';

// The suite runs with TZ=America/Los_Angeles (vitest.config.ts): a date read in local time would be off by hours.
const at = (iso: string) => Date.parse(iso);

/** A fixture decoded the way fetchFeed does it (no Content-Type: BOM or prolog decide). */
function fixtureText(name: FixtureName, contentType: string | null = null): string {
  const bytes = fixtureBytes(name);
  return decodeBody(bytes, detectCharset(contentType, bytes));
}

async function parseError(xml: string): Promise<FeedParseError> {
  const err = await parseFeed(xml).then(
    (feed: ParsedFeed) => {
      throw new Error(`expected a FeedParseError, got ${JSON.stringify(feed)}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FeedParseError);
  return err as FeedParseError;
}

describe('parseFeed: formats', () => {
  it('when an RSS 2.0 feed is parsed, then guid, link, title, plain-text summary and date are mapped', async () => {
    const feed = await parseFeed(
      rss2({
        title: '某市人民政府',
        items: [
          {
            title: `  ${TITLE_FLOOD}  `,
            link: 'http://www.example.gov.cn/art/1.html',
            guid: 'gov-1',
            description: '<p>各区县：</p><p>请做好<b>防汛</b>准备&nbsp;工作。</p><script>alert(1)</script>',
            pubDate: 'Sat, 01 Jun 2024 09:30:00 +0800',
          },
        ],
      }),
    );
    expect(feed).toEqual({
      title: '某市人民政府',
      items: [
        {
          guid: 'gov-1',
          link: 'http://www.example.gov.cn/art/1.html',
          title: TITLE_FLOOD,
          summary: '各区县： 请做好防汛准备 工作。', // block tags and &nbsp; become one plain space
          publishedAt: at('2024-06-01T09:30:00+08:00'),
        },
      ],
    });
  });

  it('when an RSS 1.0 (RDF) feed with dc:date is parsed, then its items come through with rdf:about as guid', async () => {
    const feed = await parseFeed(fixtureText('rss1.rdf'));
    expect(feed.title).toBe('某市人民政府（RSS 1.0）');
    expect(feed.items).toEqual([
      {
        guid: 'http://www.example.gov.cn/rdf/1.html',
        link: 'http://www.example.gov.cn/rdf/1.html',
        title: TITLE_FLOOD,
        summary: '防汛工作部署',
        publishedAt: at('2024-06-01T10:00:00+08:00'),
      },
      {
        guid: 'http://www.example.gov.cn/rdf/2.html',
        link: 'http://www.example.gov.cn/rdf/2.html',
        title: TITLE_FOOD,
        summary: '',
        // A bare date is 00:00 in Shanghai, as everywhere in this service.
        publishedAt: at('2024-06-02T00:00:00+08:00'),
      },
    ]);
  });

  it('when an Atom feed is parsed, then id is the guid, published wins over updated, and html titles are stripped', async () => {
    const feed = await parseFeed(fixtureText('atom.xml'));
    expect(feed.title).toBe('某市生态环境局');
    expect(feed.items[0]).toEqual({
      guid: 'tag:sthjj.example.gov.cn,2024:1',
      link: 'http://sthjj.example.gov.cn/1.html',
      title: TITLE_FLOOD,
      summary: '汛期将至，请各单位做好准备。',
      publishedAt: at('2024-06-04T09:00:00+08:00'),
    });
    expect(feed.items[1]).toEqual({
      guid: 'tag:sthjj.example.gov.cn,2024:2',
      link: 'http://sthjj.example.gov.cn/2.html',
      title: TITLE_FOOD,
      summary: '抽检合格率 98.7%',
      publishedAt: at('2024-06-03T02:00:00Z'),
    });
  });

  it('when an Atom entry has an unparseable date and a bare-text <link>, then that entry gets null and the link, and the feed still parses', async () => {
    // rss-parser alone rejects the whole document here (RangeError: Invalid time value; TypeError on link.$.rel).
    const feed = await parseFeed(fixtureText('atom.xml'));
    expect(feed.items).toHaveLength(3);
    expect(feed.items[2]).toEqual({
      guid: 'tag:sthjj.example.gov.cn,2024:3',
      link: 'http://sthjj.example.gov.cn/3.html',
      title: '日期写错的条目',
      summary: '',
      publishedAt: null,
    });
  });

  it('when an Atom entry has only updated, or neither date, then updated is used, else null; a zone-less date is Shanghai time', async () => {
    const feed = await parseFeed(
      atom({
        entries: [
          { title: 'a', id: 'urn:a', updated: '2024-06-05T10:00:00+08:00' },
          { title: 'b', id: 'urn:b' },
          { title: 'c', id: 'urn:c', published: '2024-06-05T10:00:00' },
        ],
      }),
    );
    expect(feed.items.map((i) => i.publishedAt)).toEqual([at('2024-06-05T10:00:00+08:00'), null, at('2024-06-05T10:00:00+08:00')]);
  });

  it('when an <rss> has no version attribute, then it is still read as RSS 2.0', async () => {
    const feed = await parseFeed(rss2({ version: null, items: [{ title: TITLE_FOOD }] }));
    expect(feed.items.map((i) => i.title)).toEqual([TITLE_FOOD]);
  });
});

describe('parseFeed: decoded GBK/Big5 text whose prolog still declares the old encoding', () => {
  it('when GBK bytes served with charset=GBK are decoded and parsed, then the Chinese titles are intact', async () => {
    const feed = await parseFeed(fixtureText('gbk-header.xml', 'application/rss+xml; charset=GBK'));
    expect(feed.title).toBe('某市人民政府 — 通知公告');
    expect(feed.items.map((i) => i.title)).toEqual([TITLE_FLOOD, `${TITLE_FOOD}（${GBK_ONLY_CHAR}）`]);
    expect(feed.items[0]!.guid).toBe('gov-2024-0601-1');
    expect(feed.items[0]!.summary).toBe('各区县人民政府：为切实做好防汛工作……');
    expect(feed.items[1]!.publishedAt).toBe(at('2024-06-02T16:00:00Z'));
  });

  it('when the text still says encoding="gb2312" or "big5" in its prolog, then the parser does not care', async () => {
    const gb = fixtureText('gb2312-prolog.xml');
    expect(gb).toContain('encoding="gb2312"');
    const gbFeed = await parseFeed(gb);
    expect(gbFeed.items[0]!.title).toBe(TITLE_FLOOD);
    expect(gbFeed.items[0]!.summary).toBe(`请各地严格落实防汛责任制。${GBK_ONLY_CHAR}`);

    const big5 = fixtureText('big5.xml');
    expect(big5).toContain('encoding="big5"');
    const big5Feed = await parseFeed(big5);
    expect(big5Feed.items[0]!.title).toBe(TITLE_FLOOD_BIG5);
    expect(big5Feed.items[0]!.summary).toBe(TITLE_FOOD_BIG5);
  });

  it('when the text still starts with a BOM, then it parses', async () => {
    const bytes = fixtureBytes('utf8-bom.xml');
    const feed = await parseFeed(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes));
    expect(feed.items[0]!.title).toBe(TITLE_FOOD);
    expect(feed.items[0]!.guid).toBe('http://www.example.gov.cn/zhengce/1.htm');
  });
});

describe('parseFeed: errors', () => {
  it('when the XML is not well formed, then malformed with the position', async () => {
    const err = await parseError(fixtureText('malformed.xml'));
    expect(err.code).toBe('malformed');
    expect(err.message).toBe('XML 格式错误：Unexpected close tag（第 6 行第 28 列）');
  });

  it('when the document is empty, then malformed', async () => {
    expect((await parseError('  \n')).code).toBe('malformed');
  });

  it('when an HTML page is served instead of a feed, then not_a_feed', async () => {
    const err = await parseError(fixtureText('page.html'));
    expect(err.code).toBe('not_a_feed');
    expect(err.message).toBe('内容不是 RSS/Atom 订阅源（看起来是 HTML 页面）');
  });

  it('when the page is XHTML behind an XML declaration, a comment or a BOM, then not_a_feed as HTML', async () => {
    for (const page of [
      '<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
      '\uFEFF  <!-- 404 --><HTML><body>找不到页面</body></HTML>',
      '<html xmlns="http://www.w3.org/1999/xhtml"/>',
    ]) {
      const err = await parseError(page);
      expect(err.code).toBe('not_a_feed');
      expect(err.message).toBe('内容不是 RSS/Atom 订阅源（看起来是 HTML 页面）');
    }
  });

  it('when well-formed XML is not a feed, or an <rss> has no channel, then not_a_feed naming what was found', async () => {
    const other = await parseError('<?xml version="1.0"?><sitemap><url/></sitemap>');
    expect(other.code).toBe('not_a_feed');
    expect(other.message).toBe('内容不是 RSS/Atom 订阅源（根元素为 <sitemap>）');
    const empty = await parseError('<rss version="2.0"></rss>');
    expect(empty.code).toBe('not_a_feed');
    expect(empty.message).toBe('内容不是 RSS/Atom 订阅源（<rss> 中缺少 <channel>）');
  });

  it('when the body is not XML at all (JSON, text), then not_a_feed', async () => {
    const err = await parseError('{"error":"forbidden"}');
    expect(err.code).toBe('not_a_feed');
  });

  it('when a bare & is in the text (an unescaped URL query), then malformed naming the & and where it is', async () => {
    const err = await parseError('<rss version="2.0"><channel>\n<item><title>a</title><link>http://x/a?b=1&c=2</link></item></channel></rss>');
    expect(err.code).toBe('malformed');
    expect(err.message).toBe('XML 格式错误：未转义的 & 字符（第 2 行第 43 列）');
  });

  it('when something follows the root element, then the feed is read and the rest ignored', async () => {
    const feed = await parseFeed(`${rss2({ items: [{ title: 'A' }] })}<stray/>text`);
    expect(feed.items.map((i) => i.title)).toEqual(['A']);
  });

  it('when a malformed document was parsed before, then the shared parser still parses the next one', async () => {
    await parseError(fixtureText('malformed.xml'));
    const [a, b] = await Promise.all([
      parseFeed(rss2({ items: [{ title: 'A' }] })),
      parseFeed(rss2({ items: [{ title: 'B' }, { title: 'C' }] })),
    ]);
    expect(a.items.map((i) => i.title)).toEqual(['A']);
    expect(b.items.map((i) => i.title)).toEqual(['B', 'C']);
  });
});

describe('parseFeed: fields', () => {
  it('when items have no date or a garbage one, then publishedAt is null; without a zone, Shanghai time', async () => {
    const feed = await parseFeed(
      rss2({
        items: [
          { title: 'none' },
          { title: 'zoneless', pubDate: '2024-06-01 10:00:00' },
          { title: 'iso zoneless', pubDate: '2024-06-01T10:00:00' },
          { title: 'garbage', pubDate: '二〇二四年六月一日' },
          { title: 'empty', pubDate: '  ' },
        ],
      }),
    );
    expect(feed.items.map((i) => [i.title, i.publishedAt])).toEqual([
      ['none', null],
      ['zoneless', at('2024-06-01T10:00:00+08:00')],
      ['iso zoneless', at('2024-06-01T10:00:00+08:00')],
      ['garbage', null],
      ['empty', null],
    ]);
  });

  it('when pubDate is unusable but dc:date is good, then dc:date is used', async () => {
    const feed = await parseFeed(
      rss2({
        items: [{ title: 'x', pubDate: 'unknown', extra: '<dc:date xmlns:dc="http://purl.org/dc/elements/1.1/">2024-06-01T10:00:00+08:00</dc:date>' }],
      }),
    );
    expect(feed.items[0]!.publishedAt).toBe(at('2024-06-01T10:00:00+08:00'));
  });

  it('when an item has no title, then the title is the first 80 characters of the summary, or (无标题)', async () => {
    const long = '为深入贯彻落实党中央、国务院关于防汛救灾工作的决策部署，'.repeat(5);
    const feed = await parseFeed(
      rss2({
        items: [
          { description: long, guid: 'g1' },
          { guid: 'g2' },
          { title: '  <b> </b> ', description: '<p>短摘要</p>', guid: 'g3' },
        ],
      }),
    );
    expect(feed.items[0]!.title).toBe(long.slice(0, 80));
    expect(feed.items[0]!.title).toHaveLength(80);
    expect(feed.items[1]!.title).toBe('(无标题)');
    expect(feed.items[1]!.summary).toBe('');
    expect(feed.items[2]!.title).toBe('短摘要');
  });

  it('when the description is long, then the summary is cut at 2000 characters', async () => {
    const feed = await parseFeed(rss2({ items: [{ title: 't', description: `<p>${'汛'.repeat(5000)}</p>` }] }));
    expect(feed.items[0]!.summary).toBe('汛'.repeat(2000));
  });

  it('when titles carry double-escaped or HTML entities, then they are decoded after the tags are stripped', async () => {
    const feed = await parseFeed(
      rss2({
        items: [
          { title: '&ldquo;防汛&rdquo;工作 &#x4E00;号 &lt;通知&gt;' },
          { title: 'raw', extra: '<description>a&nbsp;b &copy; 2024</description>' },
        ],
      }),
    );
    expect(feed.items[0]!.title).toBe('“防汛”工作 一号 <通知>');
    expect(feed.items[1]!.summary).toBe('a b © 2024');
  });

  it('when a guid or link uses an HTML entity XML does not define, then it is decoded as in titles; an unknown one is kept', async () => {
    const feed = await parseFeed(
      rss2({ items: [{ title: 'a', extra: '<guid>id&nbsp;1 &COPY; &nosuch;</guid><link>http://x/a?b=1&amp;c=2</link>' }] }),
    );
    expect(feed.items[0]!.guid).toBe('id\u00a01 © &nosuch;');
    expect(feed.items[0]!.link).toBe('http://x/a?b=1&c=2');
  });

  it('when a field holds markup rather than escaped HTML, then its text is read; only the first of each field counts', async () => {
    const feed = await parseFeed(
      rss2({
        items: [
          { extra: '<title>第一<br/>标题</title><title>第二</title><description><p>段一</p><p>段二 &amp; <b>粗</b></p></description>' },
          { title: 't', extra: '<summary><div>摘要</div></summary>' },
        ],
      }),
    );
    expect(feed.items[0]).toMatchObject({ title: '第一 标题', summary: '段一 段二 & 粗' });
    expect(feed.items[1]!.summary).toBe('摘要');
    const entry = await parseFeed(
      '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>urn:x</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">标<b>题</b></div></title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>正&lt;文</p></div></content></entry></feed>',
    );
    expect(entry.items[0]).toMatchObject({ guid: 'urn:x', title: '标题', summary: '正<文' });
  });

  it('when an item has no link but a URL guid, then the guid is the link; a relative link is resolved against baseUrl', async () => {
    const feed = await parseFeed(
      rss2({
        items: [
          { title: 'a', extra: '<guid>http://www.example.gov.cn/a.html</guid>' },
          { title: 'b', link: '/art/2024/6/1/b.html' },
          { title: 'c', guid: 'not-a-url' },
        ],
      }),
      'http://www.example.gov.cn/rss/feed.xml',
    );
    expect(feed.items.map((i) => [i.guid, i.link])).toEqual([
      ['http://www.example.gov.cn/a.html', 'http://www.example.gov.cn/a.html'],
      [null, 'http://www.example.gov.cn/art/2024/6/1/b.html'],
      ['not-a-url', null],
    ]);
  });
});

describe('parseFeedDate', () => {
  it('when a date carries an offset or a zone, then it is that instant', () => {
    expect(parseFeedDate('Sat, 01 Jun 2024 09:30:00 +0800')).toBe(at('2024-06-01T01:30:00Z'));
    expect(parseFeedDate('Sat, 01 Jun 2024 09:30:00 GMT')).toBe(at('2024-06-01T09:30:00Z'));
    expect(parseFeedDate('2024-06-01T09:30:00.5+08:00')).toBe(at('2024-06-01T01:30:00.5Z'));
    expect(parseFeedDate('2024-06-01 09:30:00 +0800')).toBe(at('2024-06-01T01:30:00Z'));
    expect(parseFeedDate('2024-06-01T09:30:00Z')).toBe(at('2024-06-01T09:30:00Z'));
  });

  it('when RSS’s usual RFC 822 form comes, then every part counts: offset sign and minutes, leap days, no seconds, no weekday', () => {
    expect(parseFeedDate('Thu, 29 Feb 2024 23:59:59 -0530')).toBe(at('2024-03-01T05:29:59Z'));
    expect(parseFeedDate('29 Feb 2024 08:00 +0800')).toBe(at('2024-02-29T00:00:00Z'));
    expect(parseFeedDate('1 Jan 2025 00:00 +0000')).toBe(at('2025-01-01T00:00:00Z'));
    expect(parseFeedDate('Sat, 31 Dec 2022 23:00:00 -1200')).toBe(at('2023-01-01T11:00:00Z'));
    expect(parseFeedDate('Sat, 01 Jun 2024 09:30:00 UT')).toBe(at('2024-06-01T09:30:00Z'));
    expect(parseFeedDate('Sat, 01 Jun 2024 09:30:00 UTC')).toBe(at('2024-06-01T09:30:00Z'));
    expect(parseFeedDate('Sat, 01 Jun 2024 09:30:00 Z')).toBe(at('2024-06-01T09:30:00Z'));
    // The weekday is not checked (feeds get it wrong), as Date.parse does not.
    expect(parseFeedDate('Mon, 01 Jun 2024 09:30:00 +0800')).toBe(at('2024-06-01T01:30:00Z'));
    // Spaces and case as feeds write them.
    expect(parseFeedDate('  Sat,  01 Jun 2024\n09:30:00   +0800 ')).toBe(at('2024-06-01T01:30:00Z'));
    expect(parseFeedDate('sat, 01 jun 2024 09:30:00 gmt')).toBe(at('2024-06-01T09:30:00Z'));
  });

  it('when a Chinese CMS prints CST, then it means China Standard Time, not US Central', () => {
    expect(parseFeedDate('Sat Jun 01 09:30:00 CST 2024')).toBe(at('2024-06-01T09:30:00+08:00'));
    expect(parseFeedDate('Sat, 01 Jun 2024 09:30:00 CST')).toBe(at('2024-06-01T09:30:00+08:00'));
  });

  it('when a date has no zone, then it is Shanghai time; unreadable, then null', () => {
    expect(parseFeedDate('2024-06-01')).toBe(at('2024-06-01T00:00:00+08:00'));
    expect(parseFeedDate('2024-02-30')).toBeNull();
    expect(parseFeedDate('2024-02-30 10:00')).toBeNull();
    expect(parseFeedDate('Sat, 01 Jun 2024 09:30:00')).toBe(at('2024-06-01T09:30:00+08:00'));
    expect(parseFeedDate('2024-06-01 09:30')).toBe(at('2024-06-01T09:30:00+08:00'));
    expect(parseFeedDate('2024/6/1 9:30:15')).toBe(at('2024-06-01T09:30:15+08:00'));
    expect(parseFeedDate('2024年6月1日')).toBe(at('2024-06-01T00:00:00+08:00'));
    expect(parseFeedDate('2024年6月1日 18:05')).toBe(at('2024-06-01T18:05:00+08:00'));
    expect(parseFeedDate('2024年13月1日')).toBeNull();
    expect(parseFeedDate('二〇二四年六月一日')).toBeNull();
    expect(parseFeedDate('Foo, 99 Bar 2024 99:99:99 +0800')).toBeNull();
    expect(parseFeedDate(null)).toBeNull();
    expect(parseFeedDate('')).toBeNull();
  });
});

describe('parseFeedDate: the usual RSS date read by position', () => {
  // `Fri, 20 Nov 2026 08:00:00 +0800` (31 characters) is read without a regex; with a space in
  // front (32 characters, trimmed) the same text goes the general way: both must agree, on dates
  // in range and out of it (which the general way hands to Date.parse), and on near misses.
  const two = (n: number) => String(n).padStart(2, '0');
  const canonical = fc
    .record({
      weekday: fc.constantFrom('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun', 'Fre', 'fri'),
      day: fc.integer({ min: 0, max: 39 }),
      month: fc.constantFrom('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Foo', 'nov'),
      year: fc.oneof(fc.integer({ min: 1960, max: 2200 }), fc.integer({ min: 0, max: 9999 })),
      hour: fc.integer({ min: 0, max: 29 }),
      minute: fc.integer({ min: 0, max: 69 }),
      second: fc.integer({ min: 0, max: 69 }),
      sign: fc.constantFrom('+', '-', ' ', '*'),
      offset: fc.integer({ min: 0, max: 1499 }),
      comma: fc.constantFrom(',', ',', ',', ' '),
      colon: fc.constantFrom(':', ':', ':', '.'),
    })
    .map(
      (d) =>
        `${d.weekday}${d.comma} ${two(d.day)} ${d.month} ${String(d.year).padStart(4, '0')} ${two(d.hour)}${d.colon}${two(d.minute)}:${two(d.second)} ${d.sign}${String(d.offset).padStart(4, '0')}`,
    );

  it('when a date has the usual form, then it reads as the general way reads it, in range or not', () => {
    fc.assert(
      fc.property(canonical, (s) => {
        expect(s).toHaveLength(31);
        expect(parseFeedDate(s)).toBe(parseFeedDate(` ${s}`));
      }),
      { numRuns: 3000, seed: 20261201 },
    );
    expect(parseFeedDate('Fri, 20 Nov 2026 08:00:00 +0800')).toBe(Date.parse('2026-11-20T00:00:00Z'));
    expect(parseFeedDate('Sun, 29 Feb 2026 08:00:00 +0800')).toBe(parseFeedDate(' Sun, 29 Feb 2026 08:00:00 +0800'));
  });
});
