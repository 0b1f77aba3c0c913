/**
 * The `check` section of memgate.config: what `memgate check` runs (scenarios, repeats, engine
 * profile) and how it judges (the statistical policy, explanations, the baseline directory).
 * Scenarios and profile fall back to the `run` section; command-line flags override both.
 */
import { isAbsolute, resolve } from 'node:path'
import { z } from 'zod'
import { CONFIDENCE_LEVELS, DEFAULT_GATE_POLICY, type GatePolicy } from './policy.js'
import { UsageError } from '../common/errors.js'
import { parseRatio } from '../common/units.js'

/** Measuring repeats per scenario when neither the config nor `--repeat` says. */
export const DEFAULT_CHECK_REPEAT = 3

/**
 * Measuring repeats of `memgate baseline update` when neither the config nor `--repeat` says: a
 * baseline is compared with many runs, so its spread is worth measuring better than a check's.
 */
export const DEFAULT_BASELINE_REPEAT = 5

/** Where baselines live when the config does not say, relative to the config file's directory. */
export const DEFAULT_BASELINE_DIR = 'baselines'

/** The `check` section. */
export const checkConfigSchema = z.strictObject({
  /** Scenarios to check: built-in names or module paths (relative to the config file). @default run.scenarios, else the default suite */
  scenarios: z.array(z.string().min(1)).min(1).optional(),
  /** Measuring repeats per scenario. @default 3 */
  repeat: z.number().int().min(1).max(100).optional(),
  /** Measuring repeats per scenario of `memgate baseline update`. @default 5 */
  baselineRepeat: z.number().int().min(2).max(100).optional(),
  /** Engine profile. @default run.profile */
  profile: z.string().min(1).optional(),
  /** Up to this many more repeats while a relative rule is inconclusive or confirms a pass on a figure that got worse. @default 2 */
  extraRepeats: z.number().int().min(0).max(20).optional(),
  /** Fewest completed repeats, in the run and in the baseline, for a relative verdict. @default 3 */
  minRepeats: z.number().int().min(2).max(100).optional(),
  /** What an inconclusive verdict does to CI: `fail` the job or pass it with a `warn`ing. @default 'warn' */
  onInconclusive: z.enum(['fail', 'warn']).optional(),
  /** Smallest per-repeat spread assumed by relative rules, e.g. `'0.5%'`. @default '0.5%' */
  noiseFloor: z
    .union([z.number(), z.string()])
    .transform((v, ctx) => {
      try {
        const r = parseRatio(v)
        if (r >= 0 && r < 0.5) return r
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: `expected a ratio from 0 to 50% like '0.5%' but received ${JSON.stringify(v)}` })
      return z.NEVER
    })
    .optional(),
  /** Two-sided confidence level of relative rules' intervals: 0.9, 0.95 or 0.99. @default 0.95 */
  confidenceLevel: z.union(CONFIDENCE_LEVELS.map((l) => z.literal(l)) as unknown as [z.ZodLiteral<0.9>, z.ZodLiteral<0.95>, z.ZodLiteral<0.99>]).optional(),
  /** Re-run a scenario with a failing memory budget in snapshot mode and say what grew. @default true */
  explain: z.boolean().optional(),
  /** Baseline directory, relative to the config file's directory. @default 'baselines' */
  baselineDir: z.string().min(1).optional(),
})

/** The `check` section after validation. */
export type CheckConfig = z.output<typeof checkConfigSchema>

/** Command-line flags of `memgate check` that override the section; `undefined` = not given. */
export interface CheckFlags {
  repeat?: number
  extraRepeats?: number
  onInconclusive?: 'fail' | 'warn'
  explain?: boolean
  /** As typed; relative to the working directory. */
  baselineDir?: string
}

/** The `check` section resolved: every default filled. */
export interface ResolvedCheckConfig {
  policy: GatePolicy
  explain: boolean
  /** Absolute. */
  baselineDir: string
  repeat: number
  /** Repeats of `memgate baseline update` (`--repeat` overrides it there). */
  baselineRepeat: number
  /** As given in the config (resolved against the config's directory by `resolveRunOptions`); undefined: fall back. */
  scenarios: string[] | undefined
  profile: string | undefined
}

/**
 * Resolves the section with flags over config over defaults.
 * @param configDir directory relative paths in the config resolve against
 * @throws UsageError for a flag value out of range
 */
export function resolveCheckConfig(check: CheckConfig | undefined, flags: CheckFlags, cwd: string, configDir: string): ResolvedCheckConfig {
  const c = check ?? {}
  if (flags.extraRepeats !== undefined && !(Number.isInteger(flags.extraRepeats) && flags.extraRepeats >= 0)) {
    throw new UsageError(`--extra-repeats must be a whole number ≥ 0 but received ${flags.extraRepeats}.`)
  }
  const baselineDir = flags.baselineDir !== undefined ? resolve(cwd, flags.baselineDir) : resolve(configDir, c.baselineDir ?? DEFAULT_BASELINE_DIR)
  return {
    policy: {
      minRepeats: c.minRepeats ?? DEFAULT_GATE_POLICY.minRepeats,
      extraRepeats: flags.extraRepeats ?? c.extraRepeats ?? DEFAULT_GATE_POLICY.extraRepeats,
      noiseFloor: c.noiseFloor ?? DEFAULT_GATE_POLICY.noiseFloor,
      confidenceLevel: c.confidenceLevel ?? DEFAULT_GATE_POLICY.confidenceLevel,
      onInconclusive: flags.onInconclusive ?? c.onInconclusive ?? DEFAULT_GATE_POLICY.onInconclusive,
    },
    explain: flags.explain ?? c.explain ?? true,
    baselineDir: isAbsolute(baselineDir) ? baselineDir : resolve(baselineDir),
    repeat: flags.repeat ?? c.repeat ?? DEFAULT_CHECK_REPEAT,
    baselineRepeat: flags.repeat ?? c.baselineRepeat ?? DEFAULT_BASELINE_REPEAT,
    scenarios: c.scenarios,
    profile: c.profile,
  }
}
