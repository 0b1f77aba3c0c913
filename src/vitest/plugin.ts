/**
 * `memgate(options?)`, the vitest plugin. Its `config` hook sets what honest per-test figures need
 * (forks: RSS is per process, threads share one; `--expose-gc`), adds the setup file and the
 * reporter, and provides the resolved limits and baseline to the workers. Public extension points
 * only: no custom runner.
 */
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'
// Brings vitest's `test` section into vite's UserConfig (the plugin's config() hook sets it).
import type {} from 'vitest/config'
import { baselineMismatch, readVitestBaseline } from './baseline-store.js'
import type { ProvidedMemgate } from './hooks.js'
import { resolvePluginOptions, type MemgateVitestOptions } from './options.js'
import { MemgateReporter } from './reporter.js'

/** The setup file next to this module: `setup.js` when built, `setup.ts` from source. */
export function setupFilePath(): string {
  const here = dirname(fileURLToPath(import.meta.url))
  const js = join(here, 'setup.js')
  return existsSync(js) ? js : join(here, 'setup.ts')
}

/**
 * `--expose-gc` for the GC before every reading; `--no-flush-bytecode` because V8 otherwise drops
 * the bytecode of functions that have not run for a few GCs, so after-GC heap readings fall by tens
 * of KiB at unpredictable moments — noise larger than the leaks the matcher looks for.
 */
export const WORKER_FLAGS = ['--expose-gc', '--no-flush-bytecode']

type Arrayish<T> = T | T[] | undefined
const toArray = <T>(v: Arrayish<T>): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])

/**
 * The plugin. Options are checked here, once (unknown keys and bad sizes throw ConfigError).
 * @example
 * // vitest.config.ts
 * export default defineConfig({ plugins: [memgate({ peakRss: '500 MB', retained: '4 MB' })] })
 */
export function memgate(options: MemgateVitestOptions = {}): Plugin {
  const resolved = resolvePluginOptions(options, process.env)
  return {
    name: 'memgate:vitest',
    config(config) {
      const test = (config.test ??= {})
      const root = resolve(config.root ?? test.root ?? process.cwd())
      if (resolved.configurePool) {
        test.pool = 'forks'
        const execArgv = toArray(test.execArgv)
        test.execArgv = [...execArgv, ...WORKER_FLAGS.filter((f) => !execArgv.includes(f))]
      }
      const setup = setupFilePath()
      const setupFiles = toArray(test.setupFiles)
      if (!setupFiles.includes(setup)) test.setupFiles = [setup, ...setupFiles]
      const reporters = toArray(test.reporters as Arrayish<unknown>)
      test.reporters = [...(reporters.length > 0 ? reporters : ['default']), new MemgateReporter(resolved)] as typeof test.reporters
      let baseline: ProvidedMemgate['baseline'] = null
      if (resolved.baselineFile && resolved.worker.failOnIncrease) {
        const file = readVitestBaseline(resolve(root, resolved.baselineFile))
        const mismatch = file && baselineMismatch(file)
        if (mismatch) process.stderr.write(`memgate: ignoring the vitest baseline: ${mismatch}\n`)
        else if (file) baseline = file.tests
      }
      const provided: ProvidedMemgate = { options: resolved.worker, baseline, recordBaseline: resolved.updateBaseline && resolved.baselineFile !== null }
      test.provide = { ...test.provide, memgate: provided }
    },
  }
}
