/**
 * The glibc version this process runs on, read once. Runs and engine settings record it (the
 * allocator's behaviour moves memory figures). `getconf GNU_LIBC_VERSION` answers in a few
 * milliseconds from a child process; `process.report.getReport()` knows it too, but building a
 * report walks the native stack and reads pages of the node binary: ~8 ms and ~1.3 MiB of this
 * process's RSS, which `memgate watch` cannot spare (its own RSS is a goal). The report stays the
 * fallback where `getconf` is missing or does not know the variable.
 */
import { execFileSync } from 'node:child_process'

let known: string | null | undefined

/** `2.36` on glibc 2.36; null on other C libraries (musl, macOS, Windows). */
export function glibcVersion(): string | null {
  if (known !== undefined) return known
  known = process.platform === 'linux' ? (fromGetconf() ?? fromReport()) : null
  return known
}

function fromGetconf(): string | null {
  try {
    const out = execFileSync('getconf', ['GNU_LIBC_VERSION'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 })
    return /^glibc (\d+\.\d+(?:\.\d+)?)\s*$/.exec(out)?.[1] ?? null
  } catch {
    return null
  }
}

function fromReport(): string | null {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined
  return report?.header?.glibcVersionRuntime ?? null
}
