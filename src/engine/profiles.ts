/**
 * Named option sets. `default` follows PaddleOCR's inference defaults and the libraries' own
 * settings; `lean` is chosen by measurement (`npm run bench:profiles -- --passes 6`: each variant
 * in a fresh process, 6 passes over three generated A4 invoices and one dense page of 50+ lines,
 * compiled JS, 2-core shared VM at load 1.2–2.0). "env" is lean's allocator environment
 * ({@link PROFILE_ENVIRONMENT}); every lean row but "plain env" runs with it.
 *
 * | variant                              | steady  | peak    | pages/s | CPU/page |
 * | ------------------------------------ | ------- | ------- | ------- | -------- |
 * | default                              | 695 MiB | 700 MiB | 0.94    | 1.96 s   |
 * | default, arena off                   | 731 MiB | 823 MiB | 1.01    | 1.94 s   |
 * | default, lean env                    | 569 MiB | 608 MiB | 1.04    | 1.89 s   |
 * | lean, plain env                      | 304 MiB | 306 MiB | 0.96    | 1.78 s   |
 * | lean, MALLOC_ARENA_MAX=2 only        | 247 MiB | 272 MiB | 0.89    | 1.77 s   |
 * | lean, MALLOC_MMAP_THRESHOLD_ only    | 238 MiB | 257 MiB | 0.83    | 1.81 s   |
 * | **lean**                             | 223 MiB | 253 MiB | 0.91    | 1.86 s   |
 * | lean, foldGraphs off                 | 248 MiB | 269 MiB | 0.57    | 2.92 s   |
 * | lean, arena off                      | 154 MiB | 210 MiB | 0.36    | 4.80 s   |
 * | lean, memory pattern on              | 250 MiB | 284 MiB | 0.92    | 1.85 s   |
 * | lean, 1 intra-op thread              | 226 MiB | 247 MiB | 0.61    | 1.71 s   |
 * | lean, spinning threads               | 234 MiB | 253 MiB | 0.96    | 2.04 s   |
 * | lean, detTileSidePx 384 / 640 / off  | 226 / 231 / 296 MiB | 260 / 262 / 336 MiB | 0.99 / 0.98 / 1.00 | 1.72 / 1.74 / 1.69 s |
 * | lean, recBatchSize 6                 | 289 MiB | 334 MiB | 1.03    | 1.75 s   |
 *
 * What moved memory: glibc's allocator settings (per-thread arenas, and the mmap threshold that
 * glibc otherwise raises after each large free, after which big blocks stay in its heap), detector
 * tiles (the detector's working set grows faster than its input), recognition one line at a time,
 * memory pattern off. ONNX Runtime's arena off gives the lowest RSS with the lean environment, but
 * every tensor then costs fresh pages from the kernel: 2.6× the CPU per page, so it stays on. Two
 * intra-op threads cost ~8% more CPU than one and read pages 1.5× faster. Peak differences under
 * ~10 MiB are within this machine's run-to-run noise.
 */
import { DEFAULT_MAX_INPUT_PIXELS } from './decode/decode-limits.js'
import type { ResolvedEngineOptions } from './options.js'

/**
 * The profile names accepted by `resolveEngineOptions({ profile })`: the one list every choice of
 * a profile (zod enums, command-line choices) is derived from.
 */
export const PROFILE_NAMES = ['default', 'lean'] as const

/** A profile name (one of {@link PROFILE_NAMES}). */
export type ProfileName = (typeof PROFILE_NAMES)[number]

/** The profile used when none is given. */
export const DEFAULT_PROFILE: ProfileName = 'default'

/** The memory-lean profile chosen by measurement: what memgate's OCR scenarios and baselines run. */
export const LEAN_PROFILE: ProfileName = 'lean'

/** True when `name` is one of {@link PROFILE_NAMES}. */
export function isProfileName(name: unknown): name is ProfileName {
  return (PROFILE_NAMES as readonly unknown[]).includes(name)
}

/** The lean profile's decode cap: 2.5 MP, 7.5 MB of RGB (a 150-dpi A4 page, 2.2 MP, decodes at full size). */
export const LEAN_MAX_DECODED_PIXELS = 2_500_000

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
    maxDecodedPixels: 0,
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
    // Peak RSS independent of the input's resolution (issue 16): see bench/engine-large.ts.
    maxDecodedPixels: LEAN_MAX_DECODED_PIXELS,
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
 * - `NODE_OPTIONS=--max-semi-space-size=2`: V8's young generation otherwise grows to 16 MiB per
 *   semi-space while the engine opens (the graph folds) and reads pages, and stays there: 25–35 MiB
 *   of RSS nothing uses between pages. Appended to a user's own NODE_OPTIONS, never replacing it
 *   (see {@link profileEnvironmentToAdd}); a user's own `--max-semi-space-size` wins.
 *
 * Measured (`node --expose-gc .cache/bench-build/bench/engine.js`, see bench/engine.ts): with
 * both malloc settings, lean's peak RSS over the A4 corpus drops by a fifth for about 5% more CPU
 * per page. The semi-space cap, on top (`memgate run load --param load.pages=6`, 3 interleaved
 * pairs each, quiet, load 2.3–2.7): 2 MiB — peak 227–237 → 203–211 MiB, retained 204–213 →
 * 174–189 MiB, within-stage fluctuation 17–32 → 23–31 MiB, CPU per page 1,043–1,107 → 966–1,129
 * ms; 1 MiB (5–6 repeats, load 10–12) cut as much but swung more within a stage (27–55 MiB, over
 * the 50 MB fluctuation budget in some repeats), so 2. With 1 MiB, `bench/engine-large.ts`'s
 * largest input peaked at 199 MiB (233 without) and 60 phone-photo receipts in one `memgate ocr`
 * process at 207 MiB (262 without).
 */
export const PROFILE_ENVIRONMENT: Readonly<Record<ProfileName, Readonly<Record<string, string>>>> = {
  default: {},
  lean: { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', NODE_OPTIONS: '--max-semi-space-size=2' },
}

/** The option name of a `--flag=value` or `--flag` token (`--max_semi_space_size` and `--max-semi-space-size` are one flag to V8). */
const flagName = (token: string): string => token.split('=')[0]!.replace(/_/g, '-')

/**
 * The recommended NODE_OPTIONS flags not in `nodeOptions` nor `execArgv`: by option name when
 * `exact` is false (a user's own value of the option counts as set), else by name and value.
 */
function missingNodeFlags(recommended: string, nodeOptions: string | undefined, execArgv: readonly string[], exact = false): string[] {
  const key = (t: string) => (exact ? t.replace(/^--[^=]*/, flagName) : flagName(t))
  const have = new Set([...(nodeOptions ?? '').split(/\s+/), ...execArgv].filter(Boolean).map(key))
  return recommended.split(/\s+/).filter((t) => t && !have.has(key(t)))
}

/**
 * What to add to `env` for a process started in `profile`'s environment: the variables it lacks
 * (a user's own values win), and NODE_OPTIONS extended with the recommended V8 flags it lacks
 * (a user's other flags kept). glibc's `MALLOC_*` only where `glibc` is true: elsewhere they mean
 * nothing. Empty when nothing is missing.
 * @example profileEnvironmentToAdd('lean', { NODE_OPTIONS: '--trace-gc' }) // { MALLOC_ARENA_MAX: '2', …, NODE_OPTIONS: '--trace-gc --max-semi-space-size=2' }
 */
export function profileEnvironmentToAdd(profile: ProfileName, env: Readonly<Record<string, string | undefined>>, options: { glibc?: boolean; execArgv?: readonly string[] } = {}): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(PROFILE_ENVIRONMENT[profile])) {
    if (k === 'NODE_OPTIONS') {
      const flags = missingNodeFlags(v, env.NODE_OPTIONS, options.execArgv ?? [])
      if (flags.length > 0) out[k] = [env.NODE_OPTIONS ?? '', ...flags].join(' ').trim()
    } else if (env[k] === undefined && ((options.glibc ?? true) || !k.startsWith('MALLOC_'))) out[k] = v
  }
  return out
}

/** Names of `profile`'s recommended environment that `env` (and `execArgv`, for V8 flags) lacks or has otherwise. */
export function missingProfileEnvironment(profile: ProfileName, env: Readonly<Record<string, string | undefined>>, execArgv: readonly string[] = []): string[] {
  return Object.entries(PROFILE_ENVIRONMENT[profile])
    .filter(([k, v]) => (k === 'NODE_OPTIONS' ? missingNodeFlags(v, env.NODE_OPTIONS, execArgv, true).length > 0 : env[k] !== v))
    .map(([k]) => k)
}
