import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Business dates must never depend on the machine's zone: run the suite in a zone far from
    // Shanghai so that an accidental local-time conversion fails loudly.
    env: { TZ: 'America/Los_Angeles' },
    testTimeout: 20_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/web/**'] } },
      // Pages in Chromium: without it the run stops at once with one line saying what to install.
      { extends: true, test: { name: 'browser', include: ['test/web/**/*.test.ts'], globalSetup: ['test/support/chromium-check.ts'] } },
    ],
  },
});
