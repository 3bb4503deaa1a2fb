import { serve, type ServerType } from '@hono/node-server';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from './app.js';
import { CHROMIUM } from './chromium-check.js';

/** Screenshots a reviewer can look at. */
export const SHOTS = 'test-output/screenshots';

export const password = (username: string) => `${username}-secret-pass`;

/** One account per role; the drafter drafts for fgw. */
export const PEOPLE = [
  { username: 'admin1', role: 'admin', departmentCodes: [] as string[] },
  { username: 'fgw01', role: 'drafter', departmentCodes: ['fgw'] },
  { username: 'xwb01', role: 'press', departmentCodes: [] as string[] },
  { username: 'leader1', role: 'leader', departmentCodes: [] as string[] },
] as const;

export interface BrowserApp {
  t: TestApp;
  base: string;
  /** A fresh browser context (its own cookies) and page; console errors and page errors are collected. */
  newPage(width?: number, height?: number): Promise<Page>;
  /** Signs in through /login and waits for the page it was sent to. */
  signIn(page: Page, username: string, path?: string): Promise<void>;
  /** A fresh page signed in as `username`, at `path`. */
  pageAs(username: string, path: string, width?: number, height?: number): Promise<Page>;
  /** Console errors and uncaught page errors seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * The real service on 127.0.0.1 (real SQLite, pinned clock) with departments fgw and jyj and the
 * PEOPLE accounts, and Debian's chromium driven by playwright-core. `bare`: a fresh service with
 * no department and no account, as on a first run.
 */
export async function startBrowserApp(now = '2026-11-20T10:00:00+08:00', options: { bare?: boolean } = {}): Promise<BrowserApp> {
  mkdirSync(SHOTS, { recursive: true });
  const t = await startTestApp({ now });
  if (!options.bare) {
    for (const [code, name] of [['fgw', '市发展改革委'], ['jyj', '市教育局']] as const) await t.call('POST', '/api/departments', { code, name });
    for (const p of PEOPLE) {
      const res = await t.call('POST', '/api/users', { ...p, displayName: p.username, password: password(p.username) });
      if (res.status !== 201) throw new Error(`user ${p.username}: ${JSON.stringify(res.body)}`);
    }
  }
  const server: ServerType = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const problems: string[] = [];
  const app: BrowserApp = {
    t,
    base,
    problems,
    async newPage(width = 1280, height = 900) {
      const page = await (await browser.newContext({ viewport: { width, height } })).newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      return page;
    },
    async signIn(page, username, path = '/') {
      await page.goto(`${base}${path}`);
      await page.waitForURL(/\/login\?next=/);
      await page.fill('input[name="username"]', username);
      await page.fill('input[name="password"]', password(username));
      await page.click('form[action="/login"] button[type="submit"]');
      await page.waitForURL(`${base}${path}`);
    },
    async pageAs(username, path, width, height) {
      const page = await app.newPage(width, height);
      await app.signIn(page, username, path);
      return page;
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      t.close();
    },
  };
  return app;
}

/**
 * Clicks a form's submit button and waits for the page the post leads to (after any redirect).
 * Returns the status of the post itself: 303 when it redirected, else the re-rendered page's.
 */
export async function submit(page: Page, button: Locator): Promise<number> {
  // waitForNavigation is deprecated for being racy when started after the click; started before
  // it, it is the one wait that also covers a post that redirects back to the same URL.
  const navigation = page.waitForNavigation();
  await button.click();
  const response = (await navigation)!;
  const post = response.request().redirectedFrom();
  return post ? (await post.response())!.status() : response.status();
}
