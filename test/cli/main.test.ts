import { describe, expect, it } from 'vitest'
import { ExitCode } from '../../src/common/errors.js'
import { runCli } from '../helpers/cli.js'

describe('memgate CLI shell', () => {
  it('prints help and exits 0', async () => {
    const r = await runCli(['--help'])
    expect(r.exitCode).toBe(ExitCode.Ok)
    expect(r.stdout).toContain('Find and stop memory regressions in Node.js services.')
  })
  it('treats an unknown command as a usage error (exit 2) with one friendly line', async () => {
    const r = await runCli(['frobnicate'])
    expect(r.exitCode).toBe(ExitCode.UsageError)
    expect(r.stderr).toMatch(/^memgate: Unknown command: frobnicate$/m)
    expect(r.stderr).toContain("Run 'memgate --help' for usage.")
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/)
  })
  it('maps argument errors yargs raises itself to exit 2, not to an internal error', async () => {
    const r = await runCli(['run', '--node-flag', '--x'])
    expect(r.exitCode).toBe(ExitCode.UsageError)
    expect(r.stderr).toContain('memgate: Not enough arguments following: node-flag')
  })
  it('asks for a command when none is given', async () => {
    const r = await runCli([])
    expect(r.exitCode).toBe(ExitCode.UsageError)
    expect(r.stderr).toContain('Name a command')
  })
})
