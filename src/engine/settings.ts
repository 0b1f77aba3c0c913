/**
 * The engine's effective native settings, recorded with every run: memory figures mean little
 * without the allocator, arena, thread and cache settings that produced them (DESIGN.md, Honest
 * figures).
 */
import { glibcVersion } from '../common/libc.js'
import type { ModelFileInfo } from './model/models.js'
import type { FoldReport } from './model/onnx-fold.js'
import type { SharpFactory } from './decode/decode-sharp.js'
import type { OrtModule } from './model/native.js'
import type { ResolvedEngineOptions } from './options.js'
import { missingProfileEnvironment, PROFILE_ENVIRONMENT, type ProfileName } from './profiles.js'
import type { SessionSettings } from './model/sessions.js'

/** sharp's cache as `sharp.cache()` reports it, in bytes. */
export interface SharpCacheSettings {
  /** Limit of the operation cache's memory, bytes (0 = off). */
  memoryMaxBytes: number
  /** Memory the cache holds now, bytes. */
  memoryCurrentBytes: number
  filesMax: number
  itemsMax: number
}

/** What `OcrEngine.settings()` returns. */
export interface EngineSettings {
  profile: ProfileName
  /** onnxruntime-node version, e.g. `1.30.0`. */
  onnxruntimeVersion: string
  /** `sharp.versions`: sharp, libvips and the codecs. */
  sharpVersions: Record<string, string | undefined>
  /** Options actually passed to each ONNX Runtime session; `cls` is null when the classifier is off. */
  sessions: { det: SessionSettings; rec: SessionSettings; cls: SessionSettings | null }
  /** Model files in use, with sha256 and how they were checked. */
  models: ModelFileInfo[]
  /** What `foldGraphs` changed in each model's graph (in memory); null: loaded as it is. */
  modelFolds: { det: FoldReport | null; rec: FoldReport | null; cls: FoldReport | null }
  sharpCache: SharpCacheSettings
  /** `sharp.concurrency()`: libvips threads per image. */
  sharpConcurrency: number
  /** `MALLOC_ARENA_MAX` as this process saw it, or null when unset. */
  mallocArenaMax: string | null
  /** Every `MALLOC_*` variable this process saw (glibc's allocator settings), by name. */
  mallocEnv: Record<string, string>
  /** V8's and Node's flags as this process saw them (NODE_OPTIONS, then the command line's), e.g. lean's `--max-semi-space-size=2`. */
  nodeFlags: string[]
  /** The profile's recommended environment ({@link PROFILE_ENVIRONMENT}) and the names this process lacks or has otherwise. */
  profileEnvironment: { recommended: Record<string, string>; missing: string[] }
  /** `LD_PRELOAD` (e.g. jemalloc), or null when unset. */
  ldPreload: string | null
  /** `process.version`, e.g. `v20.20.2`. */
  nodeVersion: string
  /** glibc version at runtime, or null on other C libraries (musl, macOS, Windows). */
  glibcVersion: string | null
  /** Every resolved engine option. */
  options: ResolvedEngineOptions
}

/** Reads the live settings (sharp's are process-wide, so they are read now, not remembered). */
export function collectSettings(input: {
  ort: OrtModule
  sharp: SharpFactory
  options: ResolvedEngineOptions
  sessions: EngineSettings['sessions']
  models: ModelFileInfo[]
  folds: EngineSettings['modelFolds']
}): EngineSettings {
  // sharp.cache() with no argument reports without changing anything; memory is in MB.
  const cache = input.sharp.cache()
  const mb = 1024 * 1024
  return {
    profile: input.options.profile,
    onnxruntimeVersion: input.ort.env.versions.node ?? input.ort.env.versions.common,
    sharpVersions: { ...input.sharp.versions },
    sessions: input.sessions,
    models: input.models.map((m) => ({ ...m })),
    modelFolds: structuredClone(input.folds),
    sharpCache: {
      memoryMaxBytes: cache.memory.max * mb,
      memoryCurrentBytes: cache.memory.current * mb,
      filesMax: cache.files.max,
      itemsMax: cache.items.max,
    },
    sharpConcurrency: input.sharp.concurrency(),
    mallocArenaMax: process.env.MALLOC_ARENA_MAX ?? null,
    nodeFlags: [...(process.env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean), ...process.execArgv.filter((a) => a.startsWith('--') && !a.startsWith('--import') && !a.startsWith('--require'))],
    mallocEnv: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('MALLOC_') && e[1] !== undefined)),
    profileEnvironment: profileEnvironmentStatus(input.options.profile),
    ldPreload: process.env.LD_PRELOAD ?? null,
    nodeVersion: process.version,
    glibcVersion: glibcVersion(),
    options: structuredClone(input.options),
  }
}

/** The profile's recommended environment and which of it this process does not have. */
export function profileEnvironmentStatus(profile: ProfileName, env: NodeJS.ProcessEnv = process.env, execArgv: readonly string[] = process.execArgv): EngineSettings['profileEnvironment'] {
  return { recommended: { ...PROFILE_ENVIRONMENT[profile] }, missing: missingProfileEnvironment(profile, env, execArgv) }
}
