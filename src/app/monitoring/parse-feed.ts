// Parses a decoded feed (RSS 2.0, RSS 1.0/RDF, Atom) into plain items with rss-parser's
// parseString (never its own fetching: see fetch-feed.ts). rss-parser handles RDF items and
// dc:date itself; what it gets wrong is worked around here:
// - its isoDate reads zone-less dates in the machine's time zone, so publishedAt is computed from
//   the raw date strings instead (with a zone as given, without one as Shanghai time, else null);
// - for Atom it runs `new Date(published).toISOString()` unguarded, so one bad date used to
//   reject the whole feed, and it reads `link.$.rel` unguarded, so `<link>text</link>` did too.
import Parser from 'rss-parser';
import { parseInstant } from '../../domain/time.js';

export interface ParsedItem {
  guid: string | null;
  link: string | null;
  title: string;
  summary: string;
  /** Epoch ms; null when absent or unparseable (a date without a zone is read as Shanghai time). */
  publishedAt: number | null;
}

export interface ParsedFeed {
  title: string | null;
  items: ParsedItem[];
}

export type FeedParseErrorCode = 'not_a_feed' | 'malformed';

export class FeedParseError extends Error {
  override readonly name = 'FeedParseError';

  constructor(
    readonly code: FeedParseErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

export const MAX_SUMMARY_CHARS = 2000;
export const TITLE_FROM_SUMMARY_CHARS = 80;
export const UNTITLED = '(无标题)';

// ---------------------------------------------------------------------------------------------
// rss-parser, once per module, with the Atom entry and feed builders made total.

type XmlNode = Record<string, unknown>;

interface ParserInternals {
  parseItemAtom?: (this: unknown, entry: XmlNode) => XmlNode;
  buildAtomFeed?: (this: unknown, xmlObj: XmlNode) => unknown;
}

/** Atom `<link>`s that rss-parser can read (an object with attributes); the text of a bare `<link>url</link>` aside. */
function splitAtomLinks(links: unknown): { usable: unknown[] | undefined; textLink: string | null } {
  if (!Array.isArray(links)) return { usable: undefined, textLink: null };
  const usable = links.filter((l) => isObject(l) && isObject(l.$));
  const textLink = links.map((l) => textOf(l)).find((t): t is string => !!t && t.trim() !== '') ?? null;
  return { usable: usable.length ? usable : undefined, textLink: usable.length ? null : textLink };
}

const parser = new Parser({ defaultRSS: 2 });
const internals = parser as unknown as ParserInternals;
const originalParseItemAtom = internals.parseItemAtom;
const originalBuildAtomFeed = internals.buildAtomFeed;
if (typeof originalParseItemAtom === 'function') {
  internals.parseItemAtom = function (this: unknown, entry: XmlNode): XmlNode {
    const safe: XmlNode = { ...entry };
    // Dates: keep the raw strings and let parseFeedDate read them; rss-parser must not see them.
    delete safe.published;
    delete safe.updated;
    const { usable, textLink } = splitAtomLinks(entry.link);
    if (usable) safe.link = usable;
    else delete safe.link;
    const item = originalParseItemAtom.call(this, safe);
    item.published = firstText(entry.published);
    item.updated = firstText(entry.updated);
    if (!item.link && textLink) item.link = textLink;
    return item;
  };
}
if (typeof originalBuildAtomFeed === 'function') {
  internals.buildAtomFeed = function (this: unknown, xmlObj: XmlNode): unknown {
    const feed = xmlObj.feed;
    if (isObject(feed) && feed.link !== undefined) {
      const { usable } = splitAtomLinks(feed.link);
      const copy: XmlNode = { ...feed };
      if (usable) copy.link = usable;
      else delete copy.link;
      return originalBuildAtomFeed.call(this, { ...xmlObj, feed: copy });
    }
    return originalBuildAtomFeed.call(this, xmlObj);
  };
}

// ---------------------------------------------------------------------------------------------

function isObject(v: unknown): v is XmlNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The text of an xml2js value: a string, or `{_: text, $: attributes}`. */
function textOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (isObject(v) && typeof v._ === 'string') return v._;
  return null;
}

function firstText(v: unknown): string | null {
  return textOf(Array.isArray(v) ? v[0] : v);
}

function nonEmpty(s: string | null | undefined): string | null {
  const t = s?.trim();
  return t ? t : null;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ensp: '\u2002', emsp: '\u2003',
  thinsp: '\u2009', ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', laquo: '«', raquo: '»',
  mdash: '—', ndash: '–', hellip: '…', middot: '·', bull: '•', copy: '©', reg: '®', trade: '™',
  times: '×', divide: '÷', yen: '¥', deg: '°', plusmn: '±', sect: '§', para: '¶',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[A-Za-z][A-Za-z0-9]{1,31});/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref] ?? NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

const BLOCK_TAG_RE =
  /<\/?(?:p|br|div|li|ul|ol|dl|dt|dd|tr|td|th|table|thead|tbody|h[1-6]|section|article|header|footer|blockquote|pre|hr|img)\b[^>]*>/gi;

/** Plain text of an HTML fragment: no script/style/comments, no tags, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  // Most feed titles and many summaries are plain text: no markup, no entities.
  if (!html.includes('<') && !html.includes('&')) return html.replace(/\s+/g, ' ').trim();
  return decodeEntities(
    html
      .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
      .replace(/<(script|style|noscript)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(BLOCK_TAG_RE, ' ')
      .replace(/<\/?[A-Za-z][^>]*>/g, ''),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

/** At most max UTF-16 units, never splitting a surrogate pair. */
function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut.trimEnd();
}

// A time followed by an offset or Z (ISO 8601 and friends), or a zone as a separate token
// (RFC 822 `+0800`/`GMT`, Java's `Mon Jan 01 10:00:00 CST 2024`).
const TRAILING_OFFSET_RE = /\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})$/i;
const ZONE_TOKEN_RE = /(?:^|\s)(?:GMT|UTC|UT|Z|[+-]\d{4}|(?:GMT|UTC)[+-]\d{1,2}(?::?\d{2})?|[ECMP][SD]T|CST)(?=\s|$)/i;

// Dates without a zone, as Chinese government CMSs commonly print them: 2024-06-01 10:00(:00),
// 2024/6/1 10:00, 2024年6月1日 10:00, and RFC 822 without its zone.
const LOCAL_DATE_RE =
  /^(\d{4})(?:[-/](\d{1,2})[-/](\d{1,2})|年(\d{1,2})月(\d{1,2})日)(?:[ T]?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const RFC822_WITHOUT_ZONE_RE = /^(?:[A-Za-z]{3},? )?\d{1,2} [A-Za-z]{3} \d{4} \d{1,2}:\d{2}(?::\d{2})?$/;

/**
 * Epoch ms of a feed date, or null. A date with an offset or zone is that instant; a bare
 * `YYYY-MM-DD` is 00:00 in Asia/Shanghai, as everywhere in this service; a date and time without
 * a zone is read as Shanghai time too — these feeds are Chinese sites, and reading it in the
 * machine's zone would make the answer depend on where the service runs. `CST` is China Standard
 * Time (+08:00): Chinese CMSs print Java's Date.toString(), which a JS engine would take for US
 * Central time.
 */
export function parseFeedDate(raw: string | null | undefined): number | null {
  const s = raw?.trim().replace(/\s+/g, ' ');
  if (!s) return null;
  const iso = parseInstant(s);
  if (iso !== null) return iso;
  const local = LOCAL_DATE_RE.exec(s);
  if (local) {
    const two = (v: string | undefined) => (v ?? '0').padStart(2, '0');
    const [month, day] = local[2] ? [local[2], local[3]] : [local[4], local[5]];
    return parseInstant(`${local[1]}-${two(month)}-${two(day)}T${two(local[6])}:${two(local[7])}:${two(local[8])}+08:00`);
  }
  if (RFC822_WITHOUT_ZONE_RE.test(s)) return parseFeedDate(`${s} +0800`);
  if (!TRAILING_OFFSET_RE.test(s) && !ZONE_TOKEN_RE.test(s)) return null;
  const ms = Date.parse(s.replace(/(^|\s)CST(?=\s|$)/i, '$1+0800'));
  return Number.isFinite(ms) ? ms : null;
}

function resolveLink(link: string | null, baseUrl: string | undefined): string | null {
  if (!link || !baseUrl) return link;
  try {
    return new URL(link, baseUrl).href;
  } catch {
    return link;
  }
}

function mapItem(raw: XmlNode, baseUrl: string | undefined): ParsedItem {
  const guid = nonEmpty(textOf(raw.guid)) ?? nonEmpty(textOf(raw.id)) ?? nonEmpty(textOf(raw['rdf:about']));
  let link = nonEmpty(textOf(raw.link));
  if (!link && guid && /^https?:\/\//i.test(guid)) link = guid;
  link = resolveLink(link, baseUrl);

  const body = [raw.content, raw.summary, raw['content:encoded']]
    .map((v) => htmlToText(textOf(v) ?? ''))
    .find((t) => t !== '');
  const summary = truncate(body ?? '', MAX_SUMMARY_CHARS);
  const title = htmlToText(textOf(raw.title) ?? '') || truncate(summary, TITLE_FROM_SUMMARY_CHARS) || UNTITLED;

  let publishedAt: number | null = null;
  for (const candidate of [raw.pubDate, raw.published, raw.date, raw.updated]) {
    publishedAt = parseFeedDate(textOf(candidate));
    if (publishedAt !== null) break;
  }
  return { guid, link, title, summary, publishedAt };
}

// ---------------------------------------------------------------------------------------------

const PROLOG_RE = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE\b[^>[]*(?:\[[\s\S]*?\])?\s*>)*/i;

function startAfterProlog(xml: string): string {
  const s = xml.replace(/^\uFEFF/, '');
  const prolog = PROLOG_RE.exec(s);
  return s.slice(prolog ? prolog[0].length : 0);
}

/** True for an HTML page: `<!doctype html`, or `<html` as the first element (after BOM, XML declaration, comments). */
export function looksLikeHtml(xml: string): boolean {
  const s = xml.replace(/^\uFEFF/, '');
  if (/^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*<!doctype\s+html\b/i.test(s)) return true;
  return /^<html[\s>]/i.test(startAfterProlog(s));
}

function rootElement(xml: string): string | null {
  return /^<([A-Za-z_][\w.:-]*)/.exec(startAfterProlog(xml))?.[1] ?? null;
}

const NOT_A_FEED_HTML = '内容不是 RSS/Atom 订阅源（看起来是 HTML 页面）';

/** sax reports `message\nLine: n\nColumn: m\nChar: c` with a 0-based line. */
function malformed(err: Error): FeedParseError {
  const m = /^([\s\S]*?)\nLine: (\d+)\nColumn: (\d+)/.exec(err.message);
  const detail = m ? `${m[1]!.trim()}（第 ${Number(m[2]) + 1} 行第 ${m[3]} 列）` : err.message;
  return new FeedParseError('malformed', `XML 格式错误：${detail}`, { cause: err });
}

/**
 * Parses RSS 2.0 (also without a version attribute), RSS 1.0/RDF and Atom. An HTML page or an
 * XML document that is not a feed → not_a_feed; XML that is not well formed → malformed.
 * A relative item link is resolved against baseUrl when one is given (the feed's final URL).
 */
export async function parseFeed(xml: string, baseUrl?: string): Promise<ParsedFeed> {
  if (looksLikeHtml(xml)) throw new FeedParseError('not_a_feed', NOT_A_FEED_HTML);
  const trimmed = xml.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new FeedParseError('malformed', 'XML 格式错误：文档为空');
  // JSON, plain text, an error message…: not even an attempt at XML.
  if (!trimmed.startsWith('<')) throw new FeedParseError('not_a_feed', '内容不是 RSS/Atom 订阅源（不是 XML 文档）');

  let output: Awaited<ReturnType<typeof parser.parseString>>;
  try {
    output = await parser.parseString(xml);
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    if (/\nLine: \d+\nColumn: \d+/.test(error.message) || error.message === 'Unable to parse XML.') throw malformed(error);
    // "Feed not recognized as RSS 1 or 2." or a missing <channel>: well-formed XML, but no feed.
    const root = rootElement(xml);
    if (root?.toLowerCase() === 'html') throw new FeedParseError('not_a_feed', NOT_A_FEED_HTML, { cause: error });
    const what =
      root === 'rss' || root === 'rdf:RDF' ? `<${root}> 中缺少 <channel>` : root ? `根元素为 <${root}>` : '没有 rss/feed 根元素';
    throw new FeedParseError('not_a_feed', `内容不是 RSS/Atom 订阅源（${what}）`, { cause: error });
  }

  const title = nonEmpty(htmlToText(textOf((output as XmlNode).title) ?? ''));
  const items = (output.items ?? []).map((raw) => mapItem(raw as unknown as XmlNode, baseUrl));
  return { title, items };
}
