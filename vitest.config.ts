import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Business dates must never depend on the machine's zone: run the suite in a zone far from
    // Shanghai so that an accidental local-time conversion fails loudly.
    env: { TZ: 'America/Los_Angeles' },
    testTimeout: 20_000,
  },
});
