import type { Context } from 'hono';
import { Hono } from 'hono';
import { mayCall } from '../../../app/accounts/policy.js';
import type { AppContext } from '../../../app/context.js';
import { listDepartments } from '../../../app/departments.js';
import { createChannel, deleteChannel, findChannelRow, getChannel, listChannels, updateChannel } from '../../../app/notifications/channels.js';
import { listDeliveries, retryDelivery, type DeliveryStatus } from '../../../app/notifications/deliveries.js';
import { sendTestMessage } from '../../../app/notifications/sender.js';
import type { AuthEnv } from '../../../http/auth.js';
import { ChannelInput, ChannelPatch } from '../../../http/notification-schemas.js';
import { forbiddenPage, notFoundPage } from '../../errors.js';
import { attempt, formFields, type FailedForm, type PageStatus } from '../../forms.js';
import { Layout } from '../../layout.js';
import { channelErrors, postedChannel, postedChannelEdit } from './forms.js';
import { checkFilters, logQuery, PAGE_SIZE, ROUTES, type LogData, type LogFilters } from './shared.js';
import { NotificationsPage, type PageExtras } from './view.js';
import { pageOffset } from '../../components.js';

// The routes of /notifications. Forms post to this page, never to /api; each post is checked
// against the same ROUTE_POLICY entry as the API call it stands for and runs the same use case
// with the signed-in actor. Every form's action carries the delivery log's filters, so a post
// comes back to the list as it was.

type Ctx = Context<AuthEnv>;

/** A positive integer id from a path, else null. */
const idOf = (value: string | undefined): number | null =>
  value !== undefined && /^[1-9]\d{0,14}$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : null;

function filtersOf(c: Ctx): { filters: LogFilters; offset: number } {
  const filters = { status: (c.req.query('status') ?? '').trim(), channelId: (c.req.query('channelId') ?? '').trim() };
  return { filters, offset: pageOffset(c.req.query('offset')) };
}

/** /notifications: channels and their health, the add form, test messages and the delivery log. */
export function notificationPages(ctx: AppContext) {
  const refuse = (c: Ctx) => forbiddenPage(c, '或执行此操作');

  async function page(c: Ctx, extras: PageExtras = {}, status: PageStatus = 200) {
    const actor = c.get('actor');
    const channels = await listChannels(ctx);
    const { filters, offset } = filtersOf(c);
    const errors = checkFilters(filters, channels);
    const valid = Object.keys(errors).length === 0;
    const rows = valid
      ? await listDeliveries(ctx, {
          ...(filters.status ? { status: filters.status as DeliveryStatus } : {}),
          ...(filters.channelId ? { channelId: Number(filters.channelId) } : {}),
          limit: PAGE_SIZE + 1,
          offset,
        })
      : [];
    const log: LogData = { deliveries: rows.slice(0, PAGE_SIZE), filters, errors, offset, hasNext: rows.length > PAGE_SIZE };
    return c.html(
      <Layout title="通知" actor={actor} current="/notifications">
        <NotificationsPage
          actor={actor}
          channels={channels}
          departments={await listDepartments(ctx, { limit: 500, offset: 0 })}
          log={log}
          publicUrl={ctx.config.publicUrl}
          now={ctx.now()}
          extras={extras}
        />
      </Layout>,
      // A post's own status wins; a page opened with filters it cannot show is a 400, as on /audit.
      status !== 200 ? status : valid ? 200 : 400,
    );
  }

  /** Back to the list as the form's page showed it (its filters ride on the action's query). */
  const backTo = (c: Ctx, anchor: string) => {
    const { filters, offset } = filtersOf(c);
    return c.redirect(`/notifications${logQuery(filters, offset)}${anchor}`, 303);
  };

  const rowFailure = (message: string): FailedForm => ({ form: 'row', values: {}, errors: { _form: message } });

  /** The channel of a path's :id, or null when there is none. */
  async function existingChannel(id: number | null): Promise<{ id: number; name: string } | null> {
    if (id === null) return null;
    const found = await attempt(() => findChannelRow(ctx, id));
    return found.ok ? found.value : null;
  }

  return (
    new Hono<AuthEnv>()
      .get('/notifications', (c) => (mayCall(c.get('actor'), ROUTES.channels) ? page(c) : forbiddenPage(c, '通知渠道和投递记录')))

      // Posts answered in place leave their address in the bar: opened again, it leads to the list.
      .get('/notifications/channels', (c) => c.redirect('/notifications', 303))
      .get('/notifications/channels/:id/test', (c) => c.redirect(`/notifications#channel-${idOf(c.req.param('id')) ?? ''}`, 303))
      .get('/notifications/channels/:id/edit', (c) => c.redirect(`/notifications#channel-${idOf(c.req.param('id')) ?? ''}`, 303))

      .post('/notifications/channels', async (c) => {
        const actor = c.get('actor');
        if (!mayCall(actor, ROUTES.createChannel)) return refuse(c);
        const { values, input, mobiles } = await postedChannel(c);
        const parsed = ChannelInput.safeParse(input);
        if (!parsed.success) return page(c, { failed: { form: 'channel', values, errors: channelErrors(parsed.error, values, mobiles) } }, 400);
        const result = await attempt(() => createChannel(ctx, actor, parsed.data));
        if (!result.ok) return page(c, { failed: { form: 'channel', values, errors: result.errors } }, result.status);
        const { id, name, secret } = result.value;
        // A generated webhook secret exists in this answer only: show it now, once.
        if (secret) return page(c, { created: { id, name, secret } });
        return backTo(c, `#channel-${id}`);
      })

      .post('/notifications/channels/:id/edit', async (c) => {
        const actor = c.get('actor');
        if (!mayCall(actor, ROUTES.updateChannel)) return refuse(c);
        const id = idOf(c.req.param('id'));
        const found = id === null ? null : await attempt(() => getChannel(ctx, id));
        if (id === null || !found?.ok) return notFoundPage(c, '该通知渠道');
        const form = `edit-${id}`;
        const { values, patch, mobiles, errors } = await postedChannelEdit(c, found.value);
        if (errors) return page(c, { failed: { form, values, errors } }, 400);
        if (Object.keys(patch).length === 0) return page(c, { failed: { form, values, errors: { _form: '没有修改任何设置。' } } }, 400);
        const parsed = ChannelPatch.safeParse(patch);
        if (!parsed.success) return page(c, { failed: { form, values, errors: channelErrors(parsed.error, values, mobiles) } }, 400);
        // The use case audits the change and, for a new address, secret or keyword, clears 配置错误.
        const result = await attempt(() => updateChannel(ctx, actor, id, parsed.data));
        if (!result.ok) return page(c, { failed: { form, values, errors: result.errors } }, result.status);
        return backTo(c, `#channel-${id}`);
      })

      .post('/notifications/channels/:id/test', async (c) => {
        if (!mayCall(c.get('actor'), ROUTES.testChannel)) return refuse(c);
        const channel = await existingChannel(idOf(c.req.param('id')));
        if (!channel) return notFoundPage(c, '该通知渠道');
        const result = await attempt(() => sendTestMessage(ctx, channel.id));
        // Refused before sending (20 a minute): said in the same place as the platform's answer.
        const tested = result.ok
          ? { channelId: channel.id, ...result.value }
          : { channelId: channel.id, ok: false, status: null, response: '', error: Object.values(result.errors).join('；') };
        return page(c, { tested }, result.ok ? 200 : result.status);
      })

      .post('/notifications/channels/:id/enabled', async (c) => {
        const actor = c.get('actor');
        if (!mayCall(actor, ROUTES.updateChannel)) return refuse(c);
        const channel = await existingChannel(idOf(c.req.param('id')));
        if (!channel) return notFoundPage(c, '该通知渠道');
        const enabled = (await formFields(c)).enabled;
        if (enabled !== 'true' && enabled !== 'false') return page(c, { failed: rowFailure('请求无效：请使用页面上的“启用”或“停用”按钮') }, 400);
        const result = await attempt(() => updateChannel(ctx, actor, channel.id, { enabled: enabled === 'true' }));
        if (!result.ok) return page(c, { failed: rowFailure(Object.values(result.errors).join('；')) }, result.status);
        return backTo(c, `#channel-${channel.id}`);
      })

      .post('/notifications/channels/:id/delete', async (c) => {
        const actor = c.get('actor');
        if (!mayCall(actor, ROUTES.deleteChannel)) return refuse(c);
        const channel = await existingChannel(idOf(c.req.param('id')));
        if (!channel) return notFoundPage(c, '该通知渠道');
        const result = await attempt(() => deleteChannel(ctx, actor, channel.id));
        if (!result.ok) return page(c, { failed: rowFailure(Object.values(result.errors).join('；')) }, result.status);
        // Filtering by the deleted channel would now be refused: drop that filter.
        const { filters, offset } = filtersOf(c);
        const kept = filters.channelId === String(channel.id) ? { ...filters, channelId: '' } : filters;
        return c.redirect(`/notifications${logQuery(kept, kept === filters ? offset : 0)}#channels`, 303);
      })

      .post('/notifications/deliveries/:id/retry', async (c) => {
        const actor = c.get('actor');
        if (!mayCall(actor, ROUTES.retryDelivery)) return refuse(c);
        const id = idOf(c.req.param('id'));
        if (id === null) return notFoundPage(c, '该投递记录');
        const result = await attempt(() => retryDelivery(ctx, actor, id));
        if (result.ok) return backTo(c, `#delivery-${id}`);
        if (result.status === 404) return notFoundPage(c, '该投递记录');
        return page(c, { failed: rowFailure(Object.values(result.errors).join('；')) }, result.status);
      })
  );
}
