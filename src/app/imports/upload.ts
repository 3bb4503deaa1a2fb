import { CsvError, parse as csvStream } from 'csv-parse/stream';
import { defaultIsFile, make as multipartParser, type PartInfo } from 'multipasta';
import type { Cell } from '../../domain/imports/cells.js';
import { readXlsx } from './xlsx.js';

// An uploaded spreadsheet, read into rows (SPEC §11): the raw body (text/csv, the XLSX type) or
// the `file` field of a multipart form. The body is read as it arrives and counted: past the
// limit the upload stops with a 413, and a declared Content-Length over it is refused before a
// byte is read. CSV streams through the decoder and csv-parse, so only the parsed rows are kept;
// an XLSX is a zip whose directory sits at its end, so it is read whole, under a lower limit.

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
export const MAX_XLSX_BYTES = 10 * 1024 * 1024;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV_TYPES = new Set(['text/csv', 'application/csv', 'text/comma-separated-values', 'text/plain']);
// Types browsers and tools send for either kind of file: the bytes decide.
const SNIFFED_TYPES = new Set(['application/octet-stream', 'application/vnd.ms-excel', '']);

/** A file that cannot be imported at all: said next to the file field, or as the API's 4xx. */
export class UploadError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const tooLarge = (limit: number, what = '上传的文件') =>
  new UploadError(413, 'payload_too_large', `${what}超过 ${limit / 1024 / 1024} MB 上限${limit === MAX_XLSX_BYTES ? '：XLSX 需整体读入内存，较大的表格请在 Excel 中“另存为 CSV UTF-8”后导入（CSV 可达 50 MB）' : '，请拆分后分批导入'}`);

export interface SheetRow {
  /** The row number as the spreadsheet shows it (the header is row 1). */
  row: number;
  cells: Cell[];
}

export interface Sheet {
  format: 'csv' | 'xlsx';
  /** The encoding a CSV was read in (utf-8, gb18030, utf-16le …); null for XLSX. */
  encoding: string | null;
  fileName: string | null;
  header: Cell[];
  /** Data rows, blank rows left out (their numbers are skipped). */
  rows: SheetRow[];
}

export interface Upload {
  /** Text fields of a multipart form that came before the file (the page sends kind there). */
  fields: Record<string, string>;
  sheet: Sheet;
}

export function mediaTypeOf(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Reads a request's uploaded spreadsheet, or throws an UploadError saying what is wrong with it. */
export async function readUpload(request: Request, limit = MAX_UPLOAD_BYTES): Promise<Upload> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit, '请求体');
  const type = mediaTypeOf(request.headers.get('content-type'));
  if (type !== 'multipart/form-data' && type !== XLSX_TYPE && !CSV_TYPES.has(type) && !SNIFFED_TYPES.has(type)) {
    throw new UploadError(415, 'unsupported_media_type', `不支持的内容类型 ${type}：请上传 CSV（text/csv）或 XLSX（${XLSX_TYPE}）文件，或以 multipart/form-data 的 file 字段上传`);
  }
  if (!request.body) throw emptyFile();
  const body = counted(request.body, limit);
  if (type === 'multipart/form-data') {
    const { fields, file } = await openMultipart(body, request.headers);
    if (!file) throw new UploadError(400, 'missing_file', '表单中没有文件：请在 file 字段中选择要导入的 CSV 或 XLSX 文件');
    const format = formatByName(file.fileName) ?? formatByType(file.contentType);
    return { fields, sheet: await readSheet(file.chunks, format, file.fileName) };
  }
  return { fields: {}, sheet: await readSheet(body, type === XLSX_TYPE ? 'xlsx' : CSV_TYPES.has(type) ? 'csv' : null, null) };
}

const emptyFile = () => new UploadError(400, 'empty_file', '文件是空的：请选择要导入的 CSV 或 XLSX 文件');

/** The body's chunks, stopping with a 413 once more than `limit` bytes have come. */
async function* counted(stream: ReadableStream<Uint8Array>, limit: number): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
      if (total > limit) throw tooLarge(limit);
      yield value;
    }
  } finally {
    // Stops the upload where it is rather than reading the rest.
    reader.cancel().catch(() => undefined);
  }
}

function formatByName(name: string | null): 'csv' | 'xlsx' | null {
  const ext = /\.([a-z0-9]+)$/i.exec(name ?? '')?.[1]?.toLowerCase();
  if (ext === 'xlsx') return 'xlsx';
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'xls' || ext === 'et' || ext === 'numbers' || ext === 'ods') {
    throw new UploadError(415, 'unsupported_format', `不支持 .${ext} 文件：请在表格软件中另存为 .xlsx 或 CSV 后导入`);
  }
  return null;
}

function formatByType(type: string): 'csv' | 'xlsx' | null {
  const media = mediaTypeOf(type);
  return media === XLSX_TYPE ? 'xlsx' : CSV_TYPES.has(media) ? 'csv' : null;
}

interface MultipartFile {
  fileName: string | null;
  contentType: string;
  chunks: AsyncGenerator<Uint8Array>;
}

/**
 * Reads a multipart body up to the start of its `file` part; the file's bytes then come from
 * `chunks` as the body arrives, one body chunk at a time (so the upload is never held whole).
 * Fields after the file are not read. Other files in the form are skipped.
 */
async function openMultipart(body: AsyncGenerator<Uint8Array>, headers: Headers): Promise<{ fields: Record<string, string>; file: MultipartFile | null }> {
  const fields: Record<string, string> = {};
  let file: { info: PartInfo } | null = null;
  let pending: Uint8Array[] = [];
  let fileEnded = false;
  let failure: string | null = null;
  let finished = false;
  const decoder = new TextDecoder();
  const parser = multipartParser({
    headers: Object.fromEntries(headers),
    maxParts: 50,
    maxFieldSize: 64 * 1024,
    isFile: (info) => partName(info) === 'file' || defaultIsFile(info),
    onField(info, value) {
      if (!file) fields[partName(info)] = decoder.decode(value);
    },
    onFile(info) {
      if (file || partName(info) !== 'file') return () => undefined;
      file = { info };
      return (chunk) => {
        if (chunk === null) fileEnded = true;
        else pending.push(chunk);
      };
    },
    onError(error) {
      failure ??= error._tag === 'ReachedLimit' ? `表单字段过多或过大（${error.limit}）` : error._tag === 'InvalidBoundary' ? '缺少 boundary 参数' : '格式不完整或已损坏';
    },
    onDone() {
      finished = true;
    },
  });
  const fail = () => new UploadError(400, 'invalid_multipart', `multipart/form-data 请求体无法解析：${failure}`);
  if (failure) throw fail();
  // Read until the file part has begun (or the body ends).
  while (!file && !finished) {
    const next = await body.next();
    if (next.done) {
      parser.end();
      break;
    }
    parser.write(next.value);
    if (failure) throw fail();
  }
  if (failure) throw fail();
  const opened = file as { info: PartInfo } | null;
  if (!opened) return { fields, file: null };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (pending.length > 0) {
        const ready = pending;
        pending = [];
        yield* ready;
      }
      if (fileEnded) return;
      const next = await body.next();
      if (next.done) {
        parser.end();
        if (failure) throw fail();
        if (!fileEnded) throw new UploadError(400, 'invalid_multipart', 'multipart/form-data 请求体不完整：文件部分没有结束');
      } else {
        parser.write(next.value);
        if (failure) throw fail();
      }
    }
  }
  return { fields, file: { fileName: partParameter(opened.info, 'filename') ?? null, contentType: opened.info.contentType, chunks: chunks() } };
}

// multipasta leaves name and filename empty when the filename has non-ASCII characters, as
// browsers send Chinese file names (raw UTF-8, RFC 7578 §4.2): read them from the header then.
function partParameter(info: PartInfo, key: 'name' | 'filename'): string | undefined {
  const parsed = key === 'name' ? info.name : info.filename;
  if (parsed) return parsed;
  const raw = info.headers['content-disposition'];
  const disposition = Array.isArray(raw) ? raw[0]! : (raw ?? '');
  const m = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(disposition) ?? new RegExp(`;\\s*${key}=([^;\\s]+)`, 'i').exec(disposition);
  return m ? m[1]!.replace(/\\(.)/g, '$1') : undefined;
}

const partName = (info: PartInfo) => partParameter(info, 'name') ?? '';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** Reads the file's bytes as CSV or XLSX; `format` null means: tell by the first bytes. */
async function readSheet(chunks: AsyncGenerator<Uint8Array>, format: 'csv' | 'xlsx' | null, fileName: string | null): Promise<Sheet> {
  // The first bytes tell a zip (XLSX) from text, whatever the request said.
  let first = await chunks.next();
  while (!first.done && first.value.byteLength === 0) first = await chunks.next();
  if (first.done) throw emptyFile();
  const head = first.value;
  if (startsWith(head, OLE_MAGIC)) throw new UploadError(415, 'unsupported_format', '这是旧版 Excel（.xls）文件，不能直接导入：请在 Excel 中另存为 .xlsx 或 CSV 后导入');
  const isZip = startsWith(head, ZIP_MAGIC);
  if (format === 'xlsx' && !isZip) throw new UploadError(400, 'invalid_xlsx', 'XLSX 文件已损坏或不是 XLSX 格式，无法读取：请在 Excel 中重新另存为 .xlsx 后导入');
  async function* all(): AsyncGenerator<Uint8Array> {
    yield head;
    yield* chunks;
  }
  if (format === 'xlsx' || (format === null && isZip)) return { ...(await readXlsxUpload(all())), fileName };
  if (isZip) throw new UploadError(400, 'invalid_csv', '文件是压缩包（可能是 XLSX），不是 CSV 文本：请以 XLSX 格式上传，或在 Excel 中另存为 CSV');
  return { ...(await readCsv(all())), fileName };
}

async function readXlsxUpload(chunks: AsyncGenerator<Uint8Array>): Promise<Omit<Sheet, 'fileName'>> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > MAX_XLSX_BYTES) throw tooLarge(MAX_XLSX_BYTES, 'XLSX 文件');
    parts.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.byteLength;
  }
  parts.length = 0;
  const rows = await readXlsx(bytes).catch((err: unknown) => {
    throw err instanceof UploadError ? err : new UploadError(400, 'invalid_xlsx', 'XLSX 文件已损坏或不是 XLSX 格式，无法读取：请在 Excel 中重新另存为 .xlsx 后导入');
  });
  return sheetOf('xlsx', null, rows);
}

/** The first non-blank row is the header, the rest data; blank rows are dropped, numbers kept. */
function sheetOf(format: 'csv' | 'xlsx', encoding: string | null, numbered: Iterable<SheetRow>): Omit<Sheet, 'fileName'> {
  let header: Cell[] | null = null;
  const rows: SheetRow[] = [];
  for (const r of numbered) {
    if (isBlank(r.cells)) continue;
    if (header === null) header = r.cells;
    else rows.push(r);
  }
  if (header === null) throw emptyFile();
  if (rows.length === 0) throw new UploadError(400, 'no_rows', '文件只有表头，没有数据行');
  return { format, encoding, header, rows };
}

function isBlank(cells: Cell[]): boolean {
  return cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));
}

// --- CSV --------------------------------------------------------------------------------------

const UTF8_BOM = [0xef, 0xbb, 0xbf];
type Decoder = InstanceType<typeof TextDecoder>;
/** Non-ASCII bytes looked at before deciding between UTF-8 and GB18030. */
const SNIFF_BYTES = 4096;

/**
 * Decodes CSV bytes to UTF-8 bytes for csv-parse: a BOM decides (UTF-8, UTF-16); else the bytes
 * are UTF-8 if the first non-ASCII ones decode strictly as UTF-8, else GB18030 (a superset of GBK
 * and GB2312, what Excel on Chinese Windows saves as "CSV"). ASCII before the first non-ASCII byte
 * reads the same either way, so it passes on at once. `encoding` is set once decided.
 */
async function* utf8Of(chunks: AsyncIterable<Uint8Array>, found: { encoding: string | null }): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let transcode: Decoder | null = null; // set for encodings other than UTF-8
  let validate: Decoder | null = null; // set once UTF-8 is decided: checks the rest strictly
  let held: Uint8Array[] = [];
  let heldNonAscii = 0;
  let started = false;

  function decide(): Uint8Array[] {
    const bytes = concat(held);
    held = [];
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
      found.encoding = 'utf-8';
      validate = new TextDecoder('utf-8', { fatal: true });
    } catch {
      found.encoding = 'gb18030';
      transcode = new TextDecoder('gb18030');
    }
    return [pass(bytes)];
  }
  function pass(bytes: Uint8Array): Uint8Array {
    if (transcode) return encoder.encode(transcode.decode(bytes, { stream: true }));
    if (validate) {
      try {
        validate.decode(bytes, { stream: true });
      } catch {
        throw undecodable();
      }
    }
    return bytes;
  }

  for await (let chunk of chunks) {
    if (!started) {
      started = true;
      if (startsWith(chunk, UTF8_BOM)) {
        // Declared UTF-8 ("CSV UTF-8" in Excel): taken at its word, as csv-parse decodes it.
        found.encoding = 'utf-8';
        chunk = chunk.subarray(3);
      } else if (chunk[0] === 0xff && chunk[1] === 0xfe) {
        found.encoding = 'utf-16le';
        transcode = new TextDecoder('utf-16le');
      } else if (chunk[0] === 0xfe && chunk[1] === 0xff) {
        found.encoding = 'utf-16be';
        transcode = new TextDecoder('utf-16be');
      }
    }
    if (found.encoding !== null) {
      yield pass(chunk);
      continue;
    }
    const firstHigh = chunk.findIndex((b) => b >= 0x80);
    if (held.length === 0 && firstHigh === -1) {
      yield chunk; // ASCII so far: the same in every candidate encoding
      continue;
    }
    if (held.length === 0 && firstHigh > 0) {
      yield chunk.subarray(0, firstHigh);
      chunk = chunk.subarray(firstHigh);
    }
    held.push(chunk);
    for (const b of chunk) if (b >= 0x80) heldNonAscii++;
    if (heldNonAscii >= SNIFF_BYTES) yield* decide();
  }
  if (found.encoding === null) {
    if (held.length > 0) yield* decide();
    else found.encoding = 'utf-8'; // ASCII only
  }
  const rest = transcode ? (transcode as Decoder).decode() : '';
  if (rest) yield encoder.encode(rest);
  if (validate) {
    try {
      (validate as Decoder).decode();
    } catch {
      throw undecodable();
    }
  }
}

const undecodable = () =>
  new UploadError(400, 'invalid_encoding', '文件编码无法识别：文件前部是 UTF-8，后面出现了其他编码的字符。请在 Excel 中整体“另存为 CSV UTF-8”后导入');

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** At most 64 KB at a time: csv-parse slows down badly on one very large chunk. */
async function* slices(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const SIZE = 64 * 1024;
  for await (const chunk of chunks) {
    if (chunk.byteLength <= SIZE) yield chunk;
    else for (let i = 0; i < chunk.byteLength; i += SIZE) yield chunk.subarray(i, i + SIZE);
  }
}

const CSV_REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: '引号没有闭合',
  CSV_INVALID_CLOSING_QUOTE: '引号后面还有多余的字符',
  CSV_MAX_RECORD_SIZE: '一行内容过长',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: '引号后面还有多余的字符',
};

async function readCsv(chunks: AsyncGenerator<Uint8Array>): Promise<Omit<Sheet, 'fileName'>> {
  const found: { encoding: string | null } = { encoding: null };
  const bytes = slices(utf8Of(chunks, found));
  // The delimiter is a comma, unless the first line has tabs and no comma (Excel's 文本文件).
  let first = await bytes.next();
  while (!first.done && first.value.byteLength === 0) first = await bytes.next();
  if (first.done) throw emptyFile();
  const firstLine = new TextDecoder().decode(first.value.subarray(0, 4096)).split(/\r?\n/)[0]!;
  const delimiter = !firstLine.includes(',') && firstLine.includes('\t') ? '\t' : ',';
  const head = first.value;
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(head);
    },
    async pull(controller) {
      try {
        const next = await bytes.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await bytes.return(undefined);
    },
  });
  const records = source.pipeThrough(
    csvStream({ delimiter, relax_column_count: true, relax_quotes: true, max_record_size: 1024 * 1024 }),
  ) as ReadableStream<string[]>;
  const numbered: SheetRow[] = [];
  try {
    let row = 0;
    await records.pipeTo(
      new WritableStream<string[]>({
        write(record) {
          numbered.push({ row: ++row, cells: record });
        },
      }),
    );
  } catch (err) {
    if (err instanceof UploadError) throw err;
    if (err instanceof CsvError) {
      const where = typeof (err as { lines?: number }).lines === 'number' ? `第 ${(err as unknown as { lines: number }).lines} 行附近` : '';
      throw new UploadError(400, 'invalid_csv', `CSV 格式错误${where ? `（${where}）` : ''}：${CSV_REASONS[err.code] ?? '无法解析'}。请检查该行的引号，或在 Excel 中重新另存为 CSV`);
    }
    throw err;
  }
  return sheetOf('csv', found.encoding, numbered);
}
