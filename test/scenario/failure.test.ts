import { describe, expect, it } from 'vitest'
import { classifyExit, type ExitObservation } from '../../src/scenario/harness.js'

const base: ExitObservation = {
  timedOut: false, timeoutMs: 5000, exitCode: 0, signal: null, reportedError: null, done: true, stage: null, stderrTail: '', oomEvidence: null, lastRssBytes: null,
}

describe('classifyExit', () => {
  it('returns null for a worker that finished cleanly', () => {
    expect(classifyExit(base)).toBeNull()
  })
  it('puts the runner timeout first, even though the kill was a SIGKILL', () => {
    const f = classifyExit({ ...base, timedOut: true, signal: 'SIGKILL', exitCode: null, done: false, stage: 'spin' })
    expect(f).toMatchObject({ kind: 'timeout', signal: 'SIGKILL', stage: 'spin' })
    expect(f?.message).toBe("The worker was still running in stage 'spin' after the 5 s timeout and was killed; raise --timeout or make the scenario check ctx.signal.")
  })
  it('prefers what the worker reported over its exit code', () => {
    const f = classifyExit({ ...base, exitCode: 1, done: false, stage: 'x', reportedError: { message: 'boom', stack: null } })
    expect(f).toMatchObject({ kind: 'exception', message: "The scenario threw in stage 'x': boom", exitCode: 1 })
  })
  it.each(['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', 'FATAL ERROR: Ineffective mark-compacts near heap limit'])('reads the heap limit from V8 stderr: %s', (stderrTail) => {
    expect(classifyExit({ ...base, signal: 'SIGABRT', exitCode: null, done: false, stderrTail })?.kind).toBe('heap-limit')
    // Through a shell the same abort shows as exit code 134.
    expect(classifyExit({ ...base, exitCode: 134, done: false, stderrTail })?.kind).toBe('heap-limit')
  })
  it('calls a SIGKILL an OOM kill only with kernel evidence', () => {
    const killed = { ...base, signal: 'SIGKILL' as const, exitCode: null, done: false, lastRssBytes: 512 * 1048576 }
    expect(classifyExit({ ...killed, oomEvidence: 'kernel log: Killed process 9 (node)' })).toMatchObject({ kind: 'oom-kill', evidence: 'kernel log: Killed process 9 (node)', message: 'The kernel OOM killer killed the worker (last RSS 512 MiB).' })
    const external = classifyExit(killed)
    expect(external?.kind).toBe('signal')
    expect(external?.message).toContain('No kernel OOM evidence was found')
  })
  it('records other signals and unexpected exits', () => {
    expect(classifyExit({ ...base, signal: 'SIGSEGV', exitCode: null, done: false })?.kind).toBe('signal')
    expect(classifyExit({ ...base, exitCode: 0, done: false })?.message).toBe('The worker exited before finishing its stages; a scenario must not call process.exit().')
    expect(classifyExit({ ...base, exitCode: 3, done: true })?.kind).toBe('exit')
  })
})
