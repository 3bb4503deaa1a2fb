import type { Context } from 'hono';
import type { AuthEnv } from '../http/auth.js';
import { Layout } from './layout.js';

/** The page a role may not see: 403, in words. */
export function forbiddenPage(c: Context<AuthEnv>, what = '此页面') {
  return c.html(
    <Layout title="无权访问" actor={c.get('actor')}>
      <h1>无权访问</h1>
      <p class="notice">当前角色无权查看{what}。如需访问，请联系管理员。</p>
    </Layout>,
    403,
  );
}

export function notFoundPage(c: Context<AuthEnv>, what: string) {
  return c.html(
    <Layout title="未找到" actor={c.get('actor')}>
      <h1>未找到</h1>
      <p class="notice">{what}不存在或已被删除。</p>
    </Layout>,
    404,
  );
}
