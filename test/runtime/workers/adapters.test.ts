import { describe, expect, it } from 'vitest';
import { UnsafeUrlError } from '../../../src/app/security/addresses.js';
import { segmenterKeywords, userDictionaryWords } from '../../../src/runtime/workers/keywords.js';
import { workersUrlGuard } from '../../../src/runtime/workers/url-guard.js';

// The Workers adapters that are plain JavaScript run here too (Node has Intl.Segmenter with full
// ICU); the D1 adapter and the entry are exercised by test/contract/workers.test.ts under workerd.

describe('segmenterKeywords (hot words on Workers)', () => {
  const text = '某小区化粪池溢出，居民反映化粪池污水横流。街道表示将召开新闻发布会，发布政策解读。化粪池';

  it('ranks the most frequent words first and keeps user-dictionary terms whole', () => {
    const words = segmenterKeywords(['政策解读', '新闻发布会']).extract(text, 5).map((w) => w.word);
    expect(words[0]).toBe('化粪池');
    expect(words).toEqual(expect.arrayContaining(['政策解读', '新闻发布会']));
  });

  it('drops single characters, numbers, punctuation and stop words, and honours topN', () => {
    const got = segmenterKeywords().extract('我们表示 2026 年 的 的 的 —— 防汛 防汛 工作', 10).map((w) => w.word);
    expect(got).toEqual(['防汛']);
    expect(segmenterKeywords().extract(text, 2)).toHaveLength(2);
    expect(segmenterKeywords().extract('   ', 5)).toEqual([]);
  });

  it('drops placeholders of anonymised reports and counts', () => {
    const got = segmenterKeywords().extract('某市 某市 某市 数十名 数十名 3人 3人 防汛 防汛', 10).map((w) => w.word);
    expect(got).toEqual(['防汛']);
  });

  it('reads the words of a jieba user dictionary', () => {
    expect(userDictionaryWords('政策解读 100 n\n舆情 100 n\n\n单\r\n回应关切\n')).toEqual(['政策解读', '舆情', '回应关切']);
  });
});

describe('workersUrlGuard (feed URLs on Workers, without DNS)', () => {
  const refuse = (url: string, allowPrivate = false) => expect(workersUrlGuard({ allowPrivate })(url)).rejects.toBeInstanceOf(UnsafeUrlError);

  it('refuses private IP literals, local names and other schemes', async () => {
    await refuse('http://127.0.0.1/feed.xml');
    await refuse('http://169.254.169.254/latest/meta-data');
    await refuse('http://[::1]/feed');
    await refuse('http://localhost:8080/feed');
    await refuse('http://printer.local/feed');
    await refuse('http://db.internal/feed');
    await refuse('file:///etc/passwd');
    await refuse('ftp://example.gov.cn/feed', true);
  });

  it('lets public addresses through, and private ones only with ALLOW_PRIVATE_FEEDS', async () => {
    await expect(workersUrlGuard({ allowPrivate: false })('https://www.gov.cn/rss.xml')).resolves.toBeUndefined();
    await expect(workersUrlGuard({ allowPrivate: true })('http://127.0.0.1:8080/feed.xml')).resolves.toBeUndefined();
  });
});
