// npm run demo: the service on a throw-away database filled with a realistic sample, and fixture
// feeds served on 127.0.0.1 and polled, so every page has something to show in one command.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN_ACTOR, SYSTEM_ACTOR, type Role } from '../../app/accounts/actor.js';
import { createUser } from '../../app/accounts/users.js';
import { runSweep } from '../../app/alerts.js';
import type { AppContext } from '../../app/context.js';
import { createDepartment } from '../../app/departments.js';
import { registerDocument } from '../../app/documents.js';
import { createIncident, fulfilCommitment, getIncident } from '../../app/incidents.js';
import { createInterpretation } from '../../app/interpretations.js';
import { createFeed, pollDueFeeds } from '../../app/monitoring/feeds.js';
import { readEnv } from './env.js';
import { startService } from './service.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ADMIN_TOKEN = 'demo-admin-token-not-for-production';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function rss(title: string, items: { title: string; description: string; hoursAgo: number; id: string }[], now: number): string {
  const entries = items
    .map(
      (i) => `<item><title>${escape(i.title)}</title><link>https://news.example.cn/${i.id}.html</link><guid>${i.id}</guid>
<description>${escape(i.description)}</description><pubDate>${new Date(now - i.hoursAgo * HOUR).toUTCString()}</pubDate></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${escape(title)}</title>${entries}</channel></rss>`;
}

/** Sample feeds, as sites publish them, on 127.0.0.1 only. */
async function startFixtureFeeds(now: number) {
  const feeds: Record<string, string> = {
    '/yjj.xml': rss('市应急管理局 · 突发事件信息', [
      { id: 'yjj-1', title: '某区化工厂发生爆炸 已致2人受伤', description: '今晨某区化工厂发生爆炸，已致2人受伤，消防救援力量正在现场处置。', hoursAgo: 1 },
      { id: 'yjj-2', title: '全市开展安全生产大检查', description: '各区各部门对重点行业领域开展安全生产大检查。', hoursAgo: 30 },
    ], now),
    '/news.xml': rss('本地新闻', [
      { id: 'news-1', title: '网传某小区项目拖欠工资 数十名工人讨薪', description: '有网民反映某小区建设项目拖欠农民工工资，数十名工人聚集讨薪。', hoursAgo: 3 },
      { id: 'news-2', title: '化工厂爆炸事故续报：受伤人员均已送医', description: '爆炸事故中受伤人员均已送医救治，伤情稳定。', hoursAgo: 0.5 },
      { id: 'news-3', title: '市政府召开常务会议 研究部署优化营商环境工作', description: '会议研究部署进一步优化营商环境、支持民营经济发展。', hoursAgo: 5 },
    ], now),
    '/edu.xml': rss('市教育局 · 通知公告', [
      { id: 'edu-1', title: '关于做好今冬明春学校食品安全工作的通知', description: '各区教育局要加强学校食堂食品安全管理，开展应急演练。', hoursAgo: 20 },
    ], now),
  };
  const server = createServer((req, res) => {
    const body = feeds[new URL(req.url ?? '/', 'http://localhost').pathname];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return { url: (path: string) => `http://127.0.0.1:${port}${path}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const PEOPLE: { username: string; displayName: string; role: Role; departmentCodes?: string[]; password: string }[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin', password: 'demo-admin-pass' },
  { username: 'fgw01', displayName: '发改委起草人', role: 'drafter', departmentCodes: ['fgw'], password: 'demo-fgw-pass' },
  { username: 'jyj01', displayName: '教育局起草人', role: 'drafter', departmentCodes: ['jyj'], password: 'demo-jyj-pass' },
  { username: 'xwb01', displayName: '新闻办值班', role: 'press', password: 'demo-press-pass' },
  { username: 'leader', displayName: '分管领导', role: 'leader', password: 'demo-leader-pass' },
];

async function seed(ctx: AppContext, feedUrl: (path: string) => string) {
  const now = ctx.now();
  const admin = ADMIN_TOKEN_ACTOR;
  for (const [code, name] of [['fgw', '市发展改革委'], ['jyj', '市教育局'], ['wjw', '市卫生健康委'], ['yjj', '市应急管理局']]) {
    await createDepartment(ctx, admin, { code: code!, name: name! });
  }
  for (const p of PEOPLE) await createUser(ctx, admin, p);

  // Documents in every status, dated relative to today.
  const doc = (fields: Parameters<typeof registerDocument>[2]) => registerDocument(ctx, admin, fields);
  const interpret = (documentIds: number[], title: string, form: 'text' | 'qa' | 'graphic' | 'press_conference', publishedAt: number) =>
    createInterpretation(ctx, admin, { title, form, publishedAt, documentIds });
  const onTime = await doc({ docNumber: '沪发改规〔2026〕5号', title: '关于促进民营经济发展的若干措施', departmentCode: 'fgw', publishedAt: now - 21 * DAY, importance: 'major' });
  await interpret([onTime.id], '一图读懂《关于促进民营经济发展的若干措施》', 'graphic', now - 20 * DAY);
  const late = await doc({ docNumber: '沪教规〔2026〕3号', title: '关于进一步规范中小学课后服务的通知', departmentCode: 'jyj', publishedAt: now - 28 * DAY });
  await interpret([late.id], '《关于进一步规范中小学课后服务的通知》答记者问', 'qa', now - 14 * DAY);
  await doc({ docNumber: '沪卫规〔2026〕8号', title: '关于优化基层医疗卫生服务的实施意见', departmentCode: 'wjw', publishedAt: now - 12 * DAY });
  await doc({ docNumber: '沪发改规〔2026〕7号', title: '关于完善政府定价成本监审的办法', departmentCode: 'fgw', publishedAt: now - 10 * DAY });
  await doc({ title: '关于做好今冬明春学校食品安全工作的通知', departmentCode: 'jyj', publishedAt: now - 2 * HOUR });
  await doc({ docNumber: '沪发改规〔2026〕9号', title: '关于支持新型储能高质量发展的若干政策', departmentCode: 'fgw', publishedAt: now - DAY });
  await doc({
    title: '关于调整机关内设机构职责的通知',
    departmentCode: 'fgw',
    publishedAt: now - 5 * DAY,
    requiresInterpretation: false,
    exemptReason: '内部机构调整，不涉及公众权利义务',
  });
  // A draft with its interpretation plan, waiting for 审签 (SPEC §12).
  await doc({
    docNumber: '沪发改规〔2026〕11号',
    title: '关于支持人工智能产业创新发展的若干措施',
    departmentCode: 'fgw',
    importance: 'major',
    plan: { forms: ['text', 'press_conference'], channels: ['gov_website', 'wechat'], leaderLed: true, responsibleName: '办公室 王敏' },
  });

  // Feeds on 127.0.0.1, polled now: the rules in feeds/rules.json open incidents from them.
  await createFeed(ctx, admin, { name: '市应急管理局 · 突发事件信息', url: feedUrl('/yjj.xml'), intervalMinutes: 10 });
  await createFeed(ctx, admin, { name: '本地新闻', url: feedUrl('/news.xml'), intervalMinutes: 10 });
  await createFeed(ctx, admin, { name: '市教育局 · 通知公告', url: feedUrl('/edu.xml'), intervalMinutes: 30 });
  const polled = await pollDueFeeds(ctx, SYSTEM_ACTOR);

  // One incident by hand, 4 hours in: its 5-hour clock is in its last hour; another already answered.
  await createIncident(ctx, admin, { title: '暴雨致地铁部分线路停运', severity: 'especially_major', startedAt: now - 4 * HOUR, departmentCode: 'yjj' });
  const answered = await createIncident(ctx, admin, { title: '网传某医院停诊系谣言', severity: 'general', startedAt: now - 10 * HOUR, departmentCode: 'wjw' });
  await fulfilCommitment(ctx, admin, answered.commitments[0]!.id, { at: now - 8 * HOUR, url: 'https://www.example.gov.cn/xw/1.html', note: '官方微博发布辟谣声明' });
  await getIncident(ctx, answered.id, now);
  await runSweep(ctx, now);
  return polled;
}

const dir = mkdtempSync(join(tmpdir(), 'policy-demo-'));
const feedsServer = await startFixtureFeeds(Date.now());
const service = await startService(
  readEnv({ DB_PATH: join(dir, 'demo.sqlite'), ADMIN_TOKEN, ALLOW_PRIVATE_FEEDS: '1' }),
);
const polled = await seed(service.ctx, feedsServer.url);

console.log(`
演示数据已就绪（临时数据库 ${dir}，退出即删除）：抓取 ${polled.feeds} 个订阅源，新条目 ${polled.new} 条，命中规则 ${polled.matched} 条。
打开 http://localhost:${service.port}/ ，用以下账户登录：
${PEOPLE.map((p) => `  ${p.role.padEnd(8)} ${p.username.padEnd(8)} 密码 ${p.password}`).join('\n')}
API 管理员令牌：${ADMIN_TOKEN}
按 Ctrl+C 退出。`);

async function stop() {
  await service.close();
  await feedsServer.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
