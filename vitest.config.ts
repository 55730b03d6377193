import { defineConfig } from 'vitest/config';

// Unit tests of the app (src/) and of the training workspace (training/): one runner, one command.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'training/test/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
