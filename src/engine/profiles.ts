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
  'recPadRatio' | 'recSpaceThreshold' | 'detThreshold' | 'detBoxThreshold' | 'detUnclipRatio' | 'detMinSizePx' | 'detMaxBoxes' | 'minLineConfidence' | 'angleClassifier' | 'clsThreshold' | 'detTileOverlapPx' | 'foldGraphs' | 'latin'
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
  foldGraphs: true,
  latin: 'auto',
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

/**
 * The process environment each profile is measured with and meant to run in. glibc's malloc
 * reads these once, when the process starts, so the engine cannot apply them to its own process:
 * memgate's scenario workers, `memgate ocr` and the benches start their processes with them, and
 * `settings()` reports which are missing. Other C libraries ignore them.
 *
 * - `MALLOC_ARENA_MAX=2`: glibc gives each thread that allocates (ONNX Runtime's pool, libuv's
 *   workers, libvips) an arena of its own, up to 8 per core, and freed memory stays in them.
 * - `MALLOC_MMAP_THRESHOLD_=131072`: blocks from 128 KiB up come from mmap and go back to the
 *   kernel when freed. By default glibc raises this threshold after each large free (up to
 *   32 MiB), after which a page's image buffers and tensors land in the heap and fragment it.
 *
 * Measured (`node --expose-gc .cache/bench-build/bench/engine.js`, see bench/engine.ts): with
 * both, lean's peak RSS over the A4 corpus drops by a fifth for about 5% more CPU per page.
 */
export const PROFILE_ENVIRONMENT: Readonly<Record<ProfileName, Readonly<Record<string, string>>>> = {
  default: {},
  lean: { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' },
}
