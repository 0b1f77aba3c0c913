/**
 * The run.json schema: the only contract between the runner and everything after it (gates,
 * reports, baselines). Version 1. Later issues add optional fields; they never rename or remove.
 * Readers ignore keys they do not know, so a newer file still reads.
 */
import { z } from 'zod'
import { InputError } from '../common/errors.js'
import { legacyVariant } from './legacy.js'
import { STAGE_KINDS } from './stage-kinds.js'

/** Current `schemaVersion` of run.json. */
export const RUN_SCHEMA_VERSION = 1

const bytes = z.number().nonnegative().nullable()
const count = z.number().int().nonnegative()

/** One memory/CPU sample (see src/probe/types.ts): a figure the platform cannot give is null. */
export const memorySampleSchema = z.object({
  atMs: z.number(),
  pid: z.number().int(),
  rssBytes: bytes,
  peakRssBytes: bytes,
  swapBytes: bytes,
  threads: z.number().nullable(),
  pssBytes: bytes,
  privateBytes: bytes,
  heapUsedBytes: bytes,
  heapTotalBytes: bytes,
  externalBytes: bytes,
  arrayBuffersBytes: bytes,
  heapSpaces: z.record(z.string(), z.object({ usedBytes: z.number(), sizeBytes: z.number() })).nullable(),
  cpuUserMs: z.number().nullable(),
  cpuSystemMs: z.number().nullable(),
  eventLoopDelayP99Ms: z.number().nullable(),
})

/** Latency of a stage's operations, ms. */
export const latencySchema = z.object({
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  mean: z.number(),
  min: z.number(),
  max: z.number(),
})

/** Operations of one stage. `source` says who computed the statistics. */
export const opStatsSchema = z.object({
  count,
  errors: count,
  /** Wall time of the stage's run(), ms (GC and samples excluded). */
  durationMs: z.number().nonnegative(),
  /** Operations per second over `durationMs` (tinybench's mean throughput for `bench`). */
  throughputPerSec: z.number().nonnegative(),
  /** Null when the stage counted no operation. */
  latencyMs: latencySchema.nullable(),
  source: z.enum(['op', 'tinybench']),
  /** The first few distinct error messages (at most 5), to say what failed without a log. */
  errorMessages: z.array(z.string()),
})

/**
 * HTTP load of one stage (autocannon, summed over the stage's `ctx.load` calls). `ops` of the
 * stage counts the same responses; here they are split by outcome.
 */
export const httpStatsSchema = z.object({
  /** Responses received (any status). */
  requests: count,
  /** Responses with a 2xx status. */
  ok: count,
  /** Responses with another status (4xx, 5xx: e.g. 503 past capacity). */
  non2xx: count,
  /** Responses by status code, e.g. `{ "200": 40, "503": 12 }`. */
  statusCounts: z.record(z.string(), count),
  /** Connection errors (refused, reset) that got no response, timeouts excluded. */
  errors: count,
  /** Requests that got no response within the load's timeout. */
  timeouts: count,
  /** Requests sent, as autocannon counted them (sent minus answered: lost in flight). */
  sent: count,
  /** Latency of every response, ms. Null when none arrived. */
  latencyMs: latencySchema.nullable(),
  /** Latency of the 2xx responses only (what accepted requests cost), ms. */
  okLatencyMs: latencySchema.nullable(),
  /** Responses per second over the load's wall time. */
  throughputPerSec: z.number().nonnegative(),
  /** Wall time under load, ms. */
  durationMs: z.number().nonnegative(),
  /** Connections and pipelining of the last load (what drove it). */
  connections: count,
  pipelining: count,
})

/** One RSS category at one moment (src/probe's "where RSS lives"), compact. Sizes in bytes. */
export const rssCategoryRowSchema = z.object({
  /** `'V8 heap'`, `'glibc malloc arenas'`, `'libonnxruntime.so'`, ... */
  name: z.string(),
  /** `v8-heap`, `array-buffers`, `malloc`, `stacks`, `shared-object`, `file`, `other-anon` (a string: newer kinds still load). */
  kind: z.string(),
  rssBytes: z.number().nonnegative(),
  pssBytes: z.number().nonnegative(),
})

/** A process's RSS split by where it lives, read by the parent from /proc/<pid>/smaps. */
export const rssCategoriesSchema = z.object({
  atMs: z.number(),
  /** What the read cost the parent, ms (the worker does nothing). */
  readMs: z.number().nonnegative(),
  rssBytes: z.number().nonnegative(),
  pssBytes: z.number().nonnegative(),
  /** Largest RSS first; they sum to `rssBytes` (categories under 4 KiB left out). */
  categories: z.array(rssCategoryRowSchema),
})

/** A heap snapshot written in the snapshot pass. `file` is relative to the run directory. */
export const snapshotRefSchema = z.object({
  file: z.string(),
  sizeBytes: z.number().nonnegative(),
  durationMs: z.number().nonnegative(),
  rssBeforeBytes: bytes,
  rssAfterBytes: bytes,
})

/** One stage of one repeat. `before`/`after` are taken in the worker after a full GC. */
export const stageResultSchema = z.object({
  name: z.string(),
  kind: z.enum(STAGE_KINDS),
  state: z.enum(['completed', 'failed', 'timed-out']),
  /** Why the stage did not complete. */
  error: z.string().nullable(),
  startedAtMs: z.number(),
  /** Null when the process died inside the stage (then the repeat's timeline shows the end). */
  endedAtMs: z.number().nullable(),
  before: memorySampleSchema.nullable(),
  after: memorySampleSchema.nullable(),
  /**
   * Peak RSS during the stage: VmHWM after a per-stage reset (`vmhwm`), else the maximum RSS of
   * the parent's timeline within the stage (`timeline`), which can miss a short spike.
   */
  peakRssBytes: bytes,
  peakRssSource: z.enum(['vmhwm', 'timeline']).nullable(),
  ops: opStatsSchema,
  metrics: z.record(z.string(), z.number()),
  snapshots: z.object({ before: snapshotRefSchema.optional(), after: snapshotRefSchema.optional() }),
  /** HTTP load the stage drove against a service (`ctx.load`). Absent for stages that drove none. */
  http: httpStatsSchema.optional(),
  /**
   * Where the worker's RSS lived at the stage's start and end (measuring pass only; read by the
   * parent when the worker announced the boundary). Null when the read failed. Absent in older files.
   */
  rssCategories: z.object({ before: rssCategoriesSchema.nullable(), after: rssCategoriesSchema.nullable() }).optional(),
})

/** Why a repeat did not complete. */
export const failureSchema = z.object({
  kind: z.enum(['exception', 'signal', 'heap-limit', 'oom-kill', 'timeout', 'exit']),
  message: z.string(),
  signal: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  /** The stage that was running, if any. */
  stage: z.string().nullable(),
  /** How an `oom-kill` was established (dmesg line, cgroup counter), else null. */
  evidence: z.string().nullable(),
  /** The end of the worker's stderr (at most 4 KiB). */
  stderrTail: z.string(),
})

/** One process of a measured tree. */
export const processRecordSchema = z.object({
  pid: z.number().int(),
  ppid: z.number().int().nullable(),
  command: z.string(),
  /** A role the target gave it (`primary`, `worker`), else null. */
  role: z.string().nullable(),
  startedAtMs: z.number(),
  /** Null while it lived to the end of the repeat. */
  endedAtMs: z.number().nullable(),
  /** Exit code or signal when memgate could observe it (its own child), else null. */
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  timeline: z.array(memorySampleSchema),
})

/** Something that happened to the measured tree. */
export const treeEventSchema = z.object({
  atMs: z.number(),
  kind: z.enum(['start', 'exit', 'recycle', 'kill', 'note']),
  pid: z.number().int().nullable(),
  message: z.string(),
})

/** One worker process: a fresh Node for each repeat and pass. */
export const repeatResultSchema = z.object({
  index: count,
  pass: z.enum(['measure', 'snapshot']),
  state: z.enum(['completed', 'failed', 'timed-out']),
  failure: failureSchema.nullable(),
  pid: z.number().int(),
  startedAtMs: z.number(),
  endedAtMs: z.number(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  /** Node/V8 flags of the worker (`--expose-gc`, the scenario's and the user's). */
  nodeFlags: z.array(z.string()),
  /** Memory-relevant environment of the worker (MALLOC_*, LD_PRELOAD, UV_THREADPOOL_SIZE, ...). */
  env: z.record(z.string(), z.string()),
  /** `tsx` when a `.ts` scenario was loaded through tsx inside the worker. */
  loader: z.enum(['node', 'tsx']),
  /** Memory limit of the worker's own cgroup, when the run set one (`--memory-limit`). */
  memoryLimitBytes: bytes,
  intervalMs: z.number().positive(),
  /** Peak RSS of the process: the maximum of the stages' peaks and the timeline. */
  peakRssBytes: bytes,
  /** What the scenario recorded with `recordSettings` (e.g. engine `settings()`). */
  settings: z.record(z.string(), z.unknown()),
  /** Sampled by the parent from /proc on its own clock; it survives the worker's death. */
  timeline: z.array(memorySampleSchema),
  stages: z.array(stageResultSchema),
  /**
   * Processes the worker started that were still running when it ended (ended by the runner with
   * its process group). Absent in files written before it was recorded.
   */
  leftovers: z.array(z.object({ pid: z.number().int(), command: z.string() })).optional(),
  /**
   * Every process of the measured tree, for targets with several (a service's workers, a watched
   * tree): its own timeline and when it started and ended. `timeline` above is then the tree's
   * total (RSS summed; PSS summed, the honest total for processes sharing pages).
   */
  processes: z.array(processRecordSchema).optional(),
  /** Events of the tree: worker births, deaths and recycles, with the time and why. */
  events: z.array(treeEventSchema).optional(),
  /**
   * A service target (the scenario declared `service`): what was started, when it was ready and
   * how it ended. `timeline` is then the service tree's total and `processes` its processes; the
   * worker (`pid`) only drove the load, its own peak is `driverPeakRssBytes`.
   */
  service: z
    .object({
      command: z.array(z.string()),
      url: z.string(),
      /** The service's root process (the command memgate started). */
      pid: z.number().int(),
      /** From start to ready, ms; null when it never became ready. */
      readyMs: z.number().nullable(),
      /** How the root process ended; `endedByRunner` when memgate stopped it at the end. */
      exitCode: z.number().int().nullable(),
      signal: z.string().nullable(),
      endedByRunner: z.boolean(),
      /** The end of the service's stderr (at most 4 KiB). */
      stderrTail: z.string(),
      /** Peak RSS of the load driver (the scenario worker), for the record: not the target's. */
      driverPeakRssBytes: bytes,
      /** Peak of the tree's summed PSS and RSS over the repeat (every tick, decimated or not). */
      peakPssBytes: bytes,
      peakTreeRssBytes: bytes,
    })
    .optional(),
  /**
   * Evidence of contention over the repeat, read by the parent: what the rest of the machine did
   * while the worker ran. Time figures taken under contention are not failed on. Absent in older files.
   */
  contention: z
    .object({
      /** Average CPU cores busy with other processes than the worker's, over the repeat (from /proc/stat). */
      othersCores: z.number().nullable(),
      /** Share of CPU time stolen by the hypervisor over the repeat (0–1). */
      stealShare: z.number().nullable(),
      /** 1-minute load average at the start and the end. */
      loadAvgStart: z.number().nullable(),
      loadAvgEnd: z.number().nullable(),
      /** The worker's CPU time over its wall time (user + system). */
      cpuWallRatio: z.number().nullable(),
      /** Involuntary context switches of the worker's main thread. */
      involuntarySwitches: z.number().nullable(),
      /** The machine's cores. */
      cores: z.number().int().positive(),
    })
    .optional(),
  /**
   * The host's speed over the repeat: a fixed CPU workload the worker timed before setup and after
   * teardown (src/scenario/speed-reference.ts). The gate compares CPU per operation at equal host speed with
   * it. Measuring pass only; absent in older files.
   */
  speedReference: z
    .object({
      /** Names the workload; references of different workloads are not compared. */
      workload: z.string(),
      /** CPU time of each burst, ms: those at the start, then those at the end. */
      cpuMs: z.array(z.number().nonnegative()).min(1),
    })
    .optional(),
})

/** One class of leak suspects: objects allocated between baseline and target, alive at final. */
export const leakSuspectSchema = z.object({
  /** DevTools class name, e.g. `LeakyRecord`, `(string)`. */
  name: z.string(),
  nodeType: z.string(),
  count,
  /** Their total self size. */
  sizeBytes: z.number().nonnegative(),
  /** Most common retainer paths from a GC root (as DevTools renders them), most objects first. */
  retainers: z.array(z.object({ count, sizeBytes: z.number().nonnegative(), path: z.string() })),
})

/** Leak check over the snapshot pass's baseline/target/final snapshots (analysed in the parent). */
export const leakCheckSchema = z.object({
  /** The three snapshot files, relative to the run directory. */
  files: z.tuple([z.string(), z.string(), z.string()]),
  /** All suspect objects. */
  count,
  sizeBytes: z.number().nonnegative(),
  /** Classes by total suspect size, largest first. */
  classes: z.array(leakSuspectSchema),
})

/** One group of native allocation sites (by shared object or by nearest named frame). Sizes in bytes. */
const nativeGroupSchema = z.object({
  key: z.string(),
  /** For frame groups: `napi`, `v8-builtin`, ... */
  kind: z.string().nullable().optional(),
  peakBytes: z.number(),
  leakedBytes: z.number(),
  allocations: z.number(),
  sites: z.number(),
})

/** One native allocation site (a backtrace), summarised. */
const nativeSiteSchema = z.object({
  peakBytes: z.number().nullable(),
  leakedBytes: z.number().nullable(),
  allocations: z.number(),
  sharedObject: z.string().nullable(),
  /** The nearest named frame's short name. */
  frame: z.string().nullable(),
})

/** Summary of a heaptrack pass: never the measuring pass, so its figures are in no RSS figure. */
export const nativeAnalysisSchema = z.object({
  tool: z.literal('heaptrack'),
  version: z.string(),
  /** The heaptrack data file, relative to the run directory. */
  file: z.string(),
  totals: z.object({ peakBytes: z.number(), leakedBytes: z.number(), allocations: z.number(), peakRssBytes: z.number().nullable() }),
  bySharedObject: z.array(nativeGroupSchema),
  byFrame: z.array(nativeGroupSchema),
  topByPeak: z.array(nativeSiteSchema),
  topByLeaked: z.array(nativeSiteSchema),
})

/** Analyses over a scenario's repeats; each key is optional and added by later issues. */
export const analysisSchema = z.object({
  leakCheck: leakCheckSchema.optional(),
  /** The native allocation profile of an extra pass under heaptrack (`memgate run --native heaptrack`). */
  native: nativeAnalysisSchema.optional(),
  /** Why an analysis could not run (e.g. the snapshot pass failed). */
  notes: z.array(z.string()).optional(),
})

/** One scenario of a run: every repeat is kept, failed ones too. */
export const scenarioResultSchema = z.preprocess(legacyVariant, z.object({
  name: z.string(),
  description: z.string(),
  /** Where the scenario came from: a built-in name's compiled file or the user's path. */
  module: z.string(),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  /** The variant it ran as (`--profile`; opaque to memgate), null when the scenario has none. */
  variant: z.string().nullable(),
  /** Settings recorded by the first measuring repeat that recorded any. */
  settings: z.record(z.string(), z.unknown()),
  repeats: z.array(repeatResultSchema),
  analysis: analysisSchema.nullable(),
}))

/** The machine and runtime a run was measured on. */
export const environmentSchema = z.object({
  node: z.string(),
  v8: z.string(),
  platform: z.string(),
  arch: z.string(),
  osRelease: z.string(),
  cpuModel: z.string(),
  cpuCount: count,
  totalMemoryBytes: z.number().nonnegative(),
  /** e.g. `glibc 2.36`; null when not glibc or unknown. */
  libc: z.string().nullable(),
  mallocArenaMax: z.string().nullable(),
  ldPreload: z.string().nullable(),
  /** True when a CI variable is set. */
  ci: z.boolean(),
})

/** Options the run was made with (after defaults). */
export const runOptionsRecordSchema = z.object({
  repeat: z.number().int().positive(),
  snapshots: z.enum(['none', 'stages']).nullable(),
  timeoutMs: z.number().positive(),
  intervalMs: z.number().positive(),
  memoryLimitBytes: bytes,
})

/** A whole run: `reports/<id>/run.json`. */
export const runResultSchema = z.object({
  schemaVersion: z.literal(RUN_SCHEMA_VERSION),
  id: z.string(),
  /** ISO 8601. */
  createdAt: z.string(),
  /** ISO 8601; null while the run is still going (run.json is rewritten after every repeat). */
  finishedAt: z.string().nullable(),
  /**
   * `running` while the run goes on (run.json is rewritten after every repeat), `finished` when
   * every planned repeat ran, `interrupted` when SIGINT/SIGTERM cut it short. Older files have
   * none: they read as finished when `finishedAt` is set.
   */
  state: z.enum(['running', 'finished', 'interrupted']).optional(),
  /** The scenarios the run set out to measure, in order (what `options.repeat` applies to). */
  planned: z.array(z.string()).optional(),
  /**
   * What was measured: scenario workers memgate started (the default), a tree memgate watched
   * (`memgate watch`), or a service under HTTP load. Older files have none: scenarios.
   */
  target: z.object({ kind: z.enum(['scenarios', 'watch', 'service']), description: z.string() }).optional(),
  /** Set on a partial run of a CI matrix (`--shard i/n`): this run holds shard `index` of `count`. */
  shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }).optional(),
  memgateVersion: z.string(),
  argv: z.array(z.string()),
  options: runOptionsRecordSchema,
  environment: environmentSchema,
  scenarios: z.array(scenarioResultSchema),
})

export type MemorySampleRecord = z.infer<typeof memorySampleSchema>
export type LatencyStats = z.infer<typeof latencySchema>
export type OpStats = z.infer<typeof opStatsSchema>
export type SnapshotRef = z.infer<typeof snapshotRefSchema>
export type StageResult = z.infer<typeof stageResultSchema>
export type Failure = z.infer<typeof failureSchema>
export type FailureKind = Failure['kind']
export type RepeatResult = z.infer<typeof repeatResultSchema>
export type RepeatState = RepeatResult['state']
export type LeakSuspect = z.infer<typeof leakSuspectSchema>
export type LeakCheck = z.infer<typeof leakCheckSchema>
export type ScenarioAnalysis = z.infer<typeof analysisSchema>
export type ScenarioResult = z.infer<typeof scenarioResultSchema>
export type RunEnvironment = z.infer<typeof environmentSchema>
export type RunOptionsRecord = z.infer<typeof runOptionsRecordSchema>
export type RunResult = z.infer<typeof runResultSchema>
export type ProcessRecord = z.infer<typeof processRecordSchema>
export type TreeEvent = z.infer<typeof treeEventSchema>
export type HttpStats = z.infer<typeof httpStatsSchema>
export type RssCategoriesRecordJson = z.infer<typeof rssCategoriesSchema>
export type NativeAnalysis = z.infer<typeof nativeAnalysisSchema>
export type ServiceRecord = NonNullable<RepeatResult['service']>

/**
 * Validates a parsed run.json.
 * @param source file name for the message
 * @throws InputError('RUN_INVALID') naming the first bad path
 */
export function parseRun(json: unknown, source: string): RunResult {
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion
  if (typeof version === 'number' && version !== RUN_SCHEMA_VERSION) {
    throw new InputError('RUN_INVALID', `${source} has schemaVersion ${version}; this memgate reads version ${RUN_SCHEMA_VERSION}. Re-run the scenario with this version or use a matching memgate.`, source)
  }
  const parsed = runResultSchema.safeParse(json)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const path = issue ? formatPath(issue.path) : '(root)'
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : ''
  throw new InputError('RUN_INVALID', `${source} is not a valid run.json: at ${path}: ${issue?.message ?? 'invalid'}${more}. It was written by another tool or edited by hand; re-run the scenario.`, source, { cause: parsed.error })
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)'
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('')
}
