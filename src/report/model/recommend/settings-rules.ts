/** Rules about settings: what changed settings did, threads, sharp's cache, glibc's arenas. */
import type { Recommendation } from '../recommendation.js'
import { settingValue, type SettingChange } from '../settings.js'
import type { RecommendationRule } from './context.js'

/**
 * Settings that can move memory: the engine's resolved options (the readings beside them, such as
 * sharp's cache limits, follow from these and would repeat them), the worker's flags and
 * environment, the allocator and the runtime.
 */
const EFFECTIVE = /^(engine\.options\.(?!profile$)|worker\.|environment\.(mallocArenaMax|ldPreload|node|libc)$)/

/** Settings shown in one recommendation; the settings section lists them all. */
const MAX_CHANGES = 6

/** In a comparison, what the differing settings did to peak RSS and throughput (attributed when only one differs). */
export const settingEffect: RecommendationRule = ({ before, settingChanges, headlineChanges }) => {
  if (!before) return []
  const changes: SettingChange[] = settingChanges.filter((c) => EFFECTIVE.test(c.key))
  if (changes.length === 0) return []
  const peak = headlineChanges.find((r) => r.key === 'peakRss')
  const throughput = headlineChanges.find((r) => r.key === 'throughput')
  return [
    {
      id: 'setting-effect',
      severity: 'medium',
      changes: changes.slice(0, MAX_CHANGES),
      peakDeltaBytes: peak?.delta ?? null,
      peakRatio: peak?.ratio ?? null,
      throughputRatio: throughput?.ratio ?? null,
      sole: changes.length === 1,
    },
  ]
}

/** ONNX Runtime with intra-op threads left at 0 (one per core) or above the core count. */
export const threads: RecommendationRule = ({ after }) => {
  const intra = settingValue(after.settings, 'engine.options.intraOpNumThreads')
  const cpus = after.run.environment.cpuCount
  if (typeof intra !== 'number' || cpus <= 0 || (intra !== 0 && intra <= cpus)) return []
  return [{ id: 'threads', severity: 'low', intraOpThreads: intra, cpuCount: cpus }]
}

/** sharp's operation cache is on. */
export const sharpCache: RecommendationRule = ({ after }) => {
  const max = settingValue(after.settings, 'engine.sharpCache.memoryMaxBytes')
  return typeof max === 'number' && max > 0 ? [{ id: 'sharp-cache', severity: 'low', cacheBytes: max }] : []
}

/** glibc and MALLOC_ARENA_MAX unset, neither in the environment nor given to the workers. */
export const mallocArena: RecommendationRule = ({ after }): Recommendation[] => {
  const libc = after.run.environment.libc
  if (!libc?.startsWith('glibc') || after.run.environment.mallocArenaMax !== null) return []
  if (settingValue(after.settings, 'worker.env.MALLOC_ARENA_MAX') !== undefined) return []
  return [{ id: 'malloc-arena', severity: 'low', libc }]
}
