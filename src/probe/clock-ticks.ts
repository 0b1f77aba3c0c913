/**
 * The kernel's clock tick rate (`USER_HZ`), which `/proc/<pid>/stat` CPU times are counted in.
 * Node has no binding for `sysconf(_SC_CLK_TCK)`, so it is asked of `getconf` once, on first use.
 */
import { execFileSync } from 'node:child_process'

/** What Linux reports on every mainstream architecture; used when `getconf` is unavailable. */
export const DEFAULT_CLOCK_TICKS_PER_SECOND = 100

let cached: number | null = null

/**
 * Clock ticks per second from `getconf CLK_TCK`, read once per process and cached.
 * Falls back to {@link DEFAULT_CLOCK_TICKS_PER_SECOND} when `getconf` is missing or prints
 * something that is not a positive integer.
 */
export function clockTicksPerSecond(): number {
  if (cached !== null) return cached
  cached = DEFAULT_CLOCK_TICKS_PER_SECOND
  try {
    const out = execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] })
    const value = Number(out.trim())
    if (Number.isInteger(value) && value > 0) cached = value
  } catch {
    // No getconf (minimal containers): keep the default, which is right on Linux in practice.
  }
  return cached
}
