/**
 * Every way a worker can end badly, caused for real by fixture scenarios: each must end as a
 * failed or timed-out repeat with its samples up to the end, and a valid run.json.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunOutcome } from '../../src/scenario/harness.js'
import type { FailureKind, RepeatResult } from '../../src/run/index.js'
import { endGapMs, ensureBuilt, readRunJson, runFixture, removeTempOuts } from './helpers.js'

const INTERVAL_MS = 50
// The last sample precedes the death by at most one interval when the parent's timer runs on
// time. On a shared 2-core machine running other suites the parent itself waits for the CPU
// (seen: 114 and 181 ms at load averages of 10-13), a delay that is not the runner's doing; the
// slack covers it.
const END_SLACK_MS = 250

beforeAll(() => ensureBuilt())
afterAll(() => removeTempOuts())

function only(outcome: RunOutcome): RepeatResult {
  const repeat = outcome.run.scenarios[0]?.repeats[0]
  if (!repeat) throw new Error('no repeat recorded')
  return repeat
}

function expectRecordedFailure(outcome: RunOutcome, kind: FailureKind, state: 'failed' | 'timed-out', stage: string): RepeatResult {
  const repeat = only(outcome)
  expect(outcome.failedRepeats).toBe(1)
  expect(repeat.state).toBe(state)
  expect(repeat.failure?.kind).toBe(kind)
  expect(repeat.failure?.stage).toBe(stage)
  // The stage the worker died in is recorded with the state and its before-sample.
  const dead = repeat.stages.find((s) => s.name === stage)
  expect(dead?.state).toBe(state)
  expect(dead?.before?.rssBytes).toBeGreaterThan(0)
  expect(dead?.after).toBeNull()
  expect(dead?.peakRssBytes).toBeGreaterThan(0)
  // Samples up to the end, from the parent's clock.
  expect(repeat.timeline.length).toBeGreaterThan(2)
  expect(endGapMs(repeat), `last sample ${endGapMs(repeat)} ms before the end`).toBeLessThanOrEqual(INTERVAL_MS + END_SLACK_MS)
  expect(endGapMs(repeat)).toBeGreaterThanOrEqual(0)
  // And the file on disk reads back through the schema with the same verdict.
  const onDisk = readRunJson(outcome.file)
  expect(onDisk.finishedAt).not.toBeNull()
  expect(onDisk.scenarios[0]?.repeats[0]?.failure?.kind).toBe(kind)
  return repeat
}

describe('worker failures', () => {
  it('records an exception thrown by a stage', async () => {
    const outcome = await runFixture(['crash.mjs'], { intervalMs: INTERVAL_MS, params: [{ scenario: null, key: 'how', value: 'throw' }] })
    const repeat = expectRecordedFailure(outcome, 'exception', 'failed', 'crash')
    expect(repeat.failure?.message).toContain('planned failure in stage crash')
    expect(repeat.exitCode).toBe(1)
    // The stage before the crash completed and kept its figures.
    expect(repeat.stages[0]).toMatchObject({ name: 'warm', state: 'completed' })
    expect(repeat.stages[0]?.after?.heapUsedBytes).toBeGreaterThan(0)
  })

  it('records an uncaught exception and an unhandled rejection', async () => {
    for (const how of ['uncaught', 'reject']) {
      const outcome = await runFixture(['crash.mjs'], { intervalMs: INTERVAL_MS, params: [{ scenario: null, key: 'how', value: how }] })
      const repeat = expectRecordedFailure(outcome, 'exception', 'failed', 'crash')
      expect(repeat.failure?.message).toMatch(how === 'uncaught' ? /planned uncaught error/ : /planned unhandled rejection/)
    }
  })

  it('records native crashes by their signal', async () => {
    for (const signal of ['SIGSEGV', 'SIGABRT']) {
      const outcome = await runFixture(['crash.mjs'], { intervalMs: INTERVAL_MS, params: [{ scenario: null, key: 'how', value: signal }] })
      const repeat = expectRecordedFailure(outcome, 'signal', 'failed', 'crash')
      expect(repeat.signal).toBe(signal)
      expect(repeat.failure?.message).toContain(`died of ${signal}`)
    }
  })

  it('records a worker that calls process.exit as an unexpected exit', async () => {
    const outcome = await runFixture(['crash.mjs'], { intervalMs: INTERVAL_MS, params: [{ scenario: null, key: 'how', value: 'exit' }] })
    const repeat = expectRecordedFailure(outcome, 'exit', 'failed', 'crash')
    expect(repeat.exitCode).toBe(7)
  })

  it('recognises the V8 heap limit from the scenario flag --max-old-space-size=64', async () => {
    const outcome = await runFixture(['heap-limit.mjs'], { intervalMs: INTERVAL_MS })
    const repeat = expectRecordedFailure(outcome, 'heap-limit', 'failed', 'grow')
    expect(repeat.nodeFlags).toContain('--max-old-space-size=64')
    expect(repeat.failure?.stderrTail).toMatch(/heap out of memory|Reached heap limit/)
  })

  it('kills a hung worker after the timeout and records it as timed-out', async () => {
    // Long enough for a worker to start under tsx on a busy machine, so the hang is inside 'spin'.
    const outcome = await runFixture(['hang.mjs'], { intervalMs: INTERVAL_MS, timeoutMs: 3000 })
    const repeat = expectRecordedFailure(outcome, 'timeout', 'timed-out', 'spin')
    expect(repeat.signal).toBe('SIGKILL')
    expect(repeat.endedAtMs - repeat.startedAtMs).toBeGreaterThanOrEqual(3000)
  })

  it('records a real kernel OOM kill inside a memory-limited cgroup', async () => {
    const limit = 192 * 1048576
    const outcome = await runFixture(['oom.mjs'], { intervalMs: INTERVAL_MS, memoryLimitBytes: limit })
    const repeat = expectRecordedFailure(outcome, 'oom-kill', 'failed', 'grow')
    expect(repeat.signal).toBe('SIGKILL')
    expect(repeat.memoryLimitBytes).toBe(limit)
    expect(repeat.failure?.evidence).toMatch(/kernel log: .*(Killed process|oom-kill).*\b/)
    expect(repeat.failure?.evidence).toContain(String(repeat.pid))
    // The worker got close to the limit before the kernel stepped in.
    expect(repeat.peakRssBytes).toBeGreaterThan(limit * 0.5)
  })

  it('does not call an external SIGKILL an OOM kill', async () => {
    let killed = false
    const outcome = await runFixture(['trivial.ts'], {
      intervalMs: INTERVAL_MS,
      params: [
        { scenario: null, key: 'slow', value: true },
        { scenario: null, key: 'ops', value: 5000 },
      ],
      onEvent: (e) => {
        if (e.type === 'stage-start' && e.stage === 'join' && !killed) {
          killed = true
          setTimeout(() => process.kill(e.pid, 'SIGKILL'), 700)
        }
      },
    })
    const repeat = expectRecordedFailure(outcome, 'signal', 'failed', 'join')
    expect(repeat.signal).toBe('SIGKILL')
    expect(repeat.failure?.evidence).toBeNull()
    expect(repeat.failure?.message).toContain('No kernel OOM evidence')
    // Ops counted before the kill survive through the worker's progress reports.
    expect(repeat.stages.find((s) => s.name === 'join')?.ops.count).toBeGreaterThan(0)
  })
})
