/** Runs the fixture vitest project (test/fixtures/vitest-project) in a child `vitest run`. */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const FIXTURE_ROOT = fileURLToPath(new URL('../fixtures/vitest-project', import.meta.url))
const VITEST_BIN = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url))

export interface ChildRun {
  exitCode: number
  output: string
  durationMs: number
}

/**
 * `vitest run --root <fixture> ...args` with colours off; stdout and stderr together.
 * @param env extra environment (MEMGATE_FIXTURE_OUT, MEMGATE_FIXTURE_BASELINE, ...)
 */
export function runFixture(args: string[], env: Record<string, string> = {}): Promise<ChildRun> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST_BIN, 'run', '--root', FIXTURE_ROOT, ...args], {
      env: { ...process.env, ...env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ exitCode: code ?? -1, output, durationMs: performance.now() - started }))
  })
}
