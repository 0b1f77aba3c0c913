/** Child-process plumbing for the snapshot benchmark: run a script, read its one-line JSON result. */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** The marker before a child's result line (children may print progress of their own). */
export const RESULT_MARKER = 'BENCH_RESULT '

/** Peak resident set size of this process (VmHWM), in bytes. */
export function peakRssBytes(): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))
  return m ? Number(m[1]) * 1024 : Number.NaN
}

/** Prints a result for the parent. */
export function report(result: unknown): void {
  process.stdout.write(`\n${RESULT_MARKER}${JSON.stringify(result)}\n`)
}

/** Outcome of a child: its result, or why it has none (crash, out of memory). */
export type ChildOutcome<T> = { ok: true; result: T; wallMs: number } | { ok: false; error: string; wallMs: number }

/**
 * Runs `node [nodeArgs] script [args]` from the repository root and returns the result it
 * printed. Never throws: a child that dies (e.g. out of memory) is an outcome to print.
 */
export function runChild<T>(nodeArgs: readonly string[], script: string, args: readonly string[]): Promise<ChildOutcome<T>> {
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s))
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-4000)))
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER))
      if (code === 0 && line) return resolve({ ok: true, result: JSON.parse(line.slice(RESULT_MARKER.length)) as T, wallMs })
      const tail = stderr.trim().split('\n').slice(-3).join(' | ')
      resolve({ ok: false, error: `exit ${code ?? signal}: ${tail || 'no output'}`, wallMs })
    })
  })
}
