import { raw } from 'hono/html';
import { COLUMNS, IMPORT_KINDS, KIND_LABELS, type ImportKind } from '../../../app/imports/columns.js';
import type { ImportJobView } from '../../../app/imports/jobs.js';
import { MAX_UPLOAD_BYTES, MAX_XLSX_BYTES, XLSX_TYPE } from '../../../app/imports/upload.js';
import { FieldError, FormError } from '../../components.js';
import type { FieldErrors } from '../../forms.js';

// The /import page (SPEC §11): choose what to import and the file; a dry run (检查文件) shows
// every error by row and column; 开始导入 runs the real import with a progress bar, then the
// counts. Without script the form posts and the job's own page follows it; with the inline
// script (script.ts) the same form runs in place and the file stays chosen between the two steps.

const PAGE_CSS = `
.import-page .panel{background:#fff;border-radius:8px;padding:.75rem 1rem 1rem;box-shadow:0 1px 2px #0001;margin:0 0 1.2rem;min-width:0}
.import-page .panel h2{margin:.2rem 0 .6rem}
.import-page form.stack{max-width:34rem}
.import-page input[type=file]{background:#fff}
.import-page .actions{display:flex;flex-wrap:wrap;gap:.6rem}
.import-page button.secondary{font:inherit;background:#fff;color:#8b1a1a;border:1px solid #8b1a1a;border-radius:6px;padding:.5rem 1rem;cursor:pointer}
.import-page button:disabled{opacity:.45;cursor:not-allowed}
.bar{height:1.1rem;background:#e4e7eb;border-radius:999px;overflow:hidden;margin:.5rem 0}
.bar>span{display:block;height:100%;background:#2f855a;transition:width .2s}
.bar.working>span{background:#0b5cad}
.counts{display:grid;grid-template-columns:repeat(auto-fit,minmax(7rem,1fr));gap:.6rem;margin:.6rem 0}
.counts div{background:#f8fafc;border:1px solid #e4e7eb;border-radius:8px;padding:.4rem .8rem}
.counts b{display:block;font-size:1.5rem}
.ok-notice{background:#e3f4ea;border:1px solid #9ae6b4;border-radius:6px;padding:.6rem .8rem}
.err-notice{background:#fdecea;border:1px solid #f3b4ae;border-radius:6px;padding:.6rem .8rem}
.import-page td.nw{white-space:nowrap}
.import-page .links{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}
.columns-help summary{cursor:pointer;color:#8b1a1a}.columns-help summary h2{display:inline;font-size:1.1rem}
`;

export const STATUS_LABELS: Record<ImportJobView['status'], string> = { running: '进行中', done: '已完成', failed: '未导入' };

export function ImportForm(props: { kind: ImportKind; errors?: FieldErrors }) {
  return (
    <section class="panel" aria-labelledby="upload">
      <h2 id="upload">上传文件</h2>
      <FormError errors={props.errors} />
      <form id="import-form" class="stack" method="post" action="/import" enctype="multipart/form-data" novalidate>
        <label>
          导入内容
          <select name="kind">
            {IMPORT_KINDS.map((k) => (
              <option value={k} selected={k === props.kind}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
          <FieldError errors={props.errors} name="kind" />
        </label>
        <label>
          文件（CSV 或 XLSX；CSV 最大 {MAX_UPLOAD_BYTES / 1024 / 1024} MB，XLSX 最大 {MAX_XLSX_BYTES / 1024 / 1024} MB）
          <input type="file" name="file" required accept={`.csv,.xlsx,text/csv,${XLSX_TYPE}`} aria-invalid={props.errors?.file ? 'true' : undefined} />
          <FieldError errors={props.errors} name="file" />
        </label>
        <div class="actions">
          <button type="submit" name="mode" value="dry" class="primary" id="dry-run">
            检查文件（试导入）
          </button>
          <button type="submit" name="mode" value="run" class="secondary" id="run-import">
            开始导入
          </button>
        </div>
        <p class="muted" id="import-uploading" role="status" hidden>
          正在上传并读取文件…
        </p>
        <p class="muted" id="import-hint">
          先“检查文件”：只检查、不写入，列出每一处错误（行号与 Excel 中一致，表头为第 1 行）。检查通过后再“开始导入”：有任何错误时不写入任何数据；已登记的文号更新原文件，内容相同的行跳过，重复导入同一文件不会产生重复记录。
        </p>
      </form>
    </section>
  );
}

function Progress(props: { job: ImportJobView }) {
  const { job } = props;
  const finished = job.status !== 'running';
  const done = finished ? job.rowsTotal : job.rowsDone;
  const percent = job.rowsTotal === 0 ? 100 : Math.floor((done / job.rowsTotal) * 100);
  return (
    <>
      <div
        class={finished ? 'bar' : 'bar working'}
        id="import-progress"
        role="progressbar"
        aria-label="导入进度"
        aria-valuemin="0"
        aria-valuemax={String(job.rowsTotal)}
        aria-valuenow={String(done)}
      >
        <span style={`width:${percent}%`}></span>
      </div>
      <p class="muted" id="import-progress-text">
        {finished ? `已检查 ${job.rowsTotal} 行` : done < job.rowsTotal ? `正在检查：${done} / ${job.rowsTotal} 行` : job.dryRun ? '正在汇总结果…' : '正在写入数据…'}
      </p>
    </>
  );
}

function Counts(props: { job: ImportJobView; future: boolean }) {
  const unit = props.job.kind === 'documents' ? '份文件' : '份解读材料';
  const items = [
    ['created', props.future ? '将新建' : '新建', props.job.created],
    ['updated', props.future ? '将更新' : '更新', props.job.updated],
    ['skipped', '跳过（内容相同）', props.job.skipped],
  ] as const;
  return (
    <div class="counts" id="import-counts">
      {items.map(([key, label, n]) => (
        <div data-count={key}>
          {label}
          <b>{n}</b>
          <span class="muted">{unit}</span>
        </div>
      ))}
    </div>
  );
}

function ErrorTable(props: { job: ImportJobView }) {
  return (
    <div class="table-wrap">
      <table class="stacked" id="import-errors">
        <thead>
          <tr>
            <th>行</th>
            <th>列</th>
            <th>问题</th>
          </tr>
        </thead>
        <tbody>
          {props.job.errors.map((e) => (
            <tr>
              <td data-label="行" class="nw">
                {e.row ?? '—'}
              </td>
              <td data-label="列" class="nw">
                {e.field ?? '—'}
              </td>
              <td data-label="问题">{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One job: progress, then its errors or its counts. The script replaces it as the job moves on. */
export function JobPanel(props: { job: ImportJobView; canReadAudit?: boolean }) {
  const { job } = props;
  const what = `${job.dryRun ? '试导入' : '正式导入'}${KIND_LABELS[job.kind]}`;
  const errors = job.errors.filter((e) => e.row !== null).length;
  return (
    <section class="panel" id="import-result" aria-live="polite" data-job={String(job.id)} data-status={job.status} data-dry-run={job.dryRun ? '1' : '0'}>
      <h2>
        {what}
        {job.fileName ? `：${job.fileName}` : ''} <span class="muted">（{STATUS_LABELS[job.status]}）</span>
      </h2>
      <Progress job={job} />
      {job.status === 'running' && <noscript>{raw('<meta http-equiv="refresh" content="2">')}</noscript>}
      {job.status !== 'running' && job.errors.length > 0 && (
        <>
          <p class="err-notice" role="alert" id="import-summary">
            {job.dryRun
              ? `发现 ${errors || job.errors.length} 处问题，请按下表修改文件后重新检查。`
              : `发现 ${errors || job.errors.length} 处问题，未导入任何数据。请按下表修改文件后重新导入。`}
          </p>
          <ErrorTable job={job} />
        </>
      )}
      {job.status === 'done' && job.errors.length === 0 && (
        <>
          <p class="ok-notice" role="status" id="import-summary">
            {job.dryRun ? `检查通过：共 ${job.rowsTotal} 行，没有错误。可以点击“开始导入”。` : `导入完成：共 ${job.rowsTotal} 行。`}
          </p>
          <Counts job={job} future={job.dryRun} />
          {!job.dryRun && (
            <p class="links">
              <a href="/documents" id="documents-link">
                查看文件列表
              </a>
              {props.canReadAudit && <a href={`/audit?entity=${job.kind === 'documents' ? 'document' : 'interpretation'}`}>查看审计日志</a>}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function ColumnsHelp() {
  return (
    <details class="panel columns-help">
      <summary>
        <h2 id="columns">可以导入的列与模板</h2>
      </summary>
      <p class="muted">
        第 1 行为表头，中文或英文列名均可，列的顺序不限，其他列（如 序号、备注）不读取。CSV 可为 UTF-8（带或不带 BOM）或 Excel 默认保存的 GBK
        编码，自动识别。时间不带时区的一律按北京时间。
      </p>
      {IMPORT_KINDS.map((kind) => (
        <>
          <h3 style="font-size:1rem;margin:.8rem 0 .4rem">
            {KIND_LABELS[kind]} <a href={`/import/template.csv?kind=${kind}`}>下载模板</a>
          </h3>
          <div class="table-wrap">
            <table class="stacked">
              <thead>
                <tr>
                  <th>列名</th>
                  <th>英文列名</th>
                  <th>必填</th>
                  <th>说明</th>
                </tr>
              </thead>
              <tbody>
                {COLUMNS[kind].map((c) => (
                  <tr>
                    <td data-label="列名">{c.zh}</td>
                    <td data-label="英文列名">{c.key}</td>
                    <td data-label="必填">{c.required ? '是' : '否'}</td>
                    <td data-label="说明">{c.help}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ))}
    </details>
  );
}

export function ImportPage(props: { kind: ImportKind; errors?: FieldErrors; job?: ImportJobView; canReadAudit?: boolean }) {
  return (
    <div class="import-page">
      <style>{raw(PAGE_CSS)}</style>
      <h1>导入文件与解读材料</h1>
      <ImportForm kind={props.kind} errors={props.errors} />
      {props.job ? <JobPanel job={props.job} canReadAudit={props.canReadAudit} /> : <div id="import-result" hidden></div>}
      <ColumnsHelp />
    </div>
  );
}
