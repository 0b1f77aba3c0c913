import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, UsageError } from '../../src/common/errors.js'
import { DEFAULT_SUITE, loadConfig, resolveRunOptions } from '../../src/config/index.js'

describe('resolveRunOptions', () => {
  it('runs the default suite, each scenario as its own default variant, when nothing is named', () => {
    const o = resolveRunOptions({}, undefined, '/w')
    expect(o).toEqual({
      scenarios: ['startup', 'load', 'stability', 'precision'],
      defaultSuite: true,
      repeat: 1,
      variant: null,
      params: [],
      snapshots: null,
      timeoutMs: 900_000,
      intervalMs: 100,
      nodeFlags: [],
      env: {},
      memoryLimitBytes: null,
      outDir: '/w/reports',
    })
    expect(DEFAULT_SUITE).toEqual(o.scenarios)
  })

  it('leaves the variant to the scenarios for named scenarios and resolves paths against cwd', () => {
    const o = resolveRunOptions({ scenarios: ['load', './mine.ts', '/abs/x.js'] }, undefined, '/w')
    expect(o.scenarios).toEqual(['load', '/w/mine.ts', '/abs/x.js'])
    expect(o.variant).toBeNull()
    expect(o.defaultSuite).toBe(false)
  })

  it('lets flags override the config, which overrides the defaults', () => {
    const config = { scenarios: ['./s.js'], repeat: 3, profile: 'lean' as const, params: { pages: 4, 'load.lang': 'es' }, timeoutMs: 60_000, nodeFlags: ['--a'], env: { A: '1', B: '2' }, memoryLimit: '1 GiB', outDir: 'out' }
    const o = resolveRunOptions({ repeat: 5, params: ['pages=2'], timeoutSec: 30, nodeFlags: ['--b'], env: ['B=3'], snapshots: 'stages' }, config, '/w', '/cfg')
    expect(o).toMatchObject({
      scenarios: ['/cfg/s.js'],
      repeat: 5,
      variant: 'lean',
      timeoutMs: 30_000,
      nodeFlags: ['--a', '--b'],
      env: { A: '1', B: '3' },
      memoryLimitBytes: 1024 ** 3,
      outDir: '/cfg/out',
      snapshots: 'stages',
    })
    // Config assignments first, command line last: the later one wins when both set a key.
    expect(o.params).toEqual([
      { scenario: null, key: 'pages', value: 4, fromConfig: true },
      { scenario: 'load', key: 'lang', value: 'es', fromConfig: true },
      { scenario: null, key: 'pages', value: '2' },
    ])
  })

  it.each([
    [{ repeat: 0 }, '--repeat must be a whole number from 1 to 100000 but received 0.'],
    [{ repeat: 1e300 }, '--repeat must be a whole number from 1 to 100000 but received 1e+300.'],
    [{ timeoutSec: 1e300 }, '--timeout must be a positive number of seconds up to 2147483.647 but received 1e+300.'],
    [{ intervalMs: 1e300 }, '--interval must be from 1 ms to 2147483647 ms but received 1e+300.'],
    [{ timeoutSec: -1 }, '--timeout must be a positive number of seconds up to 2147483.647 but received -1.'],
    [{ snapshots: 'all' }, '--snapshots must be one of none, stages but received "all".'],
    [{ env: ['1X=2'] }, '--env "1X=2" is not NAME=value; write e.g. --env MALLOC_ARENA_MAX=2.'],
  ])('rejects %j', (flags, message) => {
    expect(() => resolveRunOptions(flags, undefined, '/w')).toThrow(UsageError)
    expect(() => resolveRunOptions(flags, undefined, '/w')).toThrow(message)
  })
})

describe('config files', () => {
  it('works without a file, loads JSON and TypeScript, and accepts the other sections', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memgate-config-'))
    expect(await loadConfig(dir)).toEqual({ config: {}, file: null, baseDir: dir })
    // A config with budgets is valid for `memgate run` too: one file serves every command.
    writeFileSync(join(dir, 'memgate.config.json'), JSON.stringify({ run: { repeat: 2 }, budgets: { peakRss: '500 MB' } }))
    expect((await loadConfig(dir)).config.run).toEqual({ repeat: 2 })
    const ts = join(dir, 'other.config.ts')
    writeFileSync(ts, "const n: number = 4\nexport default { run: { repeat: n, profile: 'lean' } }\n")
    expect(await loadConfig(dir, 'other.config.ts')).toEqual({ config: { run: { repeat: 4, profile: 'lean' } }, file: ts, baseDir: dir })
    await expect(loadConfig(dir, 'missing.json')).rejects.toThrow(/missing\.json does not exist; check --config/)
  })

  it('rejects unknown keys in the run section with their path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memgate-config-'))
    writeFileSync(join(dir, 'memgate.config.json'), JSON.stringify({ run: { repaet: 3 } }))
    await expect(loadConfig(dir)).rejects.toThrow(ConfigError)
    await expect(loadConfig(dir)).rejects.toThrow(/memgate\.config\.json: .*run.*repaet/)
  })
})
