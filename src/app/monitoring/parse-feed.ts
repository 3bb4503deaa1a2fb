// Parses a decoded feed (RSS 2.0 and 0.9x, RSS 1.0/RDF, Atom) into plain items, reading the XML
// with saxes (a strict, streaming XML 1.0 parser: well-formedness errors come with a position).
// The mapping is rss-parser's, which this module used until ingest had to be faster than its
// parse alone (SPEC §9): the same elements give the same fields, minus what rss-parser got wrong:
// - its isoDate reads zone-less dates in the machine's time zone, so publishedAt is computed from
//   the raw date strings (with a zone as given, without one as Shanghai time, else null);
// - for Atom it ran `new Date(published).toISOString()` unguarded, so one bad date rejected the
//   whole feed, and `link.$.rel` unguarded, so `<link>text</link>` did too.
import { decodeHTMLStrict } from 'entities';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
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

// RSS's usual form, RFC 822 with a numeric offset or GMT/UT/UTC/Z: `Fri, 20 Nov 2026 08:00:00 +0800`.
// Read directly (every item of most feeds has one); what it does not take goes to Date.parse.
const RFC822_RE = /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? (?:([+-])(\d{2})(\d{2})|GMT|UTC?|Z)$/;
const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysInMonth = (year: number, month: number) => (month === 1 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : MONTH_DAYS[month]!);

/** Epoch ms of an RFC 822 date with a zone, or null for any other form or a field out of range. */
function rfc822Instant(s: string): number | null {
  const m = RFC822_RE.exec(s);
  if (!m) return null;
  const year = Number(m[3]);
  const month = MONTHS[m[2]!]!;
  const day = Number(m[1]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const offsetHours = m[7] === undefined ? 0 : Number(m[8]);
  const offsetMinutes = m[7] === undefined ? 0 : Number(m[9]);
  if (year < 1000 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59 || offsetMinutes > 59) return null;
  const offset = (m[7] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return Date.UTC(year, month, day, hour, minute, second) - offset;
}

/** `Fri, 20 Nov 2026 08:00:00 +0800`: the form nearly every RSS item's date has. */
const CANONICAL_RFC822_LENGTH = 31;
const WEEKDAYS = new Set(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);

/** The digits of s[from..from+count) as a number, or -1 if any is not a digit. */
function digitsAt(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * rfc822Instant of a date exactly in the canonical form (`Www, DD Mmm YYYY HH:MM:SS ±hhmm`, 31
 * characters), read by position without a regex; null for anything else, or a field out of
 * range, which then goes the whole way (every item of most feeds has a date of this form).
 */
function canonicalRfc822Instant(s: string): number | null {
  if (s[3] !== ',' || s[4] !== ' ' || s[7] !== ' ' || s[11] !== ' ' || s[16] !== ' ' || s[19] !== ':' || s[22] !== ':' || s[25] !== ' ') return null;
  const sign = s[26];
  if ((sign !== '+' && sign !== '-') || !WEEKDAYS.has(s.slice(0, 3))) return null;
  const month = MONTHS[s.slice(8, 11)];
  const day = digitsAt(s, 5, 2);
  const year = digitsAt(s, 12, 4);
  const hour = digitsAt(s, 17, 2);
  const minute = digitsAt(s, 20, 2);
  const second = digitsAt(s, 23, 2);
  const offsetHours = digitsAt(s, 27, 2);
  const offsetMinutes = digitsAt(s, 29, 2);
  if (month === undefined || day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0 || offsetHours < 0 || offsetMinutes < 0) return null;
  if (year < 1000 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59 || offsetMinutes > 59) return null;
  const offset = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return Date.UTC(year, month, day, hour, minute, second) - offset;
}

/**
 * Epoch ms of a feed date, or null. A date with an offset or zone is that instant; a bare
 * `YYYY-MM-DD` is 00:00 in Asia/Shanghai, as everywhere in this service; a date and time without
 * a zone is read as Shanghai time too — these feeds are Chinese sites, and reading it in the
 * machine's zone would make the answer depend on where the service runs. `CST` is China Standard
 * Time (+08:00): Chinese CMSs print Java's Date.toString(), which a JS engine would take for US
 * Central time.
 */
export function parseFeedDate(raw: string | null | undefined): number | null {
  if (raw?.length === CANONICAL_RFC822_LENGTH) {
    const canonical = canonicalRfc822Instant(raw);
    if (canonical !== null) return canonical;
  }
  const s = raw?.trim().replace(/\s+/g, ' ');
  if (!s) return null;
  const rfc822 = rfc822Instant(s);
  if (rfc822 !== null) return rfc822;
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

/** The fields of one item (RSS `<item>`, Atom `<entry>`) as read from the XML: the text of each. */
interface RawItem {
  /** Text of the first child element of each name (a child with markup inside: that markup). */
  fields: Map<string, string>;
  /** RSS 1.0: the item's rdf:about attribute. */
  about: string | null;
  /** Atom: the `<link>` children with attributes, and the text of the first bare one. */
  links: { rel: string | undefined; href: string | undefined }[];
  textLink: string | null;
}

/** Atom's link: rel="alternate", else the first link with attributes, else a bare `<link>url</link>`. */
function atomLink(raw: RawItem): string | null {
  const alternate = raw.links.find((l) => l.rel === 'alternate') ?? raw.links[0];
  if (alternate) return alternate.href ?? null;
  return raw.textLink;
}

function mapItem(raw: RawItem, atomFormat: boolean, baseUrl: string | undefined): ParsedItem {
  const f = raw.fields;
  const guid = nonEmpty(atomFormat ? f.get('id') : f.get('guid')) ?? nonEmpty(raw.about);
  let link = nonEmpty(atomFormat ? atomLink(raw) : f.get('link'));
  if (!link && guid && /^https?:\/\//i.test(guid)) link = guid;
  link = resolveLink(link, baseUrl);

  // RSS: description, then content:encoded (and <summary>, which some feeds use); Atom: content, then summary.
  const bodies = atomFormat ? [f.get('content'), f.get('summary')] : [f.get('description'), f.get('summary'), f.get('content:encoded')];
  let body = '';
  for (const b of bodies) if (b && (body = htmlToText(b)) !== '') break;
  const summary = truncate(body, MAX_SUMMARY_CHARS);
  const title = htmlToText(f.get('title') ?? (atomFormat ? '' : (f.get('dc:title') ?? ''))) || truncate(summary, TITLE_FROM_SUMMARY_CHARS) || UNTITLED;

  let publishedAt: number | null = null;
  for (const candidate of atomFormat ? [f.get('published'), f.get('updated')] : [f.get('pubDate'), f.get('dc:date')]) {
    publishedAt = parseFeedDate(candidate);
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

const NOT_A_FEED_HTML = '内容不是 RSS/Atom 订阅源（看起来是 HTML 页面）';

/** saxes reports `line:column: message.` (1-based line). */
function malformed(err: Error): FeedParseError {
  const m = /^(?:[^:]*:)?(\d+):(\d+): ([\s\S]*?)\.?$/.exec(err.message);
  const detail = m ? `${m[3]!.charAt(0).toUpperCase()}${m[3]!.slice(1)}（第 ${m[1]} 行第 ${m[2]} 列）` : err.message;
  return new FeedParseError('malformed', `XML 格式错误：${detail}`, { cause: err });
}

// The elements read, by where they are: the child elements of an item (or entry) kept as text.
const RSS_FIELDS = new Set(['title', 'dc:title', 'link', 'guid', 'description', 'summary', 'content:encoded', 'pubDate', 'dc:date']);
const ATOM_FIELDS = new Set(['id', 'title', 'content', 'summary', 'published', 'updated']);

/**
 * The named entities the parser knows: XML's five and HTML's (&nbsp;, &copy;, &ldquo;…), as feeds
 * use them without declaring them; a name is tried as written, then in lower case. What the
 * parser does not know it keeps as written.
 */
const HTML_ENTITIES: Record<string, string> = new Proxy(Object.create(null) as Record<string, string>, {
  get(_target, name) {
    if (typeof name !== 'string') return undefined;
    for (const n of name === name.toLowerCase() ? [name] : [name, name.toLowerCase()]) {
      const ref = `&${n};`;
      const decoded = decodeHTMLStrict(ref);
      if (decoded !== ref) return decoded;
    }
    return undefined;
  },
});

const escapeMarkup = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Line and column (1-based) of the first & that starts no entity or character reference, outside CDATA and comments. */
export function bareAmpersand(xml: string): { line: number; column: number } | null {
  const re = /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)|&(?![A-Za-z_:][\w.:-]*;|#[0-9]+;|#x[0-9A-Fa-f]+;)/g;
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) {
    if (m[0] !== '&') continue;
    const before = xml.slice(0, m.index);
    const line = before.split('\n').length;
    return { line, column: m.index - before.lastIndexOf('\n') };
  }
  return null;
}

/**
 * Parses RSS 2.0 (also without a version attribute, and 0.9x), RSS 1.0/RDF and Atom. An HTML page
 * or an XML document that is not a feed → not_a_feed; XML that is not well formed → malformed.
 * A relative item link is resolved against baseUrl when one is given (the feed's final URL).
 *
 * One pass over the document: only the feed's title and each item's fields are kept. A field is
 * the text of an item's first child of that name; when that child holds markup (unescaped HTML
 * in a description, Atom's type="xhtml"), the markup as written, which htmlToText then reads.
 */
export async function parseFeed(xml: string, baseUrl?: string): Promise<ParsedFeed> {
  if (looksLikeHtml(xml)) throw new FeedParseError('not_a_feed', NOT_A_FEED_HTML);
  const text = xml.replace(/^\uFEFF/, '');
  const trimmed = text.trim();
  if (trimmed === '') throw new FeedParseError('malformed', 'XML 格式错误：文档为空');
  // JSON, plain text, an error message…: not even an attempt at XML.
  if (!trimmed.startsWith('<')) throw new FeedParseError('not_a_feed', '内容不是 RSS/Atom 订阅源（不是 XML 文档）');

  let root: string | null = null;
  let atomFormat = false;
  /** Open elements: their names, the root first. */
  const path: string[] = [];
  /** Depth (path length) of the element whose children are items: channel, rdf:RDF or feed; 0 when none. */
  let listDepth = 0;
  let channelSeen = false;
  /** Depth of the feed's own <title> (a child of channel, or of feed); 0 when none can follow. */
  let titleDepth = 0;
  let feedTitle: string | null = null;
  let titleText: string | null = null;
  let rdfChannelSeen = false;

  const items: RawItem[] = [];
  let item: RawItem | null = null;
  /** The field being read: its name, its text, its markup (once it holds an element), how deep inside it we are. */
  let field: string | null = null;
  let fieldText = '';
  let fieldMarkup: string | null = null;
  let fieldNesting = 0;
  let linkText: string | null = null;
  let error: Error | null = null;
  /** Whether the root element has ended: what follows it (a second root, stray text) is ignored. */
  let done = false;

  const parser = new SaxesParser<{ position: true; xmlns: false }>({ position: true, xmlns: false });
  parser.ENTITIES = HTML_ENTITIES;
  parser.on('error', (err) => {
    // An entity neither XML nor HTML defines: kept as written.
    if (done || /: undefined entity\.?$/.test(err.message)) return;
    error ??= err;
    throw err;
  });
  const onText = (t: string) => {
    if (done) return;
    if (field !== null) {
      fieldText += t;
      if (fieldMarkup !== null) fieldMarkup += escapeMarkup(t);
    } else if (linkText !== null) linkText += t;
    else if (titleText !== null) titleText += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = tag.name;
    path.push(name);
    if (done) return;
    const depth = path.length;
    if (field !== null) {
      fieldNesting++;
      let open = `<${name}`;
      for (const [k, v] of Object.entries(tag.attributes)) open += ` ${k}="${escapeMarkup(v).replace(/"/g, '&quot;')}"`;
      fieldMarkup = (fieldMarkup ?? escapeMarkup(fieldText)) + open + '>';
      return;
    }
    if (depth === 1) {
      root = name;
      atomFormat = name === 'feed';
      if (atomFormat || name === 'rdf:RDF') listDepth = 1;
      if (atomFormat) titleDepth = 2;
      return;
    }
    if (item !== null) {
      if (depth !== listDepth + 2) return;
      if (atomFormat && name === 'link') {
        const { rel, href } = tag.attributes;
        if (Object.keys(tag.attributes).length > 0) item.links.push({ rel, href });
        else if (item.textLink === null) linkText = '';
        return;
      }
      if ((atomFormat ? ATOM_FIELDS : RSS_FIELDS).has(name) && !item.fields.has(name)) {
        field = name;
        fieldText = '';
        fieldMarkup = null;
        fieldNesting = 0;
      }
      return;
    }
    if (root === 'rss' && depth === 2 && name === 'channel' && !channelSeen) {
      channelSeen = true;
      listDepth = 2;
      titleDepth = 3;
      return;
    }
    if (root === 'rdf:RDF' && depth === 2 && name === 'channel' && !rdfChannelSeen) {
      rdfChannelSeen = true;
      titleDepth = 3;
      return;
    }
    if (depth === listDepth + 1 && listDepth !== 0 && path[listDepth - 1] === (root === 'rss' ? 'channel' : root) && name === (atomFormat ? 'entry' : 'item')) {
      item = { fields: new Map(), about: tag.attributes['rdf:about'] ?? null, links: [], textLink: null };
      return;
    }
    if (depth === titleDepth && feedTitle === null && titleText === null && name === 'title') titleText = '';
  });
  parser.on('closetag', (tag: SaxesTagPlain) => {
    const depth = path.length;
    path.pop();
    if (done) return;
    if (depth === 1) done = true;
    if (field !== null) {
      if (fieldNesting > 0) {
        fieldNesting--;
        fieldMarkup += `</${tag.name}>`;
        return;
      }
      item!.fields.set(field, fieldMarkup ?? fieldText);
      field = null;
      return;
    }
    if (linkText !== null) {
      if (linkText.trim() !== '') item!.textLink = linkText;
      linkText = null;
      return;
    }
    if (item !== null && depth === listDepth + 1) {
      items.push(item);
      item = null;
      return;
    }
    if (titleText !== null && depth === titleDepth) {
      feedTitle = titleText;
      titleText = null;
    }
    if (depth === 2 && tag.name === 'channel') {
      // Items and the title are read from the first channel only.
      if (root === 'rss') listDepth = -1;
      titleDepth = 0;
    }
  });

  try {
    parser.write(text).close();
  } catch (err) {
    // A bare & (an unescaped URL query in a <link>) makes the parser read the rest of the
    // document as one entity name and report the end: name the & instead.
    const amp = /unclosed tag|entity name|unexpected end/i.test((error as Error | null)?.message ?? '') ? bareAmpersand(text) : null;
    if (amp) throw new FeedParseError('malformed', `XML 格式错误：未转义的 & 字符（第 ${amp.line} 行第 ${amp.column} 列）`, { cause: error ?? err });
    throw malformed(error ?? (err instanceof Error ? err : new Error(String(err))));
  }

  if (root === null) throw new FeedParseError('not_a_feed', '内容不是 RSS/Atom 订阅源（没有 rss/feed 根元素）');
  const rootName: string = root;
  if (rootName.toLowerCase() === 'html') throw new FeedParseError('not_a_feed', NOT_A_FEED_HTML);
  if (rootName !== 'rss' && rootName !== 'rdf:RDF' && rootName !== 'feed') throw new FeedParseError('not_a_feed', `内容不是 RSS/Atom 订阅源（根元素为 <${rootName}>）`);
  if ((rootName === 'rss' && !channelSeen) || (rootName === 'rdf:RDF' && !rdfChannelSeen)) {
    throw new FeedParseError('not_a_feed', `内容不是 RSS/Atom 订阅源（<${rootName}> 中缺少 <channel>）`);
  }
  return { title: nonEmpty(htmlToText(feedTitle ?? '')), items: items.map((raw) => mapItem(raw, atomFormat, baseUrl)) };
}
