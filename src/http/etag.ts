import { z } from '@hono/zod-openapi';
import { ErrorSchema, jsonResponse } from './schemas.js';

// Versions of what can be edited (documents, incidents, the annual report's hand-entered rows), as HTTP entity tags: a GET and a PATCH
// answer `ETag: "<updatedAt in ms>"`; a PATCH with `If-Match` is refused (412) unless the record
// is still at one of the versions it names, so that an edit based on an old read cannot write over
// a change made since. Without If-Match (or with `*`), a PATCH goes through as before.

/** The entity tag of a record last changed at `updatedAt` (ISO 8601, as views give it). */
export const etagOf = (updatedAt: string) => versionTag(Date.parse(updatedAt));

/** The entity tag of a version (updatedAt in ms). */
export const versionTag = (version: number) => `"${version}"`;

/**
 * The versions an If-Match header names, or undefined when there is none or it is `*`. A tag that
 * is not one of ours (weak, or not a version) names none: the PATCH is then refused, as the
 * strong comparison If-Match calls for (RFC 9110 §13.1.1).
 */
export function ifMatchVersions(header: string | undefined): number[] | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const versions: number[] = [];
  for (const tag of header.split(',')) {
    const m = /^\s*"(\d{1,16})"\s*$/.exec(tag);
    if (m) versions.push(Number(m[1]));
  }
  return versions;
}

/** The request header of an editing PATCH, as OpenAPI shows it. */
export const IfMatchHeader = z.object({
  'if-match': z
    .string()
    .optional()
    .openapi({ description: '可选：读取时响应头 ETag 的值；若记录此后已被修改，则拒绝修改（412），以免覆盖他人的修改', example: '"1795651200000"' }),
});

/** The 412 answer of an editing PATCH. */
export const preconditionFailed = { 412: jsonResponse(ErrorSchema, '记录在读取（If-Match 所示版本）之后已被修改，未作更改') };

/** The 200 answer's ETag header, as OpenAPI shows it. */
export const etagHeader = { ETag: { schema: { type: 'string' as const }, description: '记录的当前版本，修改时可作为 If-Match 提交' } };
