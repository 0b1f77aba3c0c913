/**
 * `memgate ocr` starts itself again with the profile's environment (src/cli/relaunch.ts). When the
 * first process is killed with SIGKILL it cannot end the second; the second notices its parent is
 * gone and ends itself, so nothing outlives the command.
 */
import { execFileSync, spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const BIN = fileURLToPath(new URL('../../bin/memgate.js', import.meta.url))

/** PIDs whose parent is `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
  } catch {
    return []
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function until<T>(what: string, fn: () => T | null | undefined | false, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe.runIf(process.platform === 'linux')('relaunched memgate ocr', () => {
  it('ends when the memgate that started it is killed with SIGKILL', async () => {
    const env = { ...process.env }
    delete env.MEMGATE_NO_RELAUNCH
    delete env.NODE_OPTIONS
    // `ocr -` waits on standard input: a FIFO this test holds open for writing (a pipe from
    // spawn would be closed by Node when the first process dies), so only the watchdog can end it.
    const dir = mkdtempSync(join(tmpdir(), 'memgate-orphan-'))
    execFileSync('mkfifo', [join(dir, 'in')])
    const fifo = openSync(join(dir, 'in'), 'r+')
    const first = spawn(process.execPath, [BIN, 'ocr', '-'], { env, stdio: [fifo, 'ignore', 'ignore'] })
    try {
      const second = await until('the relaunched process', () => childrenOf(first.pid!)[0], 20_000)
      first.kill('SIGKILL')
      await until('the relaunched process to end', () => !alive(second), 10_000)
      expect(alive(second)).toBe(false)
    } finally {
      first.kill('SIGKILL')
      closeSync(fifo)
      rmSync(dir, { recursive: true, force: true })
    }
  }, 40_000)
})
