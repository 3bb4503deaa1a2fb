import { existsSync } from 'node:fs';

/** Where the browser tests find Chromium (Debian's package; `npx playwright install` cannot work here). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Vitest global setup of the browser project: without Chromium the browser tests stop here with
 * one line saying what to install, instead of dozens of skipped tests and a stack trace each.
 */
export default function checkChromium(): void {
  if (!existsSync(CHROMIUM)) {
    const error = new Error(`浏览器测试需要 Chromium（${CHROMIUM}）：请先安装 —— sudo apt-get install chromium fonts-wqy-microhei`);
    error.stack = error.message;
    throw error;
  }
}
