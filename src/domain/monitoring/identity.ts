import { normalizeText } from './normalize.js';

export interface ItemForIdentity {
  guid: string | null;
  link: string | null;
  title: string;
  publishedAt: number | null;
}

/** SPEC §5: an item is its feed plus guid, else link, else a hash of title and date. */
export function itemIdentity(item: ItemForIdentity): string {
  const guid = item.guid?.trim();
  if (guid) return `guid:${guid}`;
  const link = item.link?.trim();
  if (link) return `link:${link}`;
  return `hash:${fnv1a64(`${normalizeText(item.title)}\n${item.publishedAt ?? ''}`)}`;
}

/** 64-bit FNV-1a over UTF-16 code units, as 16 hex digits: stable, synchronous, portable. */
export function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
