import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/common/errors.js'
import { resolveEngineOptions } from '../../src/engine/options.js'
import { PROFILE_ENVIRONMENT, PROFILES } from '../../src/engine/profiles.js'
import { profileEnvironmentStatus } from '../../src/engine/settings.js'

function configError(raw: unknown): ConfigError {
  try {
    resolveEngineOptions(raw)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error('expected resolveEngineOptions to throw')
}

describe('resolveEngineOptions', () => {
  it('fills every default from the default profile', () => {
    const o = resolveEngineOptions()
    expect(o).toEqual({ ...PROFILES.default, profile: 'default', models: {} })
    expect(o.detThreshold).toBe(0.3)
    expect(o.detBoxThreshold).toBe(0.6)
    expect(o.detUnclipRatio).toBe(1.5)
    expect(o.angleClassifier).toBe(false)
  })

  it('takes a named profile and lets fields override it', () => {
    const lean = resolveEngineOptions({ profile: 'lean' })
    expect(lean).toEqual({ ...PROFILES.lean, profile: 'lean', models: {} })
    const tuned = resolveEngineOptions({ profile: 'lean', recBatchSize: 3, models: { keys: '/tmp/keys.txt' } })
    expect(tuned.recBatchSize).toBe(3)
    expect(tuned.enableCpuMemArena).toBe(PROFILES.lean.enableCpuMemArena)
    expect(tuned.models).toEqual({ keys: '/tmp/keys.txt' })
  })

  it('is idempotent on its own output', () => {
    const once = resolveEngineOptions({ profile: 'lean', sharpCache: { memoryBytes: 10 * 1024 * 1024, files: 0, items: 10 } })
    expect(resolveEngineOptions(once)).toEqual(once)
  })

  it('rejects an unknown key, naming it', () => {
    const e = configError({ detThreshhold: 0.4 })
    expect(e.code).toBe('CONFIG_INVALID')
    expect(e.message).toContain('unknown engine option `detThreshhold`')
    expect(e.message).toContain('(did you mean `detThreshold`?)')
  })

  it('rejects an unknown model role, naming the nested key', () => {
    expect(configError({ models: { detector: 'x.onnx' } }).message).toContain('`models.detector`')
  })

  it.each([
    [{ detThreshold: 1.5 }, '`detThreshold`'],
    [{ recBatchSize: 0 }, '`recBatchSize`'],
    [{ detTileSidePx: 500 }, 'multiple of 32'],
    [{ detTileSidePx: 288 }, '`detTileSidePx`'],
    [{ executionMode: 'fast' }, '`executionMode`'],
    [{ profile: 'tiny' }, '`profile`'],
    [{ intraOpNumThreads: 1.5 }, '`intraOpNumThreads`'],
  ])('rejects %j', (raw, fragment) => {
    expect(configError(raw).message).toContain(fragment)
  })

  it('rejects a tile overlap as large as the tile', () => {
    expect(configError({ detTileSidePx: 384, detTileOverlapPx: 384 }).message).toMatch(/detTileOverlapPx.*smaller than.*detTileSidePx/)
  })

  it('rejects a non-object', () => {
    expect(configError('lean').message).toContain('Invalid engine options')
  })
})

describe('profileEnvironmentStatus', () => {
  it('lists the variables of the profile environment this process lacks or has otherwise', () => {
    expect(profileEnvironmentStatus('lean', { MALLOC_ARENA_MAX: '2' }, [])).toEqual({ recommended: PROFILE_ENVIRONMENT.lean, missing: ['MALLOC_MMAP_THRESHOLD_', 'NODE_OPTIONS'] })
    expect(profileEnvironmentStatus('lean', { MALLOC_ARENA_MAX: '8', MALLOC_MMAP_THRESHOLD_: '131072', NODE_OPTIONS: '--max-semi-space-size=2' }, []).missing).toEqual(['MALLOC_ARENA_MAX'])
    expect(profileEnvironmentStatus('lean', { ...PROFILE_ENVIRONMENT.lean }, []).missing).toEqual([])
    // The V8 flag counts wherever it was given, with V8's underscore spelling too; another value of it does not.
    expect(profileEnvironmentStatus('lean', { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', NODE_OPTIONS: '--trace-gc --max_semi_space_size=2' }, []).missing).toEqual([])
    expect(profileEnvironmentStatus('lean', { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' }, ['--max-semi-space-size=2']).missing).toEqual([])
    expect(profileEnvironmentStatus('lean', { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', NODE_OPTIONS: '--max-semi-space-size=8' }, []).missing).toEqual(['NODE_OPTIONS'])
    expect(profileEnvironmentStatus('default', {}, [])).toEqual({ recommended: {}, missing: [] })
  })
})
