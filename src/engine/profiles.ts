/**
 * Named option sets. `default` follows PaddleOCR's inference defaults and the libraries' own
 * settings; `lean` is chosen by measurement (bench/engine-profiles.ts, figures in its header).
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
    detTileSidePx: 320,
    recBatchSize: 1,
    maxInputPixels: DEFAULT_MAX_INPUT_PIXELS,
    sharpCache: false,
    sharpConcurrency: 1,
  },
}
