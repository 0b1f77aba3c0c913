/**
 * A gate session: the run to judge (run now, or read with `--run DIR`) and the process work the
 * gate may ask for while judging it (extra repeats, the explanation's snapshot pass).
 */
import { join } from 'node:path'
import { MemgateError, TargetCrashed } from '../common/errors.js'
import { incompleteReason } from '../run/completeness.js'
import type { RunFlags } from '../config/run-options.js'
import type { GateHooks } from '../baseline/index.js'
import { readRun } from '../run/read-run.js'
import type { RunResult } from '../run/schema.js'
import type { GateConfig } from './config.js'
import type { OnCheckEvent } from './events.js'
import { heapGrowthOf, rerun, type RerunBase } from './explain-rerun.js'
import { rememberRunDir } from './heap-composition.js'
import { runTargets, selectScenarios, type Invocation } from './targets.js'

/** What to judge: a finished run, or scenarios to run now. */
export type GateTarget = { kind: 'run'; path: string; scenarios?: readonly string[] } | { kind: 'scenarios'; flags: RunFlags }

/** A run to judge, its directory, and the hooks the gate may call. */
export interface GateSession {
  run: RunResult
  dir: string
  hooks: GateHooks
}

/**
 * Runs the configured scenarios (the `check` section's choices over the `run` section, flags over
 * both), or reads a finished run.
 * @throws InputError for a run that does not exist or validate; UsageError for bad flags;
 * TargetCrashed('RUN_INCOMPLETE') for a run that did not finish (exit 3)
 */
export async function openGateSession(inv: Invocation, config: GateConfig, target: GateTarget, onEvent: OnCheckEvent): Promise<GateSession> {
  if (target.kind === 'run') {
    const read = await readRun(inv.cwd, target.path, '--run')
    const { dir } = read
    const incomplete = incompleteReason(read.run)
    if (incomplete) throw new TargetCrashed('RUN_INCOMPLETE', `${incomplete}. The gate judges only finished runs: run the scenarios again.`)
    const run = selectScenarios(read.run, target.scenarios)
    const base: RerunBase = { timeoutMs: run.options.timeoutMs, intervalMs: run.options.intervalMs, memoryLimitBytes: run.options.memoryLimitBytes, nodeFlags: [], env: {}, baseEnv: inv.env, argv: [...inv.argv], signal: inv.signal }
    // A finished run gets no extra repeats (it is checked as it is), but can still be explained.
    rememberRunDir(run, dir)
    return { run, dir, hooks: { heapGrowth: (s, composition) => heapGrowthOf(s, run.id, dir, base, null, onEvent, composition) } }
  }
  const { check, loaded } = config
  const runSection = { ...loaded.config.run, ...(check.scenarios ? { scenarios: check.scenarios } : {}), ...(check.profile ? { profile: check.profile } : {}) }
  const started = await runTargets(inv, loaded, { ...target.flags, repeat: target.flags.repeat ?? check.repeat }, runSection, onEvent)
  const { options } = started
  const { run, dir } = started.outcome
  const byName = new Map(started.scenarios.map((s) => [s.scenario.name, s]))
  const base: RerunBase = { timeoutMs: options.timeoutMs, intervalMs: options.intervalMs, memoryLimitBytes: options.memoryLimitBytes, nodeFlags: options.nodeFlags, env: options.env, baseEnv: inv.env, argv: [...inv.argv], signal: inv.signal }
  let extra = 0
  rememberRunDir(run, dir)
  return {
    run,
    dir,
    hooks: {
      async moreRepeat(s) {
        onEvent({ type: 'extra-repeat', scenario: s.name })
        const more = await rerun(s, byName.get(s.name) ?? null, base, { snapshots: 'none', outDir: join(dir, 'extra'), runId: `extra-${++extra}` }, onEvent)
        if ('unavailable' in more || !more.repeat) throw new MemgateError('INTERNAL', `The extra run of '${s.name}' recorded no repeat.`)
        return more.repeat
      },
      heapGrowth: (s, composition) => heapGrowthOf(s, run.id, dir, base, byName.get(s.name) ?? null, onEvent, composition),
    },
  }
}
