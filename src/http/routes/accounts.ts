import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { ROLE_LABELS, ROLES } from '../../app/accounts/actor.js';
import { changeOwnPassword } from '../../app/accounts/own-account.js';
import { MAX_PASSWORD_LENGTH, passwordWeakness } from '../../app/accounts/password-rules.js';
import { createToken, listTokens, login, logout, revokeToken } from '../../app/accounts/sessions.js';
import { createUser, getUser, listUsers, updateUser } from '../../app/accounts/users.js';
import { AUDIT_ENTITIES, listAudit } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { SESSION_COOKIE, setSessionCookie, type AuthEnv } from '../auth.js';
import { createRouter } from '../router.js';
import { DateString, DepartmentCode, errorResponses, ErrorSchema, IdParam, itemsOf, jsonBody, jsonResponse, Pagination } from '../schemas.js';

const TAG = ['账户与审计'];
const RoleEnum = z.enum(ROLES).openapi({ description: Object.entries(ROLE_LABELS).map(([k, v]) => `${k} ${v}`).join('；') });
/**
 * The password rule of every account: the same when an admin sets it and when its owner changes it.
 * At least 10 characters and not one of the commonest passwords; that it is not the user name is
 * checked by the use cases, which know the name.
 */
export const Password = z
  .string()
  .min(10, { message: '密码至少 10 个字符' })
  .max(MAX_PASSWORD_LENGTH, { message: `密码不能超过 ${MAX_PASSWORD_LENGTH} 个字符` })
  .superRefine((password, check) => {
    const weakness = password.length >= 10 && password.length <= MAX_PASSWORD_LENGTH ? passwordWeakness(password) : null;
    if (weakness) check.addIssue({ code: 'custom', message: weakness });
  })
  .openapi({ description: '至少 10 个字符；不能是常见密码（如 1234567890、password123、qwertyuiop、重复字符）或用户名本身' });

/** POST /api/me/password; the /me page validates its form with the same schema. */
export const PasswordChange = z
  .object({
    currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH),
    newPassword: Password,
  })
  .strict();

const CanSignOff = z.boolean().openapi({ description: '起草部门人员可审签本部门文件（SPEC §12）；管理员、领导本就可以，默认 false' });

/** POST /api/users; the /admin/users page validates its form with the same schema. */
export const UserInput = z
  .object({
    username: z.string().trim().regex(/^[A-Za-z0-9_.-]{2,50}$/, { message: '用户名为 2–50 位字母、数字、下划线、点或连字符' }),
    displayName: z.string().trim().min(1).max(100),
    role: RoleEnum,
    departmentCodes: z.array(DepartmentCode).max(50).optional(),
    password: Password,
    canSignOff: CanSignOff.optional(),
  })
  .strict();

/** PATCH /api/users/:id; the /admin/users page validates its forms with the same schema. */
export const UserPatchInput = z
  .object({
    displayName: z.string().trim().min(1).max(100),
    role: RoleEnum,
    departmentCodes: z.array(DepartmentCode).max(50),
    disabled: z.boolean(),
    password: Password,
    canSignOff: CanSignOff,
  })
  .partial()
  .strict();

const UserSchema = z
  .object({
    id: z.number(),
    username: z.string(),
    displayName: z.string(),
    role: RoleEnum,
    departmentCodes: z.array(z.string()),
    disabled: z.boolean(),
    canSignOff: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('User');

const MeSchema = z
  .object({
    username: z.string(),
    role: RoleEnum,
    departments: z.array(z.string()),
    via: z.enum(['admin_token', 'token', 'session', 'system']),
    user: UserSchema.nullable(),
  })
  .openapi('Me');

const TokenSchema = z
  .object({ id: z.number(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() })
  .openapi('Token');

const AuditSchema = z
  .object({
    id: z.number(),
    at: z.string(),
    actor: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    action: z.string(),
    before: z.unknown(),
    after: z.unknown(),
  })
  .openapi('AuditEntry');

export interface SessionOptions {
  /** The client's network address, for login throttling (runtime-specific). */
  clientAddress: (c: Context) => string;
}

/** Sign-in: the one API route without credentials (registered before authentication). */
export function loginRoutes(ctx: AppContext, options: SessionOptions) {
  return createRouter().openapi(
    createRoute({
      method: 'post',
      path: '/api/session',
      operationId: 'signIn',
      tags: TAG,
      summary: '登录：设置 HttpOnly、SameSite=Lax 的会话 Cookie',
      security: [],
      request: { body: jsonBody(z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }).strict()) },
      responses: {
        200: jsonResponse(MeSchema, '已登录'),
        401: jsonResponse(ErrorSchema, '用户名或密码不正确'),
        429: jsonResponse(ErrorSchema, '失败次数过多，暂时锁定'),
        400: errorResponses[400],
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { token, actor, expiresAt } = await login(ctx, { ...body, address: options.clientAddress(c) });
      setSessionCookie(c, token, expiresAt - ctx.now());
      return c.json({ ...actor, user: await getUser(ctx, actor.userId!) }, 200);
    },
  );
}

/** The audit list's filters, which its export takes too. */
export const AuditListQuery = {
  actor: z.string().max(100).optional(),
  entity: z.enum(AUDIT_ENTITIES).optional(),
  entityId: z.string().max(50).optional(),
  from: DateString.optional().openapi({ description: '起始日期（北京时间，含当日）' }),
  to: DateString.optional().openapi({ description: '截止日期（北京时间，含当日）' }),
};

export function accountRoutes(ctx: AppContext) {
  return createRouter<AuthEnv>()
    .openapi(
      createRoute({
        method: 'delete',
        path: '/api/session',
        operationId: 'signOut',
        tags: TAG,
        summary: '退出登录',
        responses: { 200: jsonResponse(z.object({ ok: z.boolean() }), '已退出'), ...errorResponses },
      }),
      async (c) => {
        const token = getCookie(c, SESSION_COOKIE);
        if (token) await logout(ctx, token);
        deleteCookie(c, SESSION_COOKIE, { path: '/' });
        return c.json({ ok: true }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/me',
        operationId: 'getMe',
        tags: TAG,
        summary: '当前调用者：用户、角色、部门',
        responses: { 200: jsonResponse(MeSchema, '调用者'), ...errorResponses },
      }),
      async (c) => {
        const actor = c.get('actor');
        return c.json({ ...actor, user: actor.userId === null ? null : await getUser(ctx, actor.userId) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/me/password',
        operationId: 'changeOwnPassword',
        tags: TAG,
        summary: '修改本人密码：须提供当前密码；本人其他的登录会话随即结束（本次会话保留），个人令牌不受影响',
        request: { body: jsonBody(PasswordChange) },
        responses: {
          200: jsonResponse(z.object({ ok: z.boolean(), endedSessions: z.number().openapi({ description: '结束的其他会话数' }) }), '已修改'),
          422: jsonResponse(ErrorSchema, '管理员令牌不代表某个用户，没有密码可改'),
          429: jsonResponse(ErrorSchema, '当前密码错误次数过多，暂时锁定'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const actor = c.get('actor');
        const keep = actor.via === 'session' ? (getCookie(c, SESSION_COOKIE) ?? null) : null;
        const { endedSessions } = await changeOwnPassword(ctx, actor, c.req.valid('json'), keep);
        return c.json({ ok: true, endedSessions }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/tokens',
        operationId: 'createToken',
        tags: TAG,
        summary: '签发调用者本人的访问令牌（只显示一次，服务端只存哈希）',
        request: { body: jsonBody(z.object({ name: z.string().trim().min(1).max(100) }).strict()) },
        responses: {
          201: jsonResponse(z.object({ id: z.number(), name: z.string(), token: z.string(), createdAt: z.string() }), '新令牌'),
          422: jsonResponse(ErrorSchema, '管理员令牌不能签发个人令牌'),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await createToken(ctx, c.get('actor'), c.req.valid('json').name), 201),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/tokens',
        operationId: 'listTokens',
        tags: TAG,
        summary: '调用者本人的令牌（不含令牌本身）',
        responses: { 200: jsonResponse(itemsOf(TokenSchema), '令牌'), ...errorResponses },
      }),
      async (c) => c.json({ items: await listTokens(ctx, c.get('actor')) }, 200),
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/api/tokens/{id}',
        operationId: 'revokeToken',
        tags: TAG,
        summary: '撤销令牌（本人的；管理员可撤销任何人的）',
        request: { params: IdParam },
        responses: { 200: jsonResponse(TokenSchema, '已撤销'), 404: jsonResponse(ErrorSchema, '不存在'), ...errorResponses },
      }),
      async (c) => c.json(await revokeToken(ctx, c.get('actor'), c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/users',
        operationId: 'createUser',
        tags: TAG,
        summary: '创建用户（管理员）',
        request: { body: jsonBody(UserInput) },
        responses: {
          201: jsonResponse(UserSchema, '已创建'),
          409: jsonResponse(ErrorSchema, '用户名已存在'),
          422: jsonResponse(ErrorSchema, '部门不存在'),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await createUser(ctx, c.get('actor'), c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/users',
        operationId: 'listUsers',
        tags: TAG,
        summary: '用户列表（管理员）',
        request: { query: z.object(Pagination) },
        responses: { 200: jsonResponse(itemsOf(UserSchema), '用户'), ...errorResponses },
      }),
      async (c) => c.json({ items: await listUsers(ctx, c.req.valid('query')) }, 200),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/api/users/{id}',
        operationId: 'updateUser',
        tags: TAG,
        summary: '修改用户（管理员）；停用立即使其会话与令牌失效',
        request: {
          params: IdParam,
          body: jsonBody(UserPatchInput),
        },
        responses: {
          200: jsonResponse(UserSchema, '已修改'),
          404: jsonResponse(ErrorSchema, '不存在'),
          422: jsonResponse(ErrorSchema, '不可能的修改'),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await updateUser(ctx, c.get('actor'), c.req.valid('param').id, c.req.valid('json')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/audit',
        operationId: 'listAudit',
        tags: TAG,
        summary: '审计日志：谁在何时改了什么（改前、改后）',
        request: {
          query: z.object({ ...AuditListQuery, ...Pagination }),
        },
        responses: { 200: jsonResponse(itemsOf(AuditSchema), '审计记录'), ...errorResponses },
      }),
      async (c) => c.json({ items: await listAudit(ctx, c.req.valid('query')) }, 200),
    );
}
