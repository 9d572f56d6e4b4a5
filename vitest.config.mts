import { defineConfig } from 'vitest/config';

// Two projects: `unit` runs in parallel on recorded input; `e2e` drives real auditd, bpftrace and
// a second Thrift implementation, one file at a time since they share the host's audit state.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
