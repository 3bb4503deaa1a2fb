import { describe, expect, it } from 'vitest';
import { fnv1a64, itemIdentity, type ItemForIdentity } from '../../../src/domain/monitoring/identity.js';

function item(over: Partial<ItemForIdentity>): ItemForIdentity {
  return { guid: null, link: null, title: '某市召开食品安全工作会议', publishedAt: 1_763_600_000_000, ...over };
}

describe('fnv1a64', () => {
  // The published FNV-1a 64 test vectors (ASCII: one UTF-16 code unit per byte), and values computed
  // independently over UTF-16 code units for the rest.
  it.each([
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
    ['食品安全', '2aca88c34d97489c'], // not 5cf03a4e5740ca11, its value over UTF-8 bytes
    ['😀', 'e5e45a0a241b88d8'], // a surrogate pair: two code units
  ])('when hashing %j, then it is %s', (text, expected) => {
    expect(fnv1a64(text)).toBe(expected);
  });

  it('when the hash is small, then it is padded with zeros to 16 hex digits', () => {
    expect(fnv1a64('item 15800')).toBe('005ea7ec94dcdf34');
  });
});

describe('itemIdentity (SPEC §5: guid, else link, else a hash of title and date)', () => {
  it('when the item has a guid, then the guid is its identity, trimmed, whatever its link and title', () => {
    expect(itemIdentity(item({ guid: 'urn:gov:2025:0042', link: 'https://www.example.gov.cn/a.html' }))).toBe('guid:urn:gov:2025:0042');
    expect(itemIdentity(item({ guid: ' \n urn:gov:2025:0042\t ', title: '另一个标题' }))).toBe('guid:urn:gov:2025:0042');
  });

  it('when the guid is missing, empty or only whitespace, then the link is the identity, trimmed', () => {
    const link = 'https://www.example.gov.cn/zwgk/2025/a.html';
    expect(itemIdentity(item({ link }))).toBe(`link:${link}`);
    expect(itemIdentity(item({ guid: '', link }))).toBe(`link:${link}`);
    expect(itemIdentity(item({ guid: ' \t\n', link: `  ${link} \n` }))).toBe(`link:${link}`);
  });

  it('when neither guid nor link is usable, then it is the hash of the normalised title and the publication time', () => {
    const expected = `hash:${fnv1a64('某市召开食品安全工作会议\n1763600000000')}`;
    expect(itemIdentity(item({}))).toBe(expected);
    expect(itemIdentity(item({ guid: ' ', link: '  ' }))).toBe(expected);
    expect(expected).toMatch(/^hash:[0-9a-f]{16}$/);
  });

  it('when the title differs only in width, case or spacing, then the hash is the same', () => {
    const a = itemIdentity(item({ title: 'COVID-19 疫情 通报', publishedAt: null }));
    expect(itemIdentity(item({ title: '  ｃｏｖｉｄ－１９  疫情\n通报 ', publishedAt: null }))).toBe(a);
    expect(a).toBe(`hash:${fnv1a64('covid-19 疫情 通报\n')}`);
  });

  it('when the title or the publication time differs, then the hash differs; no time is not the epoch', () => {
    const base = itemIdentity(item({}));
    expect(itemIdentity(item({ title: '某市召开食品安全工作会议（二）' }))).not.toBe(base);
    expect(itemIdentity(item({ publishedAt: 1_763_600_000_001 }))).not.toBe(base);
    expect(itemIdentity(item({ publishedAt: null }))).not.toBe(itemIdentity(item({ publishedAt: 0 })));
    expect(itemIdentity(item({ publishedAt: 0 }))).toBe(`hash:${fnv1a64('某市召开食品安全工作会议\n0')}`);
  });
});
