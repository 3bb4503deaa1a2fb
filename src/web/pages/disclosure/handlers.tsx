import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Actor } from '../../../app/accounts/actor.js';
import { mayCall } from '../../../app/accounts/policy.js';
import type { AppContext } from '../../../app/context.js';
import { listDepartments, type DepartmentView } from '../../../app/departments.js';
import { eventTypesAllowedNow, recordEvent } from '../../../app/disclosure/events.js';
import { getRequest, listRequests, registerRequest } from '../../../app/disclosure/requests.js';
import { AppError } from '../../../app/errors.js';
import { DISCLOSURE_STATUSES, EVENT_TYPES, type DisclosureEventType, type DisclosureStatus } from '../../../domain/disclosure/vocabulary.js';
import { parseInstant, shanghaiDate, yearOf } from '../../../domain/time.js';
import type { AuthEnv } from '../../../http/auth.js';
import { DisclosureEventInput, DisclosureRequestInput } from '../../../http/disclosure-schemas.js';
import { forbiddenPage, notFoundPage } from '../../errors.js';
import { attempt, formFields, readableErrors, type FailedForm, type FormState, type PageStatus } from '../../forms.js';
import { Layout } from '../../layout.js';
import { DisclosureDetailPage } from './detail.js';
import { eventFormErrors, FORM_FIELDS } from './event-forms.js';
import { DisclosureListPage, REGISTER_FIELDS, type ListData, type ListQuery } from './list.js';
import { idOf, PAGE_SIZE, ROUTES } from './shared.js';
import { pageOffset } from '../../components.js';

// The routes of /disclosure. Forms post to these pages, never to /api; each post is checked against
// the ROUTE_POLICY entry of the API call it stands for and runs the same use case as the actor.

type Ctx = Context<AuthEnv>;

const REGISTER_WORDS = {
  receivedAt: { blank: '请填写收到申请日期', wrong: '日期无效，请按 年-月-日 填写' },
  channel: { blank: '请选择提交渠道', wrong: '请从列表中选择提交渠道' },
  applicantType: { blank: '请选择申请人类型', wrong: '请从列表中选择申请人类型' },
  applicantName: { blank: '请填写申请人姓名或名称', wrong: '申请人姓名或名称不能超过 100 个字' },
  contact: { blank: '', wrong: '联系方式不能超过 200 个字' },
  description: { blank: '请填写申请公开的信息', wrong: '申请内容不能超过 2000 个字' },
  departmentCode: { blank: '请选择承办部门', wrong: '请从列表中选择承办部门' },
};

const field = (fields: Record<string, string | string[]>, name: string): string => {
  const v = fields[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
};
const pick = (fields: Record<string, string | string[]>, names: string[]) => Object.fromEntries(names.map((n) => [n, field(fields, n)]));

/** A drafter acts only for its own departments. */
const actsFor = (actor: Actor, code: string) => actor.role !== 'drafter' || actor.departments.includes(code);

/** A form's text as the API's value: '' is absent; numbers for the numeric fields. */
function eventBody(values: Record<string, string>) {
  const body: Record<string, unknown> = { type: values.type, date: values.date };
  for (const [name, value] of Object.entries(values)) {
    if (name === 'type' || name === 'date' || value.trim() === '') continue;
    body[name] = name === 'days' || name === 'amount' ? (/^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value) : value;
  }
  return body;
}

export function disclosurePages(ctx: AppContext) {
  const departmentsOf = () => listDepartments(ctx, { limit: 500, offset: 0 });

  async function listData(c: Ctx): Promise<ListData> {
    const status = c.req.query('status');
    const year = idOf(c.req.query('year'));
    const query: ListQuery = {
      status: (DISCLOSURE_STATUSES as readonly string[]).includes(status ?? '') ? (status as DisclosureStatus) : undefined,
      departmentCode: c.req.query('departmentCode')?.trim() || undefined,
      year: year !== null && year >= 1970 && year <= 2199 ? year : undefined,
      offset: pageOffset(c.req.query('offset')),
    };
    const rows = await listRequests(ctx, { ...query, asOf: ctx.now(), limit: PAGE_SIZE + 1, offset: query.offset });
    const thisYear = yearOf(shanghaiDate(ctx.now()));
    return {
      query,
      requests: rows.slice(0, PAGE_SIZE),
      hasNext: rows.length > PAGE_SIZE,
      departments: await departmentsOf(),
      years: Array.from({ length: 6 }, (_, i) => thisYear - i),
      // Until the report is due (31 January) the office is writing last year's.
      reportYear: shanghaiDate(ctx.now()).slice(5) <= '01-31' ? thisYear - 1 : thisYear,
    };
  }

  async function renderList(c: Ctx, register?: FormState, status: PageStatus = 200) {
    const actor = c.get('actor');
    const data = await listData(c);
    const departments = data.departments.filter((d) => actsFor(actor, d.code));
    const initial: FormState = { values: { departmentCode: departments.length === 1 ? departments[0]!.code : '' }, errors: {} };
    const today = shanghaiDate(ctx.now());
    return c.html(
      <Layout title="依申请公开" actor={actor} current="/disclosure">
        <DisclosureListPage
          data={data}
          register={mayCall(actor, ROUTES.register) ? { departments, state: register ?? initial, open: register !== undefined, today } : undefined}
        />
      </Layout>,
      status,
    );
  }

  async function findRequest(idParam: string | undefined) {
    const id = idOf(idParam);
    if (id === null) return null;
    try {
      return await getRequest(ctx, id, ctx.now());
    } catch (err) {
      if (err instanceof AppError && err.status === 404) return null;
      throw err;
    }
  }

  async function renderDetail(c: Ctx, id: number, failed?: FailedForm, status: PageStatus = 200) {
    const actor = c.get('actor');
    const request = await findRequest(String(id));
    if (!request) return notFoundPage(c, '该申请');
    const departments: DepartmentView[] = await departmentsOf();
    const mayRecord = mayCall(actor, ROUTES.event);
    const inScope = actsFor(actor, request.departmentCode);
    const forms = mayRecord && inScope ? await eventTypesAllowedNow(ctx, id) : [];
    // A refused form stays on the page even when its kind is no longer offered.
    if (failed && !forms.includes(failed.form as DisclosureEventType)) forms.push(failed.form as DisclosureEventType);
    return c.html(
      <Layout title={`依申请公开 ${request.number}`} actor={actor} current="/disclosure">
        <DisclosureDetailPage data={{ request, departments, forms, today: shanghaiDate(ctx.now()), failed, outOfScope: mayRecord && !inScope }} />
      </Layout>,
      status,
    );
  }

  return new Hono<AuthEnv>()
    .get('/disclosure', (c) => renderList(c))

    .post('/disclosure', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, ROUTES.register)) return forbiddenPage(c, '或执行此操作');
      const values = pick(await formFields(c), REGISTER_FIELDS);
      const parsed = DisclosureRequestInput.safeParse({ ...values, contact: values.contact || null });
      if (!parsed.success) return renderList(c, { values, errors: readableErrors(parsed.error, values, REGISTER_WORDS) }, 400);
      const { receivedAt, ...input } = parsed.data;
      const result = await attempt(() => registerRequest(ctx, actor, { ...input, receivedDate: shanghaiDate(parseInstant(receivedAt)!) }));
      if (result.ok) return c.redirect(`/disclosure/${result.value.id}`, 303);
      const errors = { ...result.errors };
      if (result.status === 403 && errors._form) {
        errors.departmentCode = errors._form;
        delete errors._form;
      }
      return renderList(c, { values, errors }, result.status);
    })

    .get('/disclosure/:id', async (c) => {
      const id = idOf(c.req.param('id'));
      return id === null ? notFoundPage(c, '该申请') : renderDetail(c, id);
    })

    .post('/disclosure/:id/events', async (c) => {
      const actor = c.get('actor');
      if (!mayCall(actor, ROUTES.event)) return forbiddenPage(c, '或执行此操作');
      const id = idOf(c.req.param('id'));
      if (id === null || !(await findRequest(String(id)))) return notFoundPage(c, '该申请');
      const posted = await formFields(c);
      const type = field(posted, 'type') as DisclosureEventType;
      if (!(EVENT_TYPES as readonly string[]).includes(type)) return renderDetail(c, id, undefined, 400);
      const values = pick(posted, ['type', 'date', ...FORM_FIELDS[type]]);
      const parsed = DisclosureEventInput.safeParse(eventBody(values));
      if (!parsed.success) return renderDetail(c, id, { form: type, values, errors: eventFormErrors(parsed.error, values) }, 400);
      const { date, ...body } = parsed.data;
      const result = await attempt(() => recordEvent(ctx, actor, id, { ...body, at: parseInstant(date)! }));
      if (result.ok) return c.redirect(`/disclosure/${id}`, 303);
      const errors = { ...result.errors };
      // "type: …" says the event does not fit the request's state: a message for the whole form.
      if (errors.type) {
        errors._form = errors.type;
        delete errors.type;
      }
      return renderDetail(c, id, { form: type, values, errors }, result.status);
    });
}
