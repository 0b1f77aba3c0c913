/**
 * The `run` section of memgate.config. Unknown keys are rejected (a typo must not pass
 * silently). The whole file's schema (memgate-config.ts) adds its sections next to {@link configShape}.
 */
import { z } from 'zod'
import { SNAPSHOT_MODES } from './defaults.js'

const paramValue = z.union([z.number(), z.string(), z.boolean()])

/** `run`: defaults for `memgate run`; command-line flags override them. */
export const runConfigSchema = z.strictObject({
  /** Scenarios when none is named: built-in names or module paths (relative to the config file). */
  scenarios: z.array(z.string().min(1)).min(1).optional(),
  /** Worker processes per scenario in the measuring pass. */
  repeat: z.number().int().min(1).max(1000).optional(),
  profile: z.string().min(1).optional(),
  /** Parameter values by `key` or `scenario.key`. */
  params: z.record(z.string().min(1), paramValue).optional(),
  snapshots: z.enum(SNAPSHOT_MODES).optional(),
  /** Per worker process, ms. */
  timeoutMs: z.number().positive().optional(),
  /** Parent-side sampling interval, ms. */
  intervalMs: z.number().min(1).max(60_000).optional(),
  /** Extra Node/V8 flags for every worker, e.g. `--max-old-space-size=512`. */
  nodeFlags: z.array(z.string().startsWith('-')).optional(),
  /** Extra environment for every worker, e.g. `{ MALLOC_ARENA_MAX: '2' }`. */
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).optional(),
  /** Memory cgroup limit per worker: bytes or a size string (`'512 MiB'`). */
  memoryLimit: z.union([z.number().positive(), z.string()]).optional(),
  /** Output directory, relative to the config file's directory. */
  outDir: z.string().min(1).optional(),
})

/**
 * The `run` section under its key, for the whole-config schema (memgate-config.ts) to spread
 * next to its other sections.
 */
export const configShape = {
  run: runConfigSchema.optional(),
}

/** The `run` section as validated. */
export type RunConfig = z.output<typeof runConfigSchema>
