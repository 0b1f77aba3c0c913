/** The CLI's view of the outside world, injectable so tests drive the real CLI (STYLE.md §1, §10). */
export interface OutStream {
  write(chunk: string): unknown
  /** True on an interactive terminal: live progress lines instead of plain ones. */
  isTTY?: boolean
  columns?: number
}

/** Standard input as the CLI reads it: chunks of bytes, and whether it is a terminal. */
export interface InStream extends AsyncIterable<Uint8Array | string> {
  isTTY?: boolean
}

export interface CliIO {
  argv: string[]
  cwd: string
  env: Record<string, string | undefined>
  stdout: OutStream
  stderr: OutStream
  /** Where `-` reads from (`memgate ocr -`). @default process.stdin */
  stdin?: InStream
  /** Aborted on SIGINT/SIGTERM (bin/memgate.js); runs stop their workers and write what they measured. */
  signal?: AbortSignal
}

/** What every command handler receives. Handlers return the exit code; they never exit. */
export interface CommandContext {
  io: CliIO
  /** Set by the handler; main() returns it. */
  exitCode: number
}

/** Writes a line to a stream. */
export function println(stream: OutStream, line = ''): void {
  stream.write(`${line}\n`)
}
