// The main suite's settings plus memgate's plugin, for bench/vitest.ts (overhead with and without;
// MEMGATE_BENCH_GC_EVERY_TEST=1 measures the `gcEveryTest` option too).
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { memgate } from '../../src/vitest/index.js'

const out = process.env.MEMGATE_BENCH_OUT ?? fileURLToPath(new URL('../../.cache/vitest-overhead', import.meta.url))

export default defineConfig({
  plugins: [memgate({ outputFile: `${out}/memory.json`, junitFile: false, baselineFile: null, gcEveryTest: process.env.MEMGATE_BENCH_GC_EVERY_TEST === '1' })],
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
