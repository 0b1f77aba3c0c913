/**
 * Engine options: what a caller may set, validated once (unknown keys rejected) and filled from a
 * named profile into {@link ResolvedEngineOptions}. The inner modules never see raw options.
 */
import { z } from 'zod'
import { ConfigError } from '../common/errors.js'
import { levenshtein } from '../common/text-metrics.js'
import type { ModelPaths } from './model/models.js'
import { DEFAULT_PROFILE, PROFILE_NAMES, PROFILES, type ProfileName } from './profiles.js'

/** sharp's operation cache limits (`sharp.cache()`), or `false` to turn the cache off. */
export type SharpCacheOption = boolean | { memoryBytes: number; files: number; items: number }

/**
 * Options of {@link openEngine}. Every field is optional; unset fields come from the profile.
 * @example openEngine({ profile: 'lean', recBatchSize: 8 })
 */
export interface EngineOptions {
  /** Named set of defaults; other fields override it. @default 'default' */
  profile?: ProfileName

  /** ONNX Runtime CPU arena: keeps freed blocks for reuse (fast, but RSS stays at its high-water mark). @default true */
  enableCpuMemArena?: boolean
  /** ONNX Runtime memory pattern: pre-plans one block per input shape; costs memory when shapes vary. @default true ('default'), false ('lean') */
  enableMemPattern?: boolean
  /** Threads inside one operator; 0 lets ONNX Runtime pick (one per physical core). @default 0 ('default'), 2 ('lean') */
  intraOpNumThreads?: number
  /** Threads across operators in `parallel` mode; 0 lets ONNX Runtime pick. @default 0 ('default'), 1 ('lean') */
  interOpNumThreads?: number
  /**
   * Let ONNX Runtime's worker threads busy-wait between operators (`session.intra_op.allow_spinning`
   * and `session.inter_op.allow_spinning`). On by default in ONNX Runtime; off, two threads used
   * no more CPU than one on this project's shared 2-core machine, and finished sooner under load.
   * @default true ('default'), false ('lean')
   */
  allowSpinning?: boolean
  /** Operator scheduling. @default 'sequential' */
  executionMode?: 'sequential' | 'parallel'
  /** Graph optimisation before the first run. @default 'all' */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all'
  /**
   * Fold the element-wise chains PaddleOCR's exporter leaves around convolutions (scalar affines,
   * hard-swish) into the convolutions and HardSigmoid when a session opens, in memory (see
   * `onnx-fold.ts`). Exact up to float rounding (outputs differ by ~1e-6); measured 30% less time
   * per detector and recogniser run. Off loads the model files as they are.
   * @default true
   */
  foldGraphs?: boolean

  /** Long side of the detector input, pixels (PaddleOCR `det_limit_side_len`); pages are scaled down to it, never up. @default 960 */
  detMaxSidePx?: number
  /**
   * Largest detector tile side, pixels, multiple of 32 ≥ 384; bounds the detector's working memory
   * on any page size. Smaller tiles break detection (measured: 288 px tiles turned a dense page's
   * 54 lines into 93 pieces, 32% CER): the network's squeeze-excitation and large-kernel layers
   * need a wide view of the page.
   * @default 960 ('default'), 480 ('lean')
   */
  detTileSidePx?: number
  /** Overlap of neighbouring detector tiles, pixels, multiple of 32, less than the tile side. @default 96 */
  detTileOverlapPx?: number
  /** Probability above which a detector pixel is text (PaddleOCR `det_db_thresh`), 0..1. @default 0.3 */
  detThreshold?: number
  /** Minimum mean probability of a text box (PaddleOCR `det_db_box_thresh`), 0..1. @default 0.6 */
  detBoxThreshold?: number
  /** How far boxes grow around the detected kernel (PaddleOCR `det_db_unclip_ratio`). @default 1.5 */
  detUnclipRatio?: number
  /** Smallest box short side, detector pixels (PaddleOCR `min_size`). @default 3 */
  detMinSizePx?: number
  /** At most this many text regions per page (PaddleOCR `max_candidates`). @default 1000 */
  detMaxBoxes?: number

  /** Lines per recognition batch; lines are grouped by width so padding stays small; 1 avoids padding and kept peak memory lowest. @default 6 ('default'), 1 ('lean') */
  recBatchSize?: number
  /**
   * Background frame around each line in the recogniser's 48-pixel strip, as a fraction of the
   * text height (0 = PaddleOCR's tight crop). The PP-OCRv4 recogniser drops word spaces when
   * glyphs fill the strip; 0.2 brought the CER of rendered Latin pages from 1–13% to ≤ 0.3%.
   * @default 0.2
   */
  recPadRatio?: number
  /**
   * A blank gap between two characters whose space-class probability reaches this is read as a
   * space, 0..1 (1 = plain greedy CTC, as PaddleOCR). 0.03 cut the CER of noisy, JPEG and photo
   * fixtures by 2–4× with no false spaces on clean pages.
   * @default 0.03
   */
  recSpaceThreshold?: number
  /** Lines whose recognition confidence is below this are dropped (PaddleOCR `drop_score`), 0..1. @default 0.5 */
  minLineConfidence?: number

  /** Run the 0/180° angle classifier on each line (PaddleOCR `use_angle_cls`). @default false */
  angleClassifier?: boolean
  /** "180°" probability above which a line is turned (PaddleOCR `cls_thresh`), 0..1. @default 0.9 */
  clsThreshold?: number

  /**
   * Restoring the Latin characters the PP-OCRv4 dictionary lacks (ñ ç ã õ â ê ô € º ª ¿ ¡) from a
   * lexicon, context rules and the decoder's runner-ups (see `latin/`): `auto` detects each page's
   * language (es, pt, en; others are left as read), a language code forces it, `off` returns the
   * recogniser's text as it is.
   * @default 'auto'
   */
  latin?: 'auto' | 'off' | 'es' | 'pt' | 'en'

  /** Images with more pixels are rejected from their header, before decoding. @default 40_000_000 (an A4 page at 600 dpi is 34.8 MP) */
  maxInputPixels?: number

  /**
   * Larger images are scaled down while they are decoded (libjpeg's and libwebp's shrink-on-load,
   * then libvips' streaming resize), so a page's pixels never cost more than this many × 3 bytes
   * whatever the input's resolution; boxes are still reported in the input's pixels. 0 = off.
   * @default 0 ('default'), 2_500_000 ('lean': a 24 MP photo decodes at 1936×1290, a 300-dpi A4 at ~160 dpi)
   */
  maxDecodedPixels?: number

  /** sharp's process-wide operation cache, applied at open. `true` is sharp's own default (50 MB, 20 files, 100 items). @default true ('default'), false ('lean') */
  sharpCache?: SharpCacheOption
  /** sharp's process-wide libvips thread count, applied at open; 0 = one per CPU core; unset leaves sharp's choice. @default unset ('default'), 1 ('lean') */
  sharpConcurrency?: number

  /** Model files to use instead of the bundled PP-OCRv4 ones (then checked for existence only). */
  models?: ModelPaths
}

/** Options with every default filled. `sharpConcurrency` stays undefined when sharp keeps its own choice. */
export type ResolvedEngineOptions = Required<Omit<EngineOptions, 'models' | 'sharpConcurrency'>> & {
  sharpConcurrency: number | undefined
  models: ModelPaths
}

const multipleOf32 = (min: number) => z.number().int().min(min).refine((n) => n % 32 === 0, { message: 'must be a multiple of 32' })
const unit = z.number().min(0).max(1)

const schema = z.strictObject({
  profile: z.enum(PROFILE_NAMES).optional(),
  enableCpuMemArena: z.boolean().optional(),
  enableMemPattern: z.boolean().optional(),
  intraOpNumThreads: z.number().int().min(0).max(256).optional(),
  interOpNumThreads: z.number().int().min(0).max(256).optional(),
  allowSpinning: z.boolean().optional(),
  executionMode: z.enum(['sequential', 'parallel']).optional(),
  graphOptimizationLevel: z.enum(['disabled', 'basic', 'extended', 'all']).optional(),
  foldGraphs: z.boolean().optional(),
  detMaxSidePx: z.number().int().min(32).max(16384).optional(),
  detTileSidePx: multipleOf32(384).optional(),
  detTileOverlapPx: multipleOf32(0).optional(),
  detThreshold: unit.optional(),
  detBoxThreshold: unit.optional(),
  detUnclipRatio: z.number().min(0).max(10).optional(),
  detMinSizePx: z.number().min(0).optional(),
  detMaxBoxes: z.number().int().min(1).optional(),
  recBatchSize: z.number().int().min(1).max(256).optional(),
  recPadRatio: z.number().min(0).max(2).optional(),
  recSpaceThreshold: unit.optional(),
  minLineConfidence: unit.optional(),
  angleClassifier: z.boolean().optional(),
  clsThreshold: unit.optional(),
  latin: z.enum(['auto', 'off', 'es', 'pt', 'en']).optional(),
  maxInputPixels: z.number().int().min(1).optional(),
  maxDecodedPixels: z.number().int().min(0).optional(),
  sharpCache: z.union([z.boolean(), z.strictObject({ memoryBytes: z.number().int().min(0), files: z.number().int().min(0), items: z.number().int().min(0) })]).optional(),
  sharpConcurrency: z.number().int().min(0).max(1024).optional(),
  models: z.strictObject({ det: z.string().min(1).optional(), rec: z.string().min(1).optional(), cls: z.string().min(1).optional(), keys: z.string().min(1).optional() }).optional(),
})

/** Names the offending key and says what was expected, for one zod issue. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const at = issue.path.map(String).join('.')
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys(at === 'models' ? { det: 1, rec: 1, cls: 1, keys: 1 } : schema.shape)
    const named = issue.keys.map((k) => {
      const near = known.find((n) => levenshtein(n.toLowerCase(), k.toLowerCase()) <= 2)
      return `\`${at ? `${at}.` : ''}${k}\`${near ? ` (did you mean \`${near}\`?)` : ''}`
    })
    return `unknown engine option ${named.join(', ')}; known options: ${known.join(', ')}`
  }
  return `engine option \`${at || '(root)'}\`: ${issue.message}`
}

/**
 * Validates raw engine options (from code, JSON or the CLI) and fills defaults from the profile.
 * Throws `ConfigError` (`CONFIG_INVALID`) naming the offending key.
 * @example resolveEngineOptions({ profile: 'lean', recBatchSize: 4 })
 */
export function resolveEngineOptions(raw: unknown = {}): ResolvedEngineOptions {
  const parsed = schema.safeParse(raw ?? {})
  if (!parsed.success) {
    throw new ConfigError(`Invalid engine options: ${parsed.error.issues.map(describeIssue).join('; ')}.`, { cause: parsed.error })
  }
  const given = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as EngineOptions
  const profile = given.profile ?? DEFAULT_PROFILE
  const resolved: ResolvedEngineOptions = { ...PROFILES[profile], ...given, profile, models: { ...given.models } }
  if (resolved.detTileOverlapPx >= resolved.detTileSidePx) {
    throw new ConfigError(`Invalid engine options: engine option \`detTileOverlapPx\` (${resolved.detTileOverlapPx}) must be smaller than \`detTileSidePx\` (${resolved.detTileSidePx}).`)
  }
  return resolved
}
