import type { Context } from 'hono';
import { Hono } from 'hono';
import { raw } from 'hono/html';
import { mayCall } from '../../app/accounts/policy.js';
import { getDay, getYear, setDay, type DaySetting, type YearView } from '../../app/calendar.js';
import type { AppContext } from '../../app/context.js';
import { isSupportedDate, MAX_YEAR, MIN_YEAR, type DayInfo, type DayKind } from '../../domain/calendar/calendar.js';
import { dateOfDayNumber, dayNumber, shanghaiDate, weekdayOfDayNumber, yearOf } from '../../domain/time.js';
import type { AuthEnv } from '../../http/auth.js';
import { FieldError, FormError } from '../components.js';
import { forbiddenPage } from '../errors.js';
import { attempt, formFields, type FieldErrors, type FormState, type PageStatus } from '../forms.js';
import { Layout } from '../layout.js';

// 工作日历: one year as twelve month grids (休 holidays with their names, 班 make-up working days,
// weekends, days set by hand, today), a summary of the year's holidays, and for admins the form
// that sets a single day — the same use case as PUT /api/calendar/days/:date.

const ROUTES = {
  read: 'GET /api/calendar/years/:year',
  setDay: 'PUT /api/calendar/days/:date',
} as const;

const KIND_LABELS: Record<DayKind, string> = {
  workday: '工作日',
  weekend: '周末',
  holiday: '休息日（节假日）',
  makeup_workday: '调休上班日',
};

/** What an admin may set a day to, as the form offers it. */
const SETTINGS: [DaySetting, string][] = [
  ['holiday', '休息（节假日）'],
  ['makeup_workday', '上班（调休上班，仅限周六、周日）'],
  ['default', '恢复默认（按官方安排）'],
];


const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
/** Grid columns, Monday first as on Chinese office calendars: index of each column's weekday. */
const COLUMNS = [1, 2, 3, 4, 5, 6, 0];

const MAX_NAME = 50;

// Twelve small month grids: 7 fixed columns fit 358 px (a 390 px phone less the page padding).
const PAGE_CSS = `
.cal-nav{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;margin:0 0 .8rem}
.cal-nav .this-year{font-weight:700;font-size:1.1rem}
.legend{display:flex;flex-wrap:wrap;gap:.3rem .9rem;list-style:none;padding:0;margin:0 0 .9rem;font-size:.9em}
.legend li{display:flex;align-items:center;gap:.3rem}
.chip{display:inline-block;min-width:1.6em;text-align:center;border-radius:4px;padding:0 .2rem;font-weight:700;font-size:.85em}
.months{display:grid;grid-template-columns:repeat(auto-fill,minmax(15.5rem,1fr));gap:.8rem}
.month{background:#fff;border-radius:8px;padding:.4rem .5rem .5rem;box-shadow:0 1px 2px #0001;min-width:0}
.month h2{font-size:1rem;margin:.1rem 0 .3rem;text-align:center}
table.grid{table-layout:fixed;width:100%;border-collapse:separate;border-spacing:2px}
table.grid th{background:none;padding:0;text-align:center;font-size:.8em;font-weight:400;color:#52606d}table.grid th.we{color:#b42318}
table.grid td{padding:.1rem 0;border:0;text-align:center;vertical-align:top;height:2.8rem;border-radius:4px;font-size:.85em;line-height:1.15;overflow:hidden}
table.grid td.blank{background:none}
table.grid td a{color:inherit;text-decoration:none;display:block;height:100%}
.num{display:block;font-weight:600}
.mark{display:block;font-weight:700;font-size:.85em}
.hname{display:block;font-size:.68em;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.k-weekend{background:#eef0f3;color:#52606d}
.k-holiday{background:#fde8e7;color:#b42318}
.k-makeup_workday{background:#fdf0e2;color:#9c4221}
.k-workday{background:#f8fafc}
table.grid td.overridden,.chip.overridden{box-shadow:inset 0 0 0 2px #52606d}
table.grid td.today,.chip.today{outline:2px solid #0b5cad;outline-offset:-1px}
table.grid td.today .num{color:#0b5cad}
.provisional{font-weight:600}
.ok{background:#e3f4ea;border:1px solid #68d391;border-radius:6px;padding:.6rem .8rem}
.day-form{background:#fff;border-radius:8px;padding:.8rem 1rem;margin:0 0 1rem;box-shadow:0 1px 2px #0001}
.day-form summary{cursor:pointer;font-weight:600;color:#8b1a1a}.day-form form{margin-top:.6rem}
`;

const PageStyle = () => <style>{raw(PAGE_CSS)}</style>;

// ---------------------------------------------------------------------------------------------
// The days of a year

interface Day {
  date: string;
  weekday: number;
  kind: DayKind;
  name?: string;
  overridden: boolean;
}

/** Every day of the year: the schedule's holidays and make-up days, the rest by weekday. */
function daysOf(view: YearView): Day[] {
  const special = new Map(view.days.map((d) => [d.date, d]));
  const out: Day[] = [];
  for (let n = dayNumber(`${view.year}-01-01`); n <= dayNumber(`${view.year}-12-31`); n++) {
    const date = dateOfDayNumber(n);
    const weekday = weekdayOfDayNumber(n);
    const s = special.get(date);
    if (s) out.push({ date, weekday, kind: s.kind, name: s.name, overridden: s.overridden });
    else out.push({ date, weekday, kind: weekday === 0 || weekday === 6 ? 'weekend' : 'workday', overridden: false });
  }
  return out;
}

const MARKS: Partial<Record<DayKind, string>> = { holiday: '休', makeup_workday: '班' };

/** The holiday a day belongs to: a make-up day's name less its '调休上班' (the 班 mark says it). */
const holidayOf = (name: string) => name.replace(/调休上班$/, '') || name;

const monthDay = (date: string) => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
const weekdayName = (date: string) => `星期${WEEKDAYS[weekdayOfDayNumber(dayNumber(date))]}`;

/** The words a day stands for, for its tooltip. */
function describe(day: Day, today: string): string {
  const parts = [`${day.date} ${weekdayName(day.date)}`, KIND_LABELS[day.kind]];
  if (day.name) parts.push(day.name);
  if (day.overridden) parts.push('手动调整');
  if (day.date === today) parts.push('今天');
  return parts.join(' · ');
}

function DayCell(props: { day: Day; today: string; editable: boolean }) {
  const { day, today } = props;
  const classes = [`k-${day.kind}`, day.overridden ? 'overridden' : '', day.date === today ? 'today' : ''].filter(Boolean).join(' ');
  const content = (
    <>
      <span class="num">{Number(day.date.slice(8))}</span>
      {MARKS[day.kind] && <span class="mark">{MARKS[day.kind]}</span>}
      {day.name && <span class="hname">{holidayOf(day.name)}</span>}
    </>
  );
  return (
    <td
      id={`d-${day.date}`}
      class={classes}
      data-date={day.date}
      data-kind={day.kind}
      data-overridden={day.overridden ? 'true' : undefined}
      aria-current={day.date === today ? 'date' : undefined}
      title={describe(day, today)}
    >
      {props.editable ? <a href={`/calendar?year=${yearOf(day.date)}&date=${day.date}#day-form`}>{content}</a> : content}
    </td>
  );
}

function MonthGrid(props: { month: number; days: Day[]; today: string; editable: boolean }) {
  const { days } = props;
  // Blank cells before the 1st, so that each day sits under its weekday.
  const lead = COLUMNS.indexOf(days[0]!.weekday);
  const cells: (Day | null)[] = [...Array<null>(lead).fill(null), ...days];
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (Day | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return (
    <section class="month" data-month={String(props.month)} aria-labelledby={`m-${props.month}`}>
      <h2 id={`m-${props.month}`}>{props.month} 月</h2>
      <table class="grid">
        <thead>
          <tr>
            {COLUMNS.map((w) => (
              <th scope="col" class={w === 0 || w === 6 ? 'we' : undefined}>
                {WEEKDAYS[w]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr>{week.map((d) => (d ? <DayCell day={d} today={props.today} editable={props.editable} /> : <td class="blank" />))}</tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Legend(props: { showToday: boolean }) {
  return (
    <ul class="legend" aria-label="图例">
      <li>
        <span class="chip k-holiday">休</span>节假日休息
      </li>
      <li>
        <span class="chip k-makeup_workday">班</span>调休上班
      </li>
      <li>
        <span class="chip k-weekend">六</span>周末
      </li>
      <li>
        <span class="chip k-workday">一</span>工作日
      </li>
      <li>
        <span class="chip k-workday overridden">改</span>手动调整
      </li>
      {props.showToday && (
        <li>
          <span class="chip k-workday today">今</span>今天
        </li>
      )}
    </ul>
  );
}

/** Consecutive dates as ranges: '10月1日–10月7日（7 天）'. */
function ranges(dates: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < dates.length; ) {
    let j = i;
    while (j + 1 < dates.length && dayNumber(dates[j + 1]!) === dayNumber(dates[j]!) + 1) j++;
    out.push(i === j ? monthDay(dates[i]!) : `${monthDay(dates[i]!)}–${monthDay(dates[j]!)}（${j - i + 1} 天）`);
    i = j + 1;
  }
  return out.join('、');
}

/** The year's holidays by name: days off and the make-up working days that go with them. */
function HolidaySummary(props: { days: Day[] }) {
  const groups = new Map<string, { off: string[]; work: string[] }>();
  for (const d of props.days) {
    if (d.kind !== 'holiday' && d.kind !== 'makeup_workday') continue;
    const key = d.name ? holidayOf(d.name) : d.overridden ? '手动调整' : '（未命名）';
    const g = groups.get(key) ?? { off: [], work: [] };
    (d.kind === 'holiday' ? g.off : g.work).push(d.date);
    groups.set(key, g);
  }
  // In the order of the year: by each holiday's first day off (else its first make-up day).
  const ordered = [...groups].sort(([, a], [, b]) => ((a.off[0] ?? a.work[0]!) < (b.off[0] ?? b.work[0]!) ? -1 : 1));
  if (groups.size === 0) return <p class="empty">本年没有节假日或调休上班日。</p>;
  return (
    <div class="table-wrap">
      <table class="stacked" id="holiday-summary">
        <thead>
          <tr>
            <th>名称</th>
            <th>放假</th>
            <th>调休上班</th>
          </tr>
        </thead>
        <tbody>
          {ordered.map(([name, g]) => (
            <tr>
              <td data-label="名称">{name}</td>
              <td data-label="放假">{g.off.length > 0 ? ranges(g.off) : '—'}</td>
              <td data-label="调休上班">{g.work.length > 0 ? g.work.map((d) => `${monthDay(d)}（${weekdayName(d)}）`).join('、') : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The days of the year set by hand, each with a 恢复默认 button for admins. */
function OverrideList(props: { days: Day[]; editable: boolean }) {
  const overridden = props.days.filter((d) => d.overridden);
  if (overridden.length === 0) return <p class="muted">本年没有手动调整的日期。</p>;
  return (
    <div class="table-wrap">
      <table class="stacked" id="overrides">
        <thead>
          <tr>
            <th>日期</th>
            <th>设为</th>
            <th>名称</th>
            {props.editable && <th>操作</th>}
          </tr>
        </thead>
        <tbody>
          {overridden.map((d) => (
            <tr data-date={d.date}>
              <td data-label="日期">
                {d.date}（{weekdayName(d.date)}）
              </td>
              <td data-label="设为">{KIND_LABELS[d.kind]}</td>
              <td data-label="名称">{d.name ?? '—'}</td>
              {props.editable && (
                <td data-label="操作">
                  <form class="inline" method="post" action="/calendar/days">
                    <input type="hidden" name="date" value={d.date} />
                    <input type="hidden" name="kind" value="default" />
                    <button type="submit">恢复默认</button>
                  </form>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Folded away until opened, or when it has something to show (a clicked day, an error). */
function DayForm(props: { state: FormState; open: boolean }) {
  const { values: v, errors: e } = props.state;
  const invalid = (name: string) => (e[name] ? 'true' : undefined);
  return (
    <details class="day-form" id="day-form" open={props.open}>
      <summary>设置单日（管理员）</summary>
      <p class="muted">
        手动设置的日期优先于官方安排，受影响文件的解读截止日期会立即重算。点击日历中的日期可直接填入。
      </p>
      <form class="stack" method="post" action="/calendar/days" novalidate aria-label="设置单日">
        <FormError errors={e} />
        <label>
          日期
          <input type="date" name="date" value={v.date} min={`${MIN_YEAR}-01-01`} max={`${MAX_YEAR}-12-31`} required aria-invalid={invalid('date')} />
          <FieldError errors={e} name="date" />
        </label>
        <label>
          设为
          <select name="kind" aria-invalid={invalid('kind')}>
            {SETTINGS.map(([value, label]) => (
              <option value={value} selected={value === (v.kind || 'holiday')}>
                {label}
              </option>
            ))}
          </select>
          <FieldError errors={e} name="kind" />
        </label>
        <label>
          名称（选填，如“临时调整”）
          <input name="name" value={v.name} maxlength={MAX_NAME} aria-invalid={invalid('name')} />
          <FieldError errors={e} name="name" />
        </label>
        <button class="primary" type="submit">
          保存
        </button>
      </form>
    </details>
  );
}

/** What the form just did, in one sentence. */
function savedMessage(saved: DayInfo & { setting: DaySetting }): string {
  const what = `${KIND_LABELS[saved.kind]}${saved.name ? `「${saved.name}」` : ''}`;
  const day = `${saved.date}（${weekdayName(saved.date)}）`;
  return saved.setting === 'default' ? `已将 ${day}恢复为默认安排，现为${what}。` : `已将 ${day}设为${what}。`;
}

function YearNav(props: { year: number; currentYear: number }) {
  const { year, currentYear } = props;
  return (
    <nav class="cal-nav" aria-label="切换年份">
      {year > MIN_YEAR && (
        <a href={`/calendar?year=${year - 1}`} rel="prev">
          ‹ {year - 1} 年
        </a>
      )}
      <span class="this-year">{year} 年</span>
      {year < MAX_YEAR && (
        <a href={`/calendar?year=${year + 1}`} rel="next">
          {year + 1} 年 ›
        </a>
      )}
      {year !== currentYear && <a href={`/calendar?year=${currentYear}`}>回到今年（{currentYear} 年）</a>}
    </nav>
  );
}

function CalendarPage(props: { view: YearView; today: string; editable: boolean; form?: FormState; saved?: DayInfo & { setting: DaySetting } }) {
  const { view, today, editable } = props;
  const days = daysOf(view);
  const byMonth = Array.from({ length: 12 }, (_, m) => days.filter((d) => Number(d.date.slice(5, 7)) === m + 1));
  return (
    <>
      <PageStyle />
      <h1>工作日历</h1>
      <YearNav year={view.year} currentYear={yearOf(today)} />
      {props.saved && (
        <p class="ok" role="status" id="saved">
          {savedMessage(props.saved)}
        </p>
      )}
      {view.published ? (
        <p class="muted" id="notice">
          依据：{view.notice}
        </p>
      ) : (
        <p class="notice provisional" id="provisional">
          {view.year} 年为暂定日历：尚无国务院办公厅公布的 {view.year} 年节假日安排，暂按周六、周日休息推算，法定节假日和调休上班日均未标出；涉及该年的截止日期标为“暂定”，安排公布并导入后自动重算。
        </p>
      )}
      {editable && <DayForm state={props.form ?? { values: { kind: 'holiday' }, errors: {} }} open={props.form !== undefined} />}
      <Legend showToday={yearOf(today) === view.year} />
      <div class="months">
        {byMonth.map((m, i) => (
          <MonthGrid month={i + 1} days={m} today={today} editable={editable} />
        ))}
      </div>
      <h2>{view.year} 年节假日安排</h2>
      <HolidaySummary days={days} />
      <h2>手动调整的日期</h2>
      <OverrideList days={days} editable={editable} />
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Routes

type Ctx = Context<AuthEnv>;

/** A year from the query or a form: an integer within the supported range, else null. */
function parseYear(s: string | undefined): number | null {
  if (s === undefined || !/^\d{4}$/.test(s.trim())) return null;
  const year = Number(s.trim());
  return year >= MIN_YEAR && year <= MAX_YEAR ? year : null;
}

const text = (fields: Record<string, string | string[]>, name: string) => {
  const v = fields[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
};

/** The form's input in plain words, before the use case sees it. */
function checkDayForm(values: Record<string, string>): FieldErrors {
  const errors: FieldErrors = {};
  const date = values.date ?? '';
  if (date === '') errors.date = '请选择日期';
  else if (!isSupportedDate(date)) errors.date = `日期无效：请填写 ${MIN_YEAR}–${MAX_YEAR} 年间的日期（年-月-日）`;
  const kind = values.kind ?? '';
  if (!SETTINGS.some(([k]) => k === kind)) errors.kind = '请从列表中选择';
  else if (kind === 'makeup_workday' && !errors.date && date !== '') {
    const weekday = weekdayOfDayNumber(dayNumber(date));
    if (weekday !== 0 && weekday !== 6) errors.kind = `${date} 是${weekdayName(date)}，只有周六、周日才能设为调休上班`;
  }
  if ((values.name ?? '').length > MAX_NAME) errors.name = `名称不能超过 ${MAX_NAME} 个字`;
  return errors;
}

/** /calendar (the year view) and POST /calendar/days (set one day). */
export function calendarPages(ctx: AppContext) {
  async function render(c: Ctx, year: number, options: { form?: FormState; saved?: DayInfo & { setting: DaySetting } } = {}, status: PageStatus = 200) {
    const actor = c.get('actor');
    const view = await getYear(ctx, year);
    return c.html(
      <Layout title={`工作日历 ${year} 年`} actor={actor} current="/calendar">
        <CalendarPage view={view} today={shanghaiDate(ctx.now())} editable={mayCall(actor, ROUTES.setDay)} form={options.form} saved={options.saved} />
      </Layout>,
      status,
    );
  }

  return new Hono<AuthEnv>()
    .get('/calendar', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, ROUTES.read)) return forbiddenPage(c, '工作日历');
      const currentYear = yearOf(shanghaiDate(ctx.now()));
      const asked = c.req.query('year');
      const year = asked === undefined || asked.trim() === '' ? currentYear : parseYear(asked);
      if (year === null) {
        return c.html(
          <Layout title="工作日历" actor={actor} current="/calendar">
            <h1>工作日历</h1>
            <p class="notice" role="alert">
              年份无效：请填写 {MIN_YEAR}–{MAX_YEAR} 之间的四位年份。
            </p>
            <p>
              <a href={`/calendar?year=${currentYear}`}>查看 {currentYear} 年</a>
            </p>
          </Layout>,
          400,
        );
      }
      // ?date= (a day clicked by an admin) fills in the form; ?saved= says what was just set.
      const date = c.req.query('date');
      const form = date && isSupportedDate(date) ? { values: { date, kind: 'holiday' }, errors: {} } : undefined;
      const savedDate = c.req.query('saved');
      const savedSetting = c.req.query('setting');
      const saved =
        savedDate && isSupportedDate(savedDate) && SETTINGS.some(([k]) => k === savedSetting)
          ? { ...(await getDay(ctx, savedDate)), setting: savedSetting as DaySetting }
          : undefined;
      return render(c, year, { form, saved });
    })

    .post('/calendar/days', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, ROUTES.setDay)) return forbiddenPage(c, '或执行此操作');
      const fields = await formFields(c);
      const values = { date: text(fields, 'date'), kind: text(fields, 'kind'), name: text(fields, 'name') };
      const shownYear = isSupportedDate(values.date) ? yearOf(values.date) : yearOf(shanghaiDate(ctx.now()));
      const errors = checkDayForm(values);
      if (Object.keys(errors).length > 0) return render(c, shownYear, { form: { values, errors } }, 400);
      const kind = values.kind as DaySetting;
      const result = await attempt(() => setDay(ctx, actor, values.date, kind, kind === 'default' ? null : values.name || null));
      if (!result.ok) return render(c, shownYear, { form: { values, errors: result.errors } }, result.status);
      const params = new URLSearchParams({ year: String(shownYear), saved: values.date, setting: kind });
      return c.redirect(`/calendar?${params.toString()}#d-${values.date}`, 303);
    });
}
