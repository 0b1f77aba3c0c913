/**
 * Named option sets. `default` follows PaddleOCR's inference defaults and the libraries' own
 * settings; `lean` is chosen by measurement (`npx tsx bench/engine-profiles.ts`, each variant in
 * a fresh process, 10 passes over three generated A4 invoices, compiled JS; 2-core shared VM):
 *
 * | variant                          | steady  | peak    | CPU/page |
 * | -------------------------------- | ------- | ------- | -------- |
 * | default                          | 581 MiB | 585 MiB | 4.2 s    |
 * | default, arena off               | 429 MiB | 518 MiB | 2.9 s    |
 * | lean                             | 245 MiB | 273 MiB | 2.6 s    |
 * | lean + MALLOC_ARENA_MAX=2 (env)  | 201 MiB | 232 MiB | 2.7 s    |
 * | lean, arena off                  | 254 MiB | 268 MiB | 2.4 s    |
 * | lean, recBatchSize 6             | 279 MiB | 337 MiB | 2.7 s    |
 * | lean, detTileSidePx 480 / no tiles | 276 / 372 MiB | 289 / 390 MiB | 2.3 / 2.1 s |
 *
 * What moved memory: detector tiles (the detector's working set grows faster than its input),
 * recognition batch 1 (no padding, smallest arena), memory pattern off, and glibc's per-thread
 * malloc arenas (set `MALLOC_ARENA_MAX=2` in the environment; the engine cannot). Turning the ORT
 * arena off did not help: RSS stayed up under glibc and pages took longer. Spinning threads doubled
 * CPU time for no gain on a shared machine.
 */
import { DEFAULT_MAX_INPUT_PIXELS } from './decode-limits.js'
import type { ResolvedEngineOptions } from './options.js'

/** Profile names accepted by `resolveEngineOptions({ profile })`. */
export type ProfileName = 'default' | 'lean'

type ProfileDefaults = Omit<ResolvedEngineOptions, 'profile' | 'models'>

const PADDLE: Pick<
  ProfileDefaults,
  'recPadRatio' | 'recSpaceThreshold' | 'detThreshold' | 'detBoxThreshold' | 'detUnclipRatio' | 'detMinSizePx' | 'detMaxBoxes' | 'minLineConfidence' | 'angleClassifier' | 'clsThreshold' | 'detTileOverlapPx'
> = {
  recPadRatio: 0.2,
  recSpaceThreshold: 0.03,
  detThreshold: 0.3,
  detBoxThreshold: 0.6,
  detUnclipRatio: 1.5,
  detMinSizePx: 3,
  detMaxBoxes: 1000,
  minLineConfidence: 0.5,
  angleClassifier: false,
  clsThreshold: 0.9,
  detTileOverlapPx: 96,
}

/** Every profile's defaults. */
export const PROFILES: Readonly<Record<ProfileName, ProfileDefaults>> = {
  default: {
    ...PADDLE,
    enableCpuMemArena: true,
    enableMemPattern: true,
    intraOpNumThreads: 0,
    interOpNumThreads: 0,
    allowSpinning: true,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    detMaxSidePx: 960,
    detTileSidePx: 960,
    recBatchSize: 6,
    maxInputPixels: DEFAULT_MAX_INPUT_PIXELS,
    sharpCache: true,
    sharpConcurrency: undefined,
  },
  lean: {
    ...PADDLE,
    enableCpuMemArena: true,
    enableMemPattern: false,
    intraOpNumThreads: 2,
    interOpNumThreads: 1,
    allowSpinning: false,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    detMaxSidePx: 960,
    detTileSidePx: 480,
    recBatchSize: 1,
    maxInputPixels: DEFAULT_MAX_INPUT_PIXELS,
    sharpCache: false,
    sharpConcurrency: 1,
  },
}
