import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TOKEN, type TestApp } from './app.js';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file of test/fixtures/import. */
export const importFixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url)));

/** UTF-8 bytes, with a BOM or not; lines joined with CRLF as Excel writes them. */
export function csvBytes(lines: string[], bom = true): Uint8Array {
  return new TextEncoder().encode(`${bom ? '\ufeff' : ''}${lines.join('\r\n')}\r\n`);
}

export interface UploadOptions {
  kind?: string;
  dryRun?: boolean | string;
  contentType?: string | null;
  token?: string;
  query?: string;
}

/** POST /api/imports with the file as the body. */
export async function upload(t: TestApp, body: Uint8Array | string | FormData | ReadableStream | null, options: UploadOptions = {}) {
  const query =
    options.query ??
    [`kind=${options.kind ?? 'documents'}`, options.dryRun === undefined ? '' : `dryRun=${options.dryRun === true ? '1' : options.dryRun === false ? '0' : options.dryRun}`]
      .filter(Boolean)
      .join('&');
  const headers: Record<string, string> = { Authorization: `Bearer ${options.token ?? TOKEN}` };
  if (options.contentType !== null && !(body instanceof FormData)) headers['Content-Type'] = options.contentType ?? 'text/csv';
  const res = await t.app.request(`/api/imports?${query}`, {
    method: 'POST',
    headers,
    body: body as RequestInit['body'],
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** The job once it has finished (polling as a client would). */
export async function finished(t: TestApp, id: number, token = TOKEN) {
  for (let i = 0; i < 2000; i++) {
    const res = await t.app.request(`/api/imports/${id}`, { headers: { Authorization: `Bearer ${token}` } });
    const job = (await res.json()) as any;
    if (res.status !== 200) throw new Error(`GET /api/imports/${id}: ${res.status} ${JSON.stringify(job)}`);
    if (job.status !== 'running') return job;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`import ${id} did not finish`);
}

/** Uploads and waits for the job: the finished job, or the refusal. */
export async function importFile(t: TestApp, body: Uint8Array | string | FormData, options: UploadOptions = {}) {
  const res = await upload(t, body, options);
  if (res.status !== 202) throw new Error(`upload refused: ${res.status} ${JSON.stringify(res.body)}`);
  return finished(t, res.body.id, options.token);
}
