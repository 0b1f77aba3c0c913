import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/fixtures/vitest-project is a project of its own, run by test/vitest in a child vitest.
    exclude: ['**/node_modules/**', 'test/fixtures/**'],
    // Native addons (onnxruntime, sharp) and memory figures want real processes, not worker threads.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
