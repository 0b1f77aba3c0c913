/** Drives the real CLI in-process with captured streams (STYLE.md §10). */
import { main } from '../../src/cli/main.js'
import type { InStream } from '../../src/cli/io.js'

export interface CliRun {
  exitCode: number
  stdout: string
  stderr: string
}

export async function runCli(argv: string[], options: { cwd?: string; env?: Record<string, string | undefined>; tty?: boolean; stdin?: InStream } = {}): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const exitCode = await main({
    argv,
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? { ...process.env },
    stdout: { write: (s: string) => ((stdout += s), true), isTTY: options.tty ?? false, columns: 120 },
    stderr: { write: (s: string) => ((stderr += s), true), isTTY: options.tty ?? false },
    ...(options.stdin ? { stdin: options.stdin } : {}),
  })
  return { exitCode, stdout, stderr }
}
