/** Loading memgate.config with every section: TypeScript through tsx, JSON, and the errors users see. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/common/errors.js'
import { loadConfig, validateMemgateConfig } from '../../src/config/load.js'
import { resolveScenarioBudgets } from '../../src/config/budgets.js'
import { resolveCheckConfig } from '../../src/config/check-section.js'
import { defineConfig } from '../../src/config/define-config.js'
import { tempDir } from '../fixtures/gate/runs.js'

const SRC = join(import.meta.dirname, '..', '..', 'src', 'config', 'define-config.ts')

describe('memgate.config', () => {
  it('loads a TypeScript config written with defineConfig, units parsed', async () => {
    const dir = tempDir('memgate-config-')
    writeFileSync(
      join(dir, 'memgate.config.ts'),
      `import { defineConfig } from ${JSON.stringify(SRC)}\nconst repeat: number = 5\nexport default defineConfig({ run: { profile: 'lean' }, check: { repeat, onInconclusive: 'fail', noiseFloor: '1%' }, budgets: { peakRss: '450 MB', scenarios: { load: { drift: '1%' } } } })\n`,
    )
    const loaded = await loadConfig(dir)
    expect(loaded.file).toBe(join(dir, 'memgate.config.ts'))
    expect(loaded.baseDir).toBe(dir)
    expect(loaded.config.budgets?.peakRss).toBe(450_000_000)
    expect(loaded.config.budgets?.scenarios?.load?.drift).toBe(0.01)
    const check = resolveCheckConfig(loaded.config.check, {}, '/cwd', dir)
    expect(check).toEqual({
      policy: { minRepeats: 3, extraRepeats: 2, noiseFloor: 0.01, confidenceLevel: 0.95, onInconclusive: 'fail' },
      explain: true,
      baselineDir: join(dir, 'baselines'),
      repeat: 5,
      baselineRepeat: 5,
      scenarios: undefined,
      profile: undefined,
    })
    expect(resolveCheckConfig(loaded.config.check, { repeat: 2, explain: false, onInconclusive: 'warn', baselineDir: 'b', extraRepeats: 0 }, '/cwd', dir)).toMatchObject({
      policy: { onInconclusive: 'warn', extraRepeats: 0 },
      explain: false,
      baselineDir: '/cwd/b',
      repeat: 2,
      baselineRepeat: 2,
    })
  })

  it('rejects a negative --extra-repeats', () => {
    expect(() => resolveCheckConfig(undefined, { extraRepeats: -1 }, '/cwd', '/cwd')).toThrow('--extra-repeats must be a whole number ≥ 0 but received -1.')
  })

  it('loads JSON, and works without any config file', async () => {
    const dir = tempDir('memgate-config-')
    expect(await loadConfig(dir)).toEqual({ config: {}, file: null, baseDir: dir })
    writeFileSync(join(dir, 'custom.json'), JSON.stringify({ check: { baselineDir: 'bl' } }))
    expect((await loadConfig(dir, 'custom.json')).config).toEqual({ check: { baselineDir: 'bl' } })
    await expect(loadConfig(dir, 'missing.json')).rejects.toThrow(`Config file ${join(dir, 'missing.json')} does not exist; check --config.`)
  })

  it('names the file and key path of an unknown key or a bad unit', () => {
    const message = (raw: unknown) => {
      try {
        validateMemgateConfig(raw, 'memgate.config.ts')
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError)
        expect((error as ConfigError).code).toBe('CONFIG_INVALID')
        return (error as Error).message
      }
      throw new Error('expected a ConfigError')
    }
    expect(message({ budgets: { scenarios: { load: { drfit: '2%' } } } })).toBe("memgate.config.ts: budgets.scenarios.load.drfit: unknown key; did you mean 'drift'? Fix the config file (unknown keys are rejected).")
    expect(message({ chekc: {} })).toBe("memgate.config.ts: chekc: unknown key; did you mean 'check'? Fix the config file (unknown keys are rejected).")
    expect(message({ budgets: { regression: { unrelatedThing: 1 } } })).toBe('memgate.config.ts: budgets.regression.unrelatedThing: unknown key. Fix the config file (unknown keys are rejected).')
    expect(message({ budgets: { swap: '10 MBB' } })).toBe(
      "memgate.config.ts: budgets.swap: expected a size like '500 MB' or '1.5 GiB' or a number of bytes (or false to switch the budget off) but received \"10 MBB\". Fix the config file (unknown keys are rejected).",
    )
    expect(message({ check: { confidenceLevel: 0.8 } })).toMatch(/^memgate\.config\.ts: check\.confidenceLevel: /)
  })

  it("loads the project's own memgate.config.ts: the built-in budgets, memory regressions at +10%", async () => {
    const root = join(import.meta.dirname, '..', '..')
    const loaded = await loadConfig(root)
    expect(loaded.file).toBe(join(root, 'memgate.config.ts'))
    expect(loaded.config.check).toMatchObject({ scenarios: ['startup', 'load', 'stability', 'precision'], repeat: 3 })
    // The workload the committed baselines describe (npm start measures it).
    expect(loaded.config.run?.params).toEqual({ 'load.pages': 8, 'precision.limit': 12, 'stability.cycles': 8, 'stability.pagesPerCycle': 2 })
    // The built-in defaults, but for the two memory regressions (OCR workers move ~4% between
    // invocations; see the config's header).
    for (const name of ['startup', 'load', 'stability', 'precision']) {
      const defaults = resolveScenarioBudgets(undefined, name)
      const repo = resolveScenarioBudgets(loaded.config.budgets, name)
      expect(repo.limits).toEqual(defaults.limits)
      expect(repo.regressions).toEqual({ ...defaults.regressions, peakRss: { ...defaults.regressions.peakRss!, allowed: 0.1 }, retainedRss: { ...defaults.regressions.retainedRss!, allowed: 0.1 } })
    }
  })

  it('types and returns the config unchanged', () => {
    const config = { budgets: { peakRss: '1 GB' } }
    expect(defineConfig(config)).toBe(config)
  })
})
