/**
 * The scenario API: what a scenario module declares and what its stages receive. This file is
 * loaded by the worker inside the measured process, so it imports nothing but the error classes.
 */
import { ConfigError } from '../common/errors.js'
import type { HttpLoadOptions, HttpLoadResult } from './http-load.js'
import type { ServiceDefinition, ServiceInfo } from './service-types.js'

/** Value of one scenario parameter. */
export type ParamValue = number | string | boolean

/** Declaration of one parameter: its default fixes its type (number, string or boolean). */
export interface ParamSpec<T extends ParamValue = ParamValue> {
  /** Value used when `--param` does not set it; also fixes how a `--param k=v` string is parsed. */
  default: T
  /** One line for `memgate list`; say the unit for numbers ("pages", "ms"). */
  description: string
  /** Inclusive lower bound for numbers. */
  min?: number
  /** Inclusive upper bound for numbers. @default {@link MAX_INTEGER_PARAM} for integers, none otherwise */
  max?: number
  /**
   * Whole numbers only (counts, sizes, milliseconds): `--param k=2.5` is refused before any
   * process starts. @default true when `default` is a whole number, false otherwise; declare
   * `integer: false` for a fraction whose default happens to be whole (e.g. a ratio of 1).
   */
  integer?: boolean
  /** Allowed values for strings. */
  choices?: readonly string[]
}

/** Parameter declarations by name. */
export type ParamSpecs = Record<string, ParamSpec>

/** Resolved parameter values, typed from the declarations' defaults. */
export type ParamValues<S extends ParamSpecs> = {
  readonly [K in keyof S]: S[K]['default'] extends number ? number : S[K]['default'] extends boolean ? boolean : string
}

export { STAGE_KINDS, type StageKind } from '../run/stage-kinds.js'
import { STAGE_KINDS, type StageKind } from '../run/stage-kinds.js'


/** Which process produced a repeat: the measuring pass never takes a heap snapshot. */
export type Pass = 'measure' | 'snapshot'

/** Result of {@link StageContext.tryOp}: the value, or the error that was counted. */
export type OpOutcome<T> = { ok: true; value: T } | { ok: false; error: Error }

/** Options of {@link StageContext.bench}, passed to tinybench. */
export interface BenchStageOptions {
  /** Minimum iterations. @default 64 */
  iterations?: number
  /** Minimum time budget, ms. @default 500 */
  timeMs?: number
  /** Run warm-up iterations first (not counted). @default true */
  warmup?: boolean
}

/** What setup, every stage and teardown receive. */
export interface StageContext<P = Record<string, ParamValue>> {
  /** Resolved parameters (declared defaults overridden by `--param`). */
  readonly params: P
  /** The variant the run chose (`--profile`), or the scenario's default; null when it declares none. */
  readonly variant: string | null
  /** Name of the running stage (`setup` and `teardown` for those). */
  readonly stage: string
  /** Which pass this process belongs to. */
  readonly pass: Pass
  /** Index of the repeat, from 0. */
  readonly repeat: number
  /** Aborted when the runner asks the stage to stop (timeout). Long loops should check it. */
  readonly signal: AbortSignal
  /** A scratch directory for this process, removed by the runner afterwards. */
  readonly workDir: string
  /**
   * Times one operation and counts it; a throw is counted as an error and rethrown.
   * @returns what `fn` returned
   */
  op<T>(fn: () => T | Promise<T>): Promise<T>
  /** Like {@link op} but an error is counted and returned instead of thrown. */
  tryOp<T>(fn: () => T | Promise<T>): Promise<OpOutcome<T>>
  /**
   * Records an operation timed elsewhere (e.g. an item of an async generator), ms.
   * @param ok @default true
   * @param error why it failed, kept among the stage's first error messages
   */
  recordOp(durationMs: number, ok?: boolean, error?: unknown): void
  /** Runs `fn` as a micro-benchmark; tinybench's statistics become this stage's ops. */
  bench(fn: () => unknown, options?: BenchStageOptions): Promise<void>
  /** Reports a metric of this stage (e.g. `cer`); the last value for a name wins. */
  metric(name: string, value: number): void
  /** Records native settings (e.g. engine `settings()`); merged into the repeat's `settings`. */
  recordSettings(settings: Record<string, unknown>): void
  /** Forces full garbage collections (the worker runs with `--expose-gc`). */
  gc(): Promise<void>
  /** The running service when the scenario declares one (its base URL, port, PID), else null. */
  readonly service: ServiceInfo | null
  /**
   * Drives HTTP load (autocannon) against the service, or `options.url`. Each response is one of
   * the stage's ops (ok when 2xx or in `expectStatus`); errors and timeouts are failed ops; the
   * stage's `http` figures sum its loads. Stops early when the stage is aborted.
   * @example await ctx.load({ path: '/ocr', method: 'POST', body: image, headers: { 'content-type': 'image/png' }, connections: 2, durationMs: 5000 })
   */
  load(options: HttpLoadOptions): Promise<HttpLoadResult>
}

/** One stage of a scenario. */
export interface Stage<P = Record<string, ParamValue>, S = unknown> {
  /** Unique within the scenario; letters, digits, `-`, `_`, `.` (it names snapshot files). */
  name: string
  kind: Exclude<StageKind, 'setup' | 'teardown'>
  /** One line for reports. */
  description?: string
  run(ctx: StageContext<P>, state: S): void | Promise<void>
}

/** A snapshot taken in the snapshot pass: before or after a named stage. */
export interface SnapshotPoint {
  stage: string
  at: 'before' | 'after'
}

/** What a scenario module declares. */
export interface ScenarioDefinition<P extends ParamSpecs = ParamSpecs, S = unknown, R = unknown> {
  /** Kebab-case name used on the command line. */
  name: string
  /** One line for `memgate list` and reports. */
  description: string
  /** Declared parameters. @default {} */
  params?: P
  /** V8/Node flags the scenario needs (e.g. `--max-old-space-size=64`); user flags come after. */
  nodeFlags?: readonly string[]
  /**
   * Variants the scenario can run as (`--profile` picks one; e.g. the engine's profiles) and the
   * one it runs as when none is given. The runner refuses any other before a process starts.
   * Without it the scenario has no variants and `--profile` is recorded as given.
   */
  variants?: { names: readonly string[]; default: string }
  /**
   * Environment the scenario needs (e.g. `MALLOC_ARENA_MAX`), or a function of the run's variant
   * giving it (allocator settings are read once at process start, so they belong to the worker's
   * environment, not to the code); `--env` overrides it. Recorded with the run.
   */
  env?: Readonly<Record<string, string>> | ((run: { variant: string | null }) => Readonly<Record<string, string>>)
  /** Snapshot pass when `--snapshots` is not given. @default 'none' */
  snapshots?: 'none' | 'stages'
  /**
   * Leak analysis over the snapshot pass (memlab's baseline/target/final triple): objects
   * allocated between `baseline` and `target` that still live at `final` are suspects.
   * Run in the parent after the worker exits, never in the measured process; the result is the
   * scenario's `analysis.leakCheck` in run.json. Implies nothing about `snapshots`: set it too.
   */
  leakCheck?: { baseline: SnapshotPoint; target: SnapshotPoint; final: SnapshotPoint }
  /**
   * Runs once per scenario in the runner's own process, before any worker starts, never in the
   * measured one: generate inputs, fill caches. Its result must survive JSON (it crosses IPC) and
   * is handed to `setup` in every worker.
   */
  prepare?: (params: ParamValues<P>) => R | Promise<R>
  /**
   * Runs in the worker, recorded as stage `setup` (kind `setup`): open what the stages share.
   * Its return value is the `state` every stage and `teardown` receive.
   */
  setup?: (ctx: StageContext<ParamValues<P>>, prepared: R) => S | Promise<S>
  /** The stages in order, or a function of the parameters (e.g. one `cycle` stage per cycle). */
  stages: readonly Stage<ParamValues<P>, S>[] | ((params: ParamValues<P>) => readonly Stage<ParamValues<P>, S>[])
  /** Runs in the worker after the last stage, recorded as stage `teardown`: its after-sample is what `close()` left behind. */
  teardown?: (ctx: StageContext<ParamValues<P>>, state: S) => void | Promise<void>
  /**
   * A service target: the runner starts this command before each worker, waits until it is
   * ready, samples its whole process tree (the repeat's `timeline`, `processes`, `events` and
   * `service`), and stops it after the worker. The stages drive load with `ctx.load`.
   */
  service?: ServiceDefinition<ParamValues<P>>
}

/** A validated scenario, as a module's default export. */
export type Scenario<P extends ParamSpecs = ParamSpecs, S = unknown, R = unknown> = Readonly<ScenarioDefinition<P, S, R>> & {
  readonly kind: typeof SCENARIO_TAG
}

/** Tag that marks a scenario object; a string, so copies of memgate loaded twice still agree. */
export const SCENARIO_TAG = 'memgate.scenario'

const NAME = /^[a-z0-9][a-z0-9-]*$/
const STAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/

/**
 * Declares a scenario. Checks names and parameter declarations now, so a typo fails at import
 * rather than an hour into a soak.
 * @example
 * export default defineScenario({
 *   name: 'echo', description: 'Echo strings',
 *   params: { count: { default: 100, description: 'strings per stage' } },
 *   stages: [{ name: 'echo', kind: 'work', async run(ctx) { for (let i = 0; i < ctx.params.count; i++) await ctx.op(() => String(i)) } }],
 * })
 */
export function defineScenario<P extends ParamSpecs = Record<never, ParamSpec>, S = undefined, R = undefined>(definition: ScenarioDefinition<P, S, R>): Scenario<P, S, R> {
  const where = `scenario '${String(definition.name)}'`
  if (typeof definition.name !== 'string' || !NAME.test(definition.name)) {
    throw new ConfigError(`Scenario name ${JSON.stringify(definition.name)} is not kebab-case (a-z, 0-9, -); rename it.`)
  }
  if (typeof definition.description !== 'string' || definition.description.trim() === '') {
    throw new ConfigError(`${where} needs a one-line description.`)
  }
  for (const [key, spec] of Object.entries(definition.params ?? {})) checkParamSpec(where, key, spec)
  if (definition.env !== undefined && typeof definition.env !== 'function' && (typeof definition.env !== 'object' || definition.env === null)) {
    throw new ConfigError(`${where}: env must be an object of NAME: value strings or a function of the run's variant.`)
  }
  if (definition.variants !== undefined && !(Array.isArray(definition.variants.names) && definition.variants.names.includes(definition.variants.default))) {
    throw new ConfigError(`${where}: variants must be { names: [...], default } with the default among the names.`)
  }
  if (definition.service !== undefined) checkService(where, definition.service as ServiceDefinition<never>)
  if (Array.isArray(definition.stages)) checkStages(where, definition.stages)
  else if (typeof definition.stages !== 'function') throw new ConfigError(`${where}: stages must be an array or a function of the parameters.`)
  return Object.freeze({ ...definition, kind: SCENARIO_TAG })
}

/** True when `value` is a scenario object made by {@link defineScenario} (any copy of memgate). */
export function isScenario(value: unknown): value is Scenario {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === SCENARIO_TAG
}

/** The stages of `scenario` for `params`, checked (unique, well-named, known kinds). */
export function stagesOf<P extends ParamSpecs, S, R>(scenario: Scenario<P, S, R>, params: ParamValues<P>): readonly Stage<ParamValues<P>, S>[] {
  const stages = typeof scenario.stages === 'function' ? scenario.stages(params) : scenario.stages
  checkStages(`scenario '${scenario.name}'`, stages)
  return stages
}

/**
 * Upper bound of an integer parameter that declares no `max`: a count beyond it is no workload
 * (2^31 - 1, the largest count JavaScript arrays and most APIs accept without a RangeError).
 */
export const MAX_INTEGER_PARAM = 2 ** 31 - 1

/** Whether a number parameter takes whole numbers only (declared, or inferred from its default). */
export function isIntegerParam(spec: ParamSpec): boolean {
  return spec.integer ?? (typeof spec.default === 'number' && Number.isInteger(spec.default))
}

function checkParamSpec(where: string, key: string, spec: ParamSpec): void {
  const type = typeof spec?.default
  if (type !== 'number' && type !== 'string' && type !== 'boolean') {
    throw new ConfigError(`${where}: param '${key}' needs a default that is a number, string or boolean.`)
  }
  if (type === 'number') {
    const d = spec.default as number
    if (!Number.isFinite(d)) throw new ConfigError(`${where}: param '${key}' default ${d} must be a finite number.`)
    for (const bound of ['min', 'max'] as const) {
      const b = spec[bound]
      if (b !== undefined && (typeof b !== 'number' || Number.isNaN(b))) throw new ConfigError(`${where}: param '${key}' ${bound} must be a number, not ${JSON.stringify(b)}.`)
    }
    if (spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) throw new ConfigError(`${where}: param '${key}' has min ${spec.min} above max ${spec.max}.`)
    if ((spec.min !== undefined && d < spec.min) || (spec.max !== undefined && d > spec.max)) {
      throw new ConfigError(`${where}: param '${key}' default ${d} is outside its bounds [${spec.min ?? '-∞'}, ${spec.max ?? '∞'}].`)
    }
    if (spec.integer === true && !Number.isInteger(d)) throw new ConfigError(`${where}: param '${key}' is declared integer but its default ${d} is not a whole number.`)
  }
  if (spec.choices && type === 'string' && !spec.choices.includes(spec.default as string)) {
    throw new ConfigError(`${where}: param '${key}' default ${JSON.stringify(spec.default)} is not one of its choices (${spec.choices.join(', ')}).`)
  }
}

function checkStages(where: string, stages: readonly Stage<never, never>[]): void {
  if (stages.length === 0) throw new ConfigError(`${where} declares no stages; add at least one.`)
  const seen = new Set<string>(['setup', 'teardown'])
  for (const stage of stages) {
    if (typeof stage.name !== 'string' || !STAGE_NAME.test(stage.name)) {
      throw new ConfigError(`${where}: stage name ${JSON.stringify(stage.name)} must be letters, digits, '-', '_' or '.'.`)
    }
    if (seen.has(stage.name)) throw new ConfigError(`${where}: stage name '${stage.name}' is used twice (or is reserved); names must be unique.`)
    seen.add(stage.name)
    // Checked at runtime too: a JavaScript scenario has no compiler to catch a wrong kind.
    const kind: string = stage.kind
    if (!(STAGE_KINDS as readonly string[]).includes(kind) || kind === 'setup' || kind === 'teardown') {
      throw new ConfigError(`${where}: stage '${stage.name}' has kind ${JSON.stringify(stage.kind)}; use one of startup, work, cycle, bench, idle.`)
    }
    if (typeof stage.run !== 'function') throw new ConfigError(`${where}: stage '${stage.name}' has no run(ctx, state) function.`)
  }
}

function checkService(where: string, service: ServiceDefinition<never>): void {
  const command: unknown = service?.command
  if (!(typeof command === 'function' || (Array.isArray(command) && command.length > 0 && command.every((a) => typeof a === 'string')))) {
    throw new ConfigError(`${where}: service.command must be a non-empty array of strings or a function of { params, port } returning one.`)
  }
  const ready: unknown = service.ready
  if (ready !== undefined && !(typeof ready === 'object' && ready !== null && (typeof (ready as { http?: unknown }).http === 'string' || (ready as { tcp?: unknown }).tcp === true))) {
    throw new ConfigError(`${where}: service.ready must be { http: '/path' } or { tcp: true }.`)
  }
  for (const key of ['readyTimeoutMs', 'stopGraceMs', 'smapsMinIntervalMs'] as const) {
    const v = service[key]
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new ConfigError(`${where}: service.${key} must be a non-negative number of ms, not ${JSON.stringify(v)}.`)
  }
}
